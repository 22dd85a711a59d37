namespace CodexSandbox.Engine.Rollback;

/// <summary>How far an undo is: what it is doing now, and the share of the whole undo done (0–100).</summary>
public readonly record struct UndoProgress(string Status, int PercentComplete);
