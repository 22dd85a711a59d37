namespace CodexSandbox;

/// <summary>
/// One effective filesystem entry of a permission profile (<c>[permissions.&lt;id&gt;.filesystem]</c>), after the special
/// paths were expanded and the <c>extends</c> chain merged: a path (or a deny glob), its access, and where it was written.
/// </summary>
public sealed record FilesystemEntry(string Path, string Access, PolicyOrigin Origin)
{
    public override string ToString() => $"{Path} = {Access} <- {Origin.Location}";
}
