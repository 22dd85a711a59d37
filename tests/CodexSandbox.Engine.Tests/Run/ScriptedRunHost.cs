using CodexSandbox.Engine.Execution;
using CodexSandbox.Engine.Run;

namespace CodexSandbox.Engine.Tests.Run;

/// <summary>
/// A stand-in for the cmdlet: answers each question from a script (failing the test on a question it was not given an
/// answer for), records everything written to it, and the thread of every call.
/// </summary>
internal sealed class ScriptedRunHost(params ApprovalAnswer[] answers) : IRunHost
{
    private readonly Queue<ApprovalAnswer> _answers = new(answers);

    /// <summary>What ConfirmPlan answers (false plays -WhatIf, or -Confirm answered no).</summary>
    public bool ConfirmPlanAnswer { get; init; } = true;

    public List<string> Plans { get; } = [];
    public List<(string Query, string Caption)> Questions { get; } = [];
    public List<SandboxResult> Results { get; } = [];
    public List<string> OutputLines { get; } = [];
    public List<string> ErrorLines { get; } = [];
    public List<string> Warnings { get; } = [];
    public List<string> Verbose { get; } = [];
    public List<RunProgress> Progress { get; } = [];
    public HashSet<int> CallingThreads { get; } = [];

    public int UnansweredQuestions => _answers.Count;

    public bool ConfirmPlan(string display, CommandAssessment assessment, LaunchPlan launch)
    {
        Called();
        Plans.Add($"{display} via {launch.Backend}");
        return ConfirmPlanAnswer;
    }

    public ApprovalAnswer Ask(string query, string caption)
    {
        Called();
        Questions.Add((query, caption));
        Assert.True(_answers.Count > 0, $"Asked without a scripted answer: {caption}: {query}");
        return _answers.Dequeue();
    }

    public void WriteResult(SandboxResult result) { Called(); Results.Add(result); }
    public void WriteOutputLine(string line) { Called(); OutputLines.Add(line); }
    public void WriteErrorLine(string line) { Called(); ErrorLines.Add(line); }
    public void WriteWarning(string message) { Called(); Warnings.Add(message); }
    public void WriteVerbose(string message) { Called(); Verbose.Add(message); }
    public void ReportProgress(RunProgress progress) { Called(); Progress.Add(progress); }

    private void Called()
    {
        lock (CallingThreads) CallingThreads.Add(System.Environment.CurrentManagedThreadId);
    }
}
