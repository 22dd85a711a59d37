using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How far an undo got. For a dry run (<see cref="UndoResult.DryRun"/>) it says what the undo would reach.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum UndoStatus
{
    /// <summary>Every change the run made is back at its checkpointed state.</summary>
    Undone,
    /// <summary>Some changes (possibly all) were left alone: they changed again after the run, or could not be restored.</summary>
    PartlyUndone,
    /// <summary>Every change the run made was already back at its checkpointed state (an earlier undo, or by hand); nothing was changed.</summary>
    AlreadyUndone,
    /// <summary>The run changed nothing in the recorded folders, or no checkpoint was taken.</summary>
    NothingToUndo,
}
