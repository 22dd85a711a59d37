using System.Management.Automation;
using System.Reflection;

namespace CodexSandbox.Internal;

/// <summary>
/// Makes <c>$?</c> false after a command that wrote no error, as PowerShell does for a native command that exits
/// non-zero: its NativeCommandProcessor marks the pipeline failed, so <c>&amp;&amp;</c> skips and <c>||</c> runs. A cmdlet
/// has no public way to do that without an error record, so this sets the same internal flag; when the flag is not
/// found (another PowerShell version), nothing changes and <c>$LASTEXITCODE</c> still says the exit.
/// </summary>
internal static class ExecutionFailure
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Marks the pipeline <paramref name="cmdlet"/> runs in as failed; false when this PowerShell has no such flag.</summary>
    public static bool Mark(Cmdlet cmdlet)
    {
        try
        {
            var runtime = cmdlet.CommandRuntime;
            var processor = runtime?.GetType().GetProperty("PipelineProcessor", Members)?.GetValue(runtime);
            var failed = processor?.GetType().GetProperty("ExecutionFailed", Members);
            if (failed is null || !failed.CanWrite || failed.PropertyType != typeof(bool)) return false;
            failed.SetValue(processor, true);
            return true;
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException)
        {
            return false;
        }
    }
}
