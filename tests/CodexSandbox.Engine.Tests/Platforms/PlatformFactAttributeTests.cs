namespace CodexSandbox.Engine.Tests.Platforms;

/// <summary>A broken PlatformFact would skip its tests everywhere and report nothing failed: these pin when it skips.</summary>
public class PlatformFactAttributeTests
{
    [Fact]
    public void Knows_the_system_it_runs_on()
    {
        var expected = OperatingSystem.IsLinux() ? TestSystems.Linux : OperatingSystem.IsMacOS() ? TestSystems.MacOS : TestSystems.Windows;
        Assert.Equal(expected, PlatformFactAttribute.Current);
    }

    [Fact]
    public void Runs_where_it_names_the_current_system_alone_or_with_others()
    {
        var current = PlatformFactAttribute.Current;
        Assert.Null(new PlatformFactAttribute(current, "why").Skip);
        Assert.Null(new PlatformFactAttribute(current | TestSystems.Windows | TestSystems.MacOS | TestSystems.Linux, "why").Skip);
    }

    [Fact]
    public void Skips_elsewhere_with_the_systems_it_runs_on_and_the_reason()
    {
        var others = (TestSystems.Linux | TestSystems.MacOS | TestSystems.Windows) & ~PlatformFactAttribute.Current;
        var skip = new PlatformFactAttribute(others, "it needs the other kernels").Skip;
        Assert.NotNull(skip);
        Assert.StartsWith("runs only on ", skip, StringComparison.Ordinal);
        Assert.Contains(" and ", skip, StringComparison.Ordinal);
        Assert.EndsWith(": it needs the other kernels", skip, StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformFactAttribute.Current.ToString(), skip, StringComparison.Ordinal);
    }
}
