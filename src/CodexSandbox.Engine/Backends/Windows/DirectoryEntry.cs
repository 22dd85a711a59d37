namespace CodexSandbox.Engine.Backends.Windows;

/// <summary>One child of a folder, as the ACL planner sees it.</summary>
public readonly record struct DirectoryEntry(string Name, bool IsDirectory)
{
    /// <summary>The real file system; null when the folder does not exist or cannot be listed here.</summary>
    public static IReadOnlyList<DirectoryEntry>? List(string folder)
    {
        try
        {
            var info = new DirectoryInfo(folder);
            if (!info.Exists) return null;
            return info.EnumerateFileSystemInfos().Select(i => new DirectoryEntry(i.Name, i is DirectoryInfo)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
