namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Recognises commands that reach the network (downloads, remote shells, VCS remotes, package installs, probes),
/// so the assessment can say up front whether the policy's network mode lets them through.
/// </summary>
public static class NetworkCommands
{
    /// <summary>
    /// True when <paramref name="argv"/> uses the network; <paramref name="label"/> is the short form named in the
    /// reason (<c>curl</c>, <c>git clone</c>, <c>npm install</c>, <c>Invoke-WebRequest</c>…).
    /// </summary>
    public static bool UsesNetwork(IReadOnlyList<string> argv, out string label)
    {
        label = "";
        int start = SkipPowerShellAssignment(argv);
        if (argv.Count <= start || string.IsNullOrEmpty(argv[start])) return false;
        var name = ExecutableName.Stem(argv[start]).ToLowerInvariant();
        var arg1 = FirstOperand(argv, start + 1);
        switch (name)
        {
            case "curl" or "wget" or "ssh" or "scp" or "sftp" or "nc" or "ncat" or "netcat" or "telnet" or "ping" or "ping6"
                or "dig" or "nslookup" or "host":
                label = name;
                return true;
            case "rsync":
                for (int i = start + 1; i < argv.Count; i++)
                {
                    if (IsRemoteSpec(argv[i])) { label = name; return true; }
                }
                return false;
            case "git":
                return Git(argv, start, out label);
            case "npm":
                return Sub(name, arg1, out label, "install", "i", "ci", "add", "update", "publish");
            case "yarn":
                // bare `yarn` installs the dependencies
                if (argv.Count == start + 1) { label = "yarn"; return true; }
                return Sub(name, arg1, out label, "add", "install", "upgrade");
            case "pnpm":
                return Sub(name, arg1, out label, "install", "i", "add", "update");
            case "pip" or "pip3":
                return Sub(name, arg1, out label, "install", "download");
            case "python" or "python3" or "py":
                if (start + 3 < argv.Count && argv[start + 1] == "-m" && argv[start + 2] is "pip" or "pip3"
                    && argv[start + 3] is "install" or "download")
                {
                    label = $"{name} -m pip {argv[start + 3]}";
                    return true;
                }
                return false;
            case "apt-get" or "apt":
                return Sub(name, arg1, out label, "install", "update", "upgrade", "dist-upgrade", "full-upgrade", "download", "source");
            case "cargo":
                return Sub(name, arg1, out label, "install", "fetch");
            case "go":
                if (arg1 == "mod" && FirstOperand(argv, IndexOfOperand(argv, start + 1) + 1) == "download")
                {
                    label = "go mod download";
                    return true;
                }
                return Sub(name, arg1, out label, "get");
            case "gem":
                return Sub(name, arg1, out label, "install", "update");
            case "dotnet":
            {
                if (Sub(name, arg1, out label, "restore")) return true;
                var arg2 = FirstOperand(argv, IndexOfOperand(argv, start + 1) + 1);
                // `dotnet add [project] package X`
                if (arg1 == "add" && Contains(argv, start + 2, "package"))
                {
                    label = "dotnet add package";
                    return true;
                }
                if (arg1 == "tool" && arg2 is "install" or "update" or "restore")
                {
                    label = $"dotnet tool {arg2}";
                    return true;
                }
                return false;
            }
        }
        // PowerShell cmdlets and aliases (case-insensitive)
        switch (name)
        {
            case "invoke-webrequest" or "iwr" or "invoke-restmethod" or "irm" or "start-bitstransfer" or "test-netconnection"
                or "install-module" or "install-psresource" or "install-package" or "save-module" or "update-module"
                or "test-connection" or "resolve-dnsname":
                label = argv[start];
                return true;
            case "new-object":
                for (int i = start + 1; i < argv.Count; i++)
                {
                    var t = argv[i].Trim('\'', '"');
                    if (t.EndsWith("Net.WebClient", StringComparison.OrdinalIgnoreCase)
                        || t.EndsWith("Net.Http.HttpClient", StringComparison.OrdinalIgnoreCase)
                        || t.EndsWith("Net.Sockets.TcpClient", StringComparison.OrdinalIgnoreCase))
                    {
                        label = $"New-Object {t}";
                        return true;
                    }
                }
                return false;
        }
        return false;
    }

    private static bool Git(IReadOnlyList<string> argv, int start, out string label)
    {
        label = "";
        // skip git's global options; -C and -c take a value
        int i = start + 1;
        while (i < argv.Count && argv[i].StartsWith('-'))
        {
            if (argv[i] is "-C" or "-c" or "--git-dir" or "--work-tree" or "--namespace") i++;
            i++;
        }
        if (i >= argv.Count) return false;
        var sub = argv[i];
        if (sub is "clone" or "fetch" or "pull" or "push" or "ls-remote" || (sub == "archive" && Contains(argv, i, "--remote")))
        {
            label = "git " + sub;
            return true;
        }
        if (sub is "submodule" && FirstOperand(argv, i + 1) is "update" or "sync" or "add")
        {
            label = "git submodule " + FirstOperand(argv, i + 1);
            return true;
        }
        if (sub is "remote" && FirstOperand(argv, i + 1) is "update" or "prune")
        {
            label = "git remote " + FirstOperand(argv, i + 1);
            return true;
        }
        return false;
    }

    private static bool Sub(string name, string? arg, out string label, params string[] subcommands)
    {
        label = "";
        if (arg is null || Array.IndexOf(subcommands, arg) < 0) return false;
        label = $"{name} {arg}";
        return true;
    }

    /// <summary><c>host:path</c>, <c>user@host:path</c> or <c>rsync://…</c> — not a local path that merely contains a colon.</summary>
    private static bool IsRemoteSpec(string arg)
    {
        if (arg.StartsWith("rsync://", StringComparison.OrdinalIgnoreCase)) return true;
        if (arg.Length == 0 || arg[0] is '-' or '/' or '.' or '~') return false;
        int colon = arg.IndexOf(':');
        if (colon <= 0) return false;
        int slash = arg.IndexOf('/');
        return slash < 0 || colon < slash;
    }

    private static string? FirstOperand(IReadOnlyList<string> argv, int from)
    {
        int i = IndexOfOperand(argv, from);
        return i < argv.Count ? argv[i] : null;
    }

    private static int IndexOfOperand(IReadOnlyList<string> argv, int from)
    {
        int i = Math.Max(from, 0);
        while (i < argv.Count && argv[i].StartsWith('-')) i++;
        return i;
    }

    private static bool Contains(IReadOnlyList<string> argv, int from, string word)
    {
        for (int i = from; i < argv.Count; i++) if (argv[i] == word) return true;
        return false;
    }

    /// <summary>The lenient PowerShell split keeps <c>$r = Invoke-WebRequest …</c> as one word list: look past the assignment.</summary>
    internal static int SkipPowerShellAssignment(IReadOnlyList<string> argv)
        => argv.Count >= 3 && argv[0].StartsWith('$') && argv[1] == "=" ? 2 : 0;
}
