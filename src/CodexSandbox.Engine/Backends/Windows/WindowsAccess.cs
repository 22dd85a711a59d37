namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>The access masks behind the <see cref="AclEntry.Access"/> words.</summary>
public static class WindowsAccess
{
    public const string AllowWrite = "Allow Write";
    public const string DenyWrite = "Deny Write";
    public const string FolderInheritance = "ContainerInherit, ObjectInherit";
    public const string NoInheritance = "None";

    public const uint FileWriteData = 0x2, FileAppendData = 0x4, FileWriteEa = 0x10, FileDeleteChild = 0x40, FileWriteAttributes = 0x100;
    public const uint Delete = 0x10000, WriteDac = 0x40000, WriteOwner = 0x80000;
    public const uint FileGenericRead = 0x120089, FileGenericWrite = 0x120116, FileGenericExecute = 0x1200A0;

    /// <summary>
    /// Read, write, execute and delete, but not FILE_DELETE_CHILD: with it, a parent grant would let the command
    /// rename a protected <c>.git</c> away (Windows allows the delete when the parent grants FILE_DELETE_CHILD,
    /// whatever the child's deny entry says). Without it each delete needs DELETE on the object itself, which
    /// inheritance grants everywhere except on the protected paths. No WRITE_DAC/WRITE_OWNER either.
    /// </summary>
    public const uint AllowWriteMask = FileGenericRead | FileGenericWrite | FileGenericExecute | Delete;

    /// <summary>Every right that changes a file or folder, its children, or its ACL.</summary>
    public const uint DenyWriteMask = FileWriteData | FileAppendData | FileWriteEa | FileDeleteChild | FileWriteAttributes | Delete | WriteDac | WriteOwner;

    public static uint MaskFor(string access) => access switch
    {
        AllowWrite => AllowWriteMask,
        DenyWrite => DenyWriteMask,
        _ => throw new ArgumentException($"Unknown access '{access}'.", nameof(access)),
    };
}
