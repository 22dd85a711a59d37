namespace CodexSandbox.Engine.Rollback;

/// <summary>One path the run changed, relative to the snapshot's base ('/'-separated), and why it must be left alone if so.</summary>
internal sealed record PlannedChange(string RelativePath, UndoAction Action, string? Conflict);
