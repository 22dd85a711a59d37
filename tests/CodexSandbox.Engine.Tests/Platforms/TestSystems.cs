namespace CodexSandbox.Engine.Tests.Platforms;

/// <summary>The operating systems a platform-bound test can name; combine them with |.</summary>
[Flags]
public enum TestSystems
{
    Linux = 1,
    MacOS = 2,
    Windows = 4,
}
