namespace CodexSandbox;

/// <summary>One access-control entry a Windows launch plan adds (or relies on), and why.</summary>
public sealed class AclEntry
{
    public AclEntry(string path, string principal, string sid, string access, string inheritance, string reason)
    {
        Path = path;
        Principal = principal;
        Sid = sid;
        Access = access;
        Inheritance = inheritance;
        Reason = reason;
    }

    /// <summary>The file or folder the entry is placed on.</summary>
    public string Path { get; }
    /// <summary>Who the entry is for, in words (for example <c>workspace capability</c>).</summary>
    public string Principal { get; }
    /// <summary>The security identifier the entry names, in <c>S-1-…</c> form.</summary>
    public string Sid { get; }
    /// <summary><c>Allow Write</c> or <c>Deny Write</c>.</summary>
    public string Access { get; }
    /// <summary><c>ContainerInherit, ObjectInherit</c> for folders, <c>None</c> for files.</summary>
    public string Inheritance { get; }
    public string Reason { get; }

    public override string ToString() => $"{Access} {Path} for {Principal} ({Sid})";
}
