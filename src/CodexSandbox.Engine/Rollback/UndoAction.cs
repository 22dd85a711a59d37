namespace CodexSandbox.Engine.Rollback;

/// <summary>What undo does to one path.</summary>
internal enum UndoAction
{
    /// <summary>The run changed it: put the checkpointed content back.</summary>
    Restore,
    /// <summary>The run created it: remove it.</summary>
    Delete,
    /// <summary>The run deleted it: create it again.</summary>
    Recreate,
}
