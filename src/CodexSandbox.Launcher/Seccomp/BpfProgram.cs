using System.Runtime.InteropServices;

namespace CodexSandbox.Launcher.Seccomp;

/// <summary>A classic-BPF program under construction, then frozen into native memory as the
/// struct sock_filter array plus struct sock_fprog that seccomp(2) takes.</summary>
internal sealed unsafe class BpfProgram
{
    private const ushort LdWAbs = 0x20, AluAndK = 0x54, JeqK = 0x15, JsetK = 0x45, RetK = 0x06;

    // struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian).
    public const uint OffsetNr = 0, OffsetArch = 4;
    public static uint OffsetArgLow(int index) => 16 + 8 * (uint)index;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFilter { public ushort Code; public byte Jt; public byte Jf; public uint K; }

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog { public ushort Length; public SockFilter* Filter; }

    private readonly List<SockFilter> _code = [];

    public int Count => _code.Count;

    public void Load(uint offset) => Emit(LdWAbs, 0, 0, offset);
    public void And(uint mask) => Emit(AluAndK, 0, 0, mask);
    public void Return(uint action) => Emit(RetK, 0, 0, action);

    /// <summary>If A == k, skip <paramref name="skipIfTrue"/> instructions, else <paramref name="skipIfFalse"/>.</summary>
    public void JumpIfEqual(uint k, int skipIfTrue, int skipIfFalse) => Emit(JeqK, skipIfTrue, skipIfFalse, k);

    /// <summary>If (A &amp; k) != 0, skip <paramref name="skipIfTrue"/> instructions, else <paramref name="skipIfFalse"/>.</summary>
    public void JumpIfAnyBit(uint k, int skipIfTrue, int skipIfFalse) => Emit(JsetK, skipIfTrue, skipIfFalse, k);

    /// <summary>Appends another program's instructions (a self-contained block ending in returns).</summary>
    public void Append(BpfProgram block) => _code.AddRange(block._code);

    private void Emit(ushort code, int jt, int jf, uint k)
    {
        if (jt is < 0 or > 255 || jf is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(jt), "BPF jump out of range");
        _code.Add(new SockFilter { Code = code, Jt = (byte)jt, Jf = (byte)jf, K = k });
    }

    /// <summary>The instructions as built (for tests, which run them in an interpreter).</summary>
    internal SockFilter[] ToArray() => [.. _code];

    /// <summary>Copies the program to native memory (allocated now, before any limit) and returns the
    /// sock_fprog pointer to hand to seccomp(2).</summary>
    public SockFprog* Freeze()
    {
        if (_code.Count > 4096) throw new InvalidOperationException("seccomp program too long");
        var filter = (SockFilter*)NativeMemory.Alloc((nuint)(_code.Count * sizeof(SockFilter)));
        for (int i = 0; i < _code.Count; i++) filter[i] = _code[i];
        var prog = (SockFprog*)NativeMemory.AllocZeroed((nuint)sizeof(SockFprog));
        prog->Length = (ushort)_code.Count;
        prog->Filter = filter;
        return prog;
    }
}
