namespace CodexSandbox.Engine.Tests.Platforms;

/// <summary>
/// A [Fact] that runs only on the named systems. Elsewhere xunit reports it skipped with the reason, so a test bound
/// to one platform is never counted as passed where it did not run (an early <c>return</c> would count it so).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PlatformFactAttribute : FactAttribute
{
    /// <param name="runsOn">The systems the test runs on.</param>
    /// <param name="reason">Why it cannot run anywhere else; shown with the skip.</param>
    public PlatformFactAttribute(TestSystems runsOn, string reason)
    {
        RunsOn = runsOn;
        if ((runsOn & Current) == 0) Skip = $"runs only on {runsOn.ToString().Replace(", ", " and ", StringComparison.Ordinal)}: {reason}";
    }

    public TestSystems RunsOn { get; }

    /// <summary>The system this test process runs on; 0 on any other.</summary>
    public static TestSystems Current =>
        OperatingSystem.IsLinux() ? TestSystems.Linux
        : OperatingSystem.IsMacOS() ? TestSystems.MacOS
        : OperatingSystem.IsWindows() ? TestSystems.Windows
        : 0;
}
