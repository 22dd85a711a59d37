namespace CodexSandbox.Engine.Approval;

/// <summary>The operating system the command runs on; only Windows read-only changes the approval rules (§6.1 step 2).</summary>
public enum HostOs
{
    Linux,
    MacOS,
    Windows,
}
