using System.Runtime.InteropServices;
using CodexSandbox.Engine.Backends.Windows;

namespace CodexSandbox.Engine.Tests.Backends;

/// <summary>
/// The P/Invoke structures must have the sizes the Win32 headers give on 64-bit Windows; a wrong field
/// would silently shift the limits or the ACL trustee. Marshal.SizeOf computes the native layout on any OS.
/// </summary>
#pragma warning disable CA1416 // only the layout is inspected; nothing is called
public class WindowsNativeLayoutTests
{
    [Fact]
    public void Structures_match_the_64_bit_win32_sizes()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(64, Marshal.SizeOf<NativeMethods.JobObjectBasicLimitInformation>());
        Assert.Equal(144, Marshal.SizeOf<NativeMethods.JobObjectExtendedLimitInformation>());
        Assert.Equal(16, Marshal.SizeOf<NativeMethods.SidAndAttributes>());
        Assert.Equal(104, Marshal.SizeOf<NativeMethods.StartupInfo>());
        Assert.Equal(24, Marshal.SizeOf<NativeMethods.ProcessInformation>());
        Assert.Equal(32, Marshal.SizeOf<NativeMethods.Trustee>());
        Assert.Equal(48, Marshal.SizeOf<NativeMethods.ExplicitAccess>());
        Assert.Equal(4, Marshal.SizeOf<NativeMethods.JobObjectBasicUiRestrictionsInfo>());
        Assert.Equal(112, Marshal.SizeOf<NativeMethods.StartupInfoEx>());
        Assert.Equal(24, Marshal.SizeOf<NativeMethods.SecurityAttributes>());
    }

    [Fact]
    public void Fields_sit_at_the_win32_offsets()
    {
        Assert.Equal(16, (int)Marshal.OffsetOf<NativeMethods.JobObjectBasicLimitInformation>(nameof(NativeMethods.JobObjectBasicLimitInformation.LimitFlags)));
        Assert.Equal(40, (int)Marshal.OffsetOf<NativeMethods.JobObjectBasicLimitInformation>(nameof(NativeMethods.JobObjectBasicLimitInformation.ActiveProcessLimit)));
        Assert.Equal(120, (int)Marshal.OffsetOf<NativeMethods.JobObjectExtendedLimitInformation>(nameof(NativeMethods.JobObjectExtendedLimitInformation.JobMemoryLimit)));
        Assert.Equal(16, (int)Marshal.OffsetOf<NativeMethods.ExplicitAccess>(nameof(NativeMethods.ExplicitAccess.Trustee)));
        Assert.Equal(24, (int)Marshal.OffsetOf<NativeMethods.Trustee>(nameof(NativeMethods.Trustee.Name)));
        Assert.Equal(80, (int)Marshal.OffsetOf<NativeMethods.StartupInfo>(nameof(NativeMethods.StartupInfo.StdInput)));
        Assert.Equal(60, (int)Marshal.OffsetOf<NativeMethods.StartupInfo>(nameof(NativeMethods.StartupInfo.Flags)));
        Assert.Equal(104, (int)Marshal.OffsetOf<NativeMethods.StartupInfoEx>(nameof(NativeMethods.StartupInfoEx.AttributeList)));
        Assert.Equal(16, (int)Marshal.OffsetOf<NativeMethods.SecurityAttributes>(nameof(NativeMethods.SecurityAttributes.InheritHandle)));
    }
}
#pragma warning restore CA1416
