namespace CodexSandbox.Engine.Rollback;

/// <summary>
/// The checkpoint store's own bare git repository: it holds the refs and commits of git checkpoints and a copy of every
/// object they need. The user's repository gains no refs (<c>git log --all</c>, <c>git branch -a</c>, <c>git stash list</c>
/// stay as they were) and its <c>gc</c> can prune nothing a checkpoint still needs. There is one per object format,
/// because a work tree is hashed the way its repository hashes.
/// </summary>
internal sealed class CheckpointRepository
{
    private CheckpointRepository(string gitDirectory)
    {
        GitDirectory = gitDirectory;
    }

    /// <summary>The bare repository folder, <c>&lt;store&gt;/git/&lt;format&gt;.git</c>.</summary>
    public string GitDirectory { get; }

    /// <summary>Where its objects live; git calls in the user's work tree write here instead of the user's object folder.</summary>
    public GitObjects Objects => new(Path.Combine(GitDirectory, "objects"));

    /// <summary>The repository for <paramref name="objectFormat"/> (<c>sha1</c> or <c>sha256</c>), created on first use.</summary>
    public static CheckpointRepository Open(string storeDirectory, string objectFormat)
    {
        if (objectFormat is not ("sha1" or "sha256")) throw new CheckpointException($"git object format '{objectFormat}' is not supported");
        var dir = Path.Combine(storeDirectory, "git", objectFormat + ".git");
        if (!Directory.Exists(dir)) Create(dir, objectFormat);
        return new CheckpointRepository(dir);
    }

    /// <summary>The repository a checkpoint was recorded in (<see cref="CheckpointRoot.CheckpointRepository"/>).</summary>
    public static CheckpointRepository At(string gitDirectory)
    {
        if (!Directory.Exists(gitDirectory)) throw new CheckpointException($"the checkpoint repository {gitDirectory} is missing");
        return new CheckpointRepository(gitDirectory);
    }

    /// <summary>
    /// Copies into this repository every object reachable from <paramref name="commit"/> that it does not hold yet,
    /// reading them from <paramref name="borrowed"/> (the user's object folder). Git writes new objects here already, but
    /// it skips those the user's repository has (unchanged files, whose hashes come from the user's index).
    /// </summary>
    public void Adopt(string commit, string borrowed)
    {
        var withUser = Objects with { Borrowed = borrowed };
        var ids = GitCli.SplitLines(Git(["rev-list", "--objects", commit], objects: withUser).Stdout)
            .Select(line => line.Split(' ', 2)[0]).Where(id => id.Length > 0).ToList();
        if (ids.Count == 0) throw new CheckpointException($"git listed no objects for checkpoint commit {commit}");
        var missing = GitCli.SplitLines(Git(["cat-file", "--batch-check=%(objectname) %(objecttype)"], stdin: Lines(ids)).Stdout)
            .Select(line => line.Split(' ')).Where(f => f.Length == 2 && f[1] == "missing").Select(f => f[0]).ToList();
        if (missing.Count == 0) return;
        Git(["pack-objects", "-q", Path.Combine(GitDirectory, "objects", "pack", "pack")], stdin: Lines(missing), objects: withUser);
    }

    /// <summary>A commit made here (checkpoint commits have no parent in the user's history, so nothing else is pulled in).</summary>
    public string Commit(string tree, string? parent, string message, string? borrowed = null)
    {
        List<string> args = ["commit-tree", "--no-gpg-sign", tree, "-m", message];
        if (parent is not null) args.AddRange(["-p", parent]);
        return Git(args, objects: borrowed is null ? null : Objects with { Borrowed = borrowed }).Text;
    }

    public void SetRef(string name, string commit) => Git(["update-ref", name, commit]);

    /// <summary>Deletes a ref; a failure is not an error (pruning is housekeeping, and must not stop a run).</summary>
    public void DeleteRef(string name) => GitCli.Run(GitDirectory, ["--git-dir=" + GitDirectory, "update-ref", "-d", name]);

    /// <summary>
    /// Drops objects no checkpoint needs any more. Objects younger than an hour stay: a checkpoint being taken in
    /// another session has written them but not its ref yet.
    /// </summary>
    public void CollectGarbage() => Git(["gc", "--quiet", "--prune=1.hour.ago"]);

    /// <summary>The ref of one root of a checkpoint.</summary>
    public static string RefName(string checkpointId, int rootIndex) => $"refs/checkpoints/{checkpointId}/{rootIndex}";

    private GitCli.Result Git(IReadOnlyList<string> args, byte[]? stdin = null, GitObjects? objects = null) =>
        GitCli.Check(GitDirectory, ["--git-dir=" + GitDirectory, .. args], stdin: stdin, objects: objects);

    private static byte[] Lines(IEnumerable<string> ids) => System.Text.Encoding.ASCII.GetBytes(string.Join('\n', ids) + "\n");

    // Made under a temporary name and renamed, so a concurrent session never uses a half-made repository.
    private static void Create(string dir, string objectFormat)
    {
        var parent = Path.GetDirectoryName(dir)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{objectFormat}.{Guid.NewGuid():n}.tmp");
        try
        {
            // No template: nothing (hooks, info/exclude) is copied from the user's git installation or config.
            GitCli.Check(parent, ["init", "-q", "--bare", "--template=", "--object-format=" + objectFormat, temp]);
            Directory.Move(temp, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            // Another session created it first; theirs is as good as ours.
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
