namespace CodexSandbox.Engine.Run;

/// <summary>A step of a run that can take a while (a checkpoint copy), for a progress bar.</summary>
/// <param name="Activity">What is being done.</param>
/// <param name="Status">The detail shown under it.</param>
/// <param name="Completed">True once the step is over (the bar goes away).</param>
public readonly record struct RunProgress(string Activity, string Status, bool Completed);
