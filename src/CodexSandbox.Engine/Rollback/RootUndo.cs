namespace CodexSandbox.Engine.Rollback;

/// <summary>The outcome of undoing one root: absolute paths per action.</summary>
internal sealed class RootUndo
{
    public List<string> Restored { get; } = [];
    public List<string> Deleted { get; } = [];
    public List<string> Recreated { get; } = [];
    public List<string> Conflicts { get; } = [];
    public List<string> Notes { get; } = [];
    /// <summary>Paths the run changed (that undo can handle).</summary>
    public int Changed { get; set; }
    /// <summary>Of those, paths already back at their checkpointed state (an earlier undo, or by hand).</summary>
    public int AlreadyBack { get; set; }

    public void Add(UndoAction action, string path)
    {
        (action switch { UndoAction.Restore => Restored, UndoAction.Delete => Deleted, _ => Recreated }).Add(path);
    }
}
