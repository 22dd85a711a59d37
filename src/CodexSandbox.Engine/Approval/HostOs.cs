namespace CodexSandbox.Engine.Approval;

/// <summary>The operating system the command runs on; only Windows read-only changes the approval rules (§6.1 step 2).</summary>
public enum HostOs
{
    Linux,
    MacOS,
    Windows,
}

/// <summary>The host this process runs on, for the approval rules that depend on it.</summary>
public static class HostOsInfo
{
    public static HostOs Current { get; } =
        OperatingSystem.IsWindows() ? HostOs.Windows : OperatingSystem.IsMacOS() ? HostOs.MacOS : HostOs.Linux;
}
