using CodexSandbox.Launcher.Native;
using CodexSandbox.Launcher.Output;

namespace CodexSandbox.Launcher.Seccomp;

/// <summary>A seccomp filter ready to install: a foreign architecture is killed, the x32 ABI gets
/// <paramref name="x32Action"/>, each listed syscall runs its block, everything else is allowed. Built
/// (and allocated) before any limit; installing allocates nothing.</summary>
internal sealed unsafe class FrozenFilter
{
    private const uint RetKillProcess = 0x80000000, RetAllow = 0x7FFF0000;
    private const int SeccompSetModeFilter = 1, SeccompFilterFlagTsync = 1;

    private readonly BpfProgram.SockFprog* _program;
    private readonly nint _seccompSyscall;

    /// <param name="rules">One block per syscall number, each ending in its own returns.</param>
    public FrozenFilter(SyscallTable table, SortedDictionary<int, BpfProgram> rules, uint x32Action)
    {
        _program = Assemble(table, rules, x32Action).Freeze();
        _seccompSyscall = table.SeccompCall;
    }

    /// <summary>The whole program before it is frozen: the architecture check, the x32 check, one
    /// block per listed syscall, then allow.</summary>
    internal static BpfProgram Assemble(SyscallTable table, SortedDictionary<int, BpfProgram> rules, uint x32Action)
    {
        var program = new BpfProgram();
        program.Load(BpfProgram.OffsetArch);
        program.JumpIfEqual(table.AuditArch, 1, 0);
        program.Return(RetKillProcess);
        program.Load(BpfProgram.OffsetNr);
        if (table.X32Bit != 0)
        {
            program.JumpIfAnyBit(table.X32Bit, 0, 1);
            program.Return(x32Action);
        }
        foreach (var (nr, block) in rules)
        {
            program.JumpIfEqual((uint)nr, 0, block.Count);
            program.Append(block);
        }
        program.Return(RetAllow);
        return program;
    }

    /// <summary>Installs the filter (all threads when the kernel can, else this thread; it is inherited
    /// across execve either way). Needs no_new_privs. On failure prints one line and returns false.</summary>
    public bool Install()
    {
        if (Libc.syscall(_seccompSyscall, SeccompSetModeFilter, SeccompFilterFlagTsync, (nint)_program, 0, 0) == 0) return true;
        if (Libc.syscall(_seccompSyscall, SeccompSetModeFilter, 0, (nint)_program, 0, 0) == 0) return true;
        Diagnostics.ErrorErrno("seccomp(SECCOMP_SET_MODE_FILTER)"u8, Libc.Errno);
        return false;
    }
}
