namespace CodexSandbox;

/// <summary>The operating system a launch plan is made for.</summary>
public enum TargetPlatform
{
    Linux,
    MacOS,
    Windows,
}
