using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Engine.Tests.Rollback;

public class RollbackSettingsTests
{
    [Fact]
    public void AbsentValuesGiveOnApprovalAndOneHundredMegabytes()
    {
        var problems = new List<string>();
        var s = RollbackSettings.Parse(null, null, problems);
        Assert.Equal(CheckpointMode.OnApproval, s.Checkpoint);
        Assert.Equal(100L * 1024 * 1024, s.MaxSnapshotBytes);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("always", CheckpointMode.Always)]
    [InlineData("never", CheckpointMode.Never)]
    [InlineData("on-approval", CheckpointMode.OnApproval)]
    public void ReadsTheConfigSpellings(string text, CheckpointMode expected)
    {
        var problems = new List<string>();
        Assert.Equal(expected, RollbackSettings.Parse(text, 5L, problems).Checkpoint);
        Assert.Empty(problems);
    }

    [Fact]
    public void MegabytesBecomeBytes()
    {
        var problems = new List<string>();
        Assert.Equal(5L * 1024 * 1024, RollbackSettings.Parse("always", 5L, problems).MaxSnapshotBytes);
        Assert.Equal(0, RollbackSettings.Parse("always", 0L, problems).MaxSnapshotBytes);
        Assert.Equal(2L * 1024 * 1024, RollbackSettings.Parse("always", 2.0, problems).MaxSnapshotBytes);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("sometimes", null)]
    [InlineData("Always", null)]
    [InlineData(true, null)]
    [InlineData(null, -1L)]
    [InlineData(null, 1.5)]
    [InlineData(null, "100")]
    public void BadValuesKeepTheDefaultAndAreReported(object? checkpoint, object? mb)
    {
        var problems = new List<string>();
        var s = RollbackSettings.Parse(checkpoint, mb, problems);
        Assert.Equal(RollbackSettings.Default, s);
        var problem = Assert.Single(problems);
        Assert.Contains(checkpoint is null ? "max_snapshot_mb" : "checkpoint", problem);
    }
}
