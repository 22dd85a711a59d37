using CodexSandbox.Launcher.Seccomp;

namespace CodexSandbox.Launcher.Tests.Seccomp;

/// <summary>A classic-BPF interpreter for the opcodes <see cref="BpfProgram"/> emits, run against a
/// struct seccomp_data the way the kernel's seccomp does (little-endian, 32-bit loads).</summary>
internal static class BpfInterpreter
{
    private const ushort LdWAbs = 0x20, AluAndK = 0x54, JeqK = 0x15, JsetK = 0x45, RetK = 0x06;
    private const int SeccompDataSize = 64; // int nr; u32 arch; u64 ip; u64 args[6]

    public static uint Run(BpfProgram.SockFilter[] program, uint arch, int nr, params ulong[] args)
    {
        if (args.Length > 6) throw new ArgumentException("at most six arguments", nameof(args));
        var data = new byte[SeccompDataSize];
        BitConverter.TryWriteBytes(data.AsSpan(0), nr);
        BitConverter.TryWriteBytes(data.AsSpan(4), arch);
        for (int i = 0; i < args.Length; i++) BitConverter.TryWriteBytes(data.AsSpan(16 + 8 * i), args[i]);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("seccomp_data is laid out little-endian here");

        uint a = 0;
        int steps = 0;
        for (int pc = 0; ; pc++)
        {
            if (pc >= program.Length) throw new InvalidOperationException($"fell off the end of the program at {pc}");
            if (++steps > program.Length) throw new InvalidOperationException("more steps than instructions (a backward jump?)");
            var insn = program[pc];
            switch (insn.Code)
            {
                case LdWAbs:
                    if (insn.K % 4 != 0 || insn.K + 4 > SeccompDataSize) throw new InvalidOperationException($"bad load offset {insn.K} at {pc}");
                    a = BitConverter.ToUInt32(data, (int)insn.K);
                    break;
                case AluAndK:
                    a &= insn.K;
                    break;
                case JeqK:
                    pc += a == insn.K ? insn.Jt : insn.Jf;
                    break;
                case JsetK:
                    pc += (a & insn.K) != 0 ? insn.Jt : insn.Jf;
                    break;
                case RetK:
                    return insn.K;
                default:
                    throw new InvalidOperationException($"opcode 0x{insn.Code:x} at {pc} is not one the interpreter knows");
            }
        }
    }
}
