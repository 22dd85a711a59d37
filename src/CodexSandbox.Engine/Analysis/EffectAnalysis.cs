namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// Information-only findings about what a command will touch: the network, and files outside the writable roots.
/// They add sentences to the reasons and never change the decision.
/// </summary>
public static class EffectAnalysis
{
    /// <summary>
    /// The word lists to inspect: the parsed segments, or for an opaque script the best-effort split
    /// (its single segment is then just the <c>sh -c</c> wrapper). A nested <c>bash -c '…'</c> or <c>pwsh -c '…'</c>
    /// is looked into too.
    /// </summary>
    public static IEnumerable<IReadOnlyList<string>> CommandsOf(CommandAnalysis analysis)
    {
        var result = new List<IReadOnlyList<string>>();
        if (analysis.Parsed) foreach (var s in analysis.Segments) AddNested(s, result, 0);
        foreach (var s in analysis.ScanSegments) AddNested(s, result, 0);
        return result;
    }

    private static void AddNested(IReadOnlyList<string> argv, List<IReadOnlyList<string>> result, int depth)
    {
        result.Add(argv);
        if (depth >= 4) return;
        if (ShellWrapper.TryGetPosixScript(argv, out var script))
        {
            foreach (var inner in PosixScriptParser.SplitLenient(script)) AddNested(inner, result, depth + 1);
        }
        else if (ShellWrapper.TryGetPowerShellScript(argv, out var psScript))
        {
            foreach (var inner in PowerShellAnalysis.SplitLenient(psScript)) AddNested(inner, result, depth + 1);
        }
        // `sudo curl …`, `timeout 5 wget …`, `env X=1 tee /etc/x`: the wrapped command has the effect.
        else if (DangerousCommands.Wrapped(argv) is { } wrapped)
        {
            AddNested(wrapped, result, depth + 1);
        }
    }

    /// <summary>Adds one sentence per network command (under the effective network mode); true when there was one.</summary>
    public static bool AddNetworkReasons(CommandAnalysis analysis, List<string> reasons, NetworkMode effective)
    {
        bool any = false;
        foreach (var argv in CommandsOf(analysis))
        {
            if (!NetworkCommands.UsesNetwork(argv, out var label)) continue;
            any = true;
            var sentence = effective switch
            {
                NetworkMode.Off => $"`{label}` uses the network, which is off in this policy: it will fail inside the sandbox.",
                NetworkMode.Allowlist => $"`{label}` uses the network: the allowlist proxy decides by host name.",
                _ => $"`{label}` uses the network; the network is on.",
            };
            if (!reasons.Contains(sentence)) reasons.Add(sentence);
        }
        return any;
    }

    /// <summary>
    /// Adds a sentence for each path a known writer targets outside the writable roots. In
    /// <see cref="SandboxMode.DangerFullAccess"/> nothing is checked; in <see cref="SandboxMode.ReadOnly"/> every target is outside;
    /// in <see cref="SandboxMode.WorkspaceWrite"/> the check needs <paramref name="writableRoots"/> (null: skipped).
    /// </summary>
    public static void AddWriteReasons(CommandAnalysis analysis, List<string> reasons, SandboxMode mode,
        IReadOnlyList<string>? writableRoots, string? workingDirectory)
    {
        if (mode == SandboxMode.DangerFullAccess) return;
        if (mode == SandboxMode.WorkspaceWrite && writableRoots is null) return;
        var roots = mode == SandboxMode.ReadOnly ? [] : writableRoots!;
        var check = new WritableRootCheck(roots, workingDirectory);
        var targets = new List<string>(4);
        // A `cd` moves where later relative paths start. Approximate: it is taken to hold for the rest of the line
        // (subshells are not tracked); after a `cd` whose target is unknown, relative paths are not judged at all.
        bool moved = false, lost = false;
        foreach (var argv in CommandsOf(analysis))
        {
            if (ChangeDirectory(argv, out var destination))
            {
                moved = true;
                if (destination is not null && !lost && check.Resolve(destination) is { } full) check = new WritableRootCheck(roots, full);
                else lost = true;
                continue;
            }
            targets.Clear();
            if (!WriteTargets.TryGet(argv, targets)) continue;
            var display = ShellWords.Join(argv);
            foreach (var t in targets)
            {
                if (!lost || IsAnchored(t)) AddIfOutside(check, display, t, reasons);
            }
        }
        // Redirections are not tied to a segment here, so after any `cd` only absolute ones are judged.
        var start = new WritableRootCheck(roots, workingDirectory);
        foreach (var t in analysis.RedirectTargets)
        {
            if (!moved || IsAnchored(t)) AddIfOutside(start, "> " + t, t, reasons);
        }
    }

    private static bool IsAnchored(string path) => Path.IsPathRooted(path) || path == "~" || path.StartsWith("~/", StringComparison.Ordinal);

    /// <summary>True for <c>cd</c>/<c>pushd</c>; <paramref name="destination"/> is where it goes (<c>~</c> when bare), or null when unknown (<c>cd -</c>).</summary>
    private static bool ChangeDirectory(IReadOnlyList<string> argv, out string? destination)
    {
        destination = null;
        if (argv.Count == 0 || ExecutableName.Basename(argv[0]) is not ("cd" or "pushd" or "Set-Location" or "sl" or "chdir")) return false;
        for (int i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--") { destination = i + 1 < argv.Count ? argv[i + 1] : "~"; return true; }
            if (a.StartsWith('-') && a != "-" && !a.StartsWith("-Path", StringComparison.OrdinalIgnoreCase) && !a.StartsWith("-LiteralPath", StringComparison.OrdinalIgnoreCase)) continue;
            if (a.StartsWith("-Path", StringComparison.OrdinalIgnoreCase) || a.StartsWith("-LiteralPath", StringComparison.OrdinalIgnoreCase))
            {
                destination = i + 1 < argv.Count ? argv[i + 1] : null;
                return true;
            }
            destination = a == "-" || a.Contains('$') ? null : a;
            return true;
        }
        destination = "~";
        return true;
    }

    private static void AddIfOutside(WritableRootCheck check, string command, string target, List<string> reasons)
    {
        var full = check.Resolve(target);
        if (full is null || check.IsInsideRoots(full)) return;
        var sentence = $"`{command}` writes {full}, outside the writable roots: the sandbox will deny it.";
        if (!reasons.Contains(sentence)) reasons.Add(sentence);
    }
}
