namespace CodexSandbox.Engine.Analysis;

/// <summary>
/// The paths a known file-writing command changes, read from its argv (POSIX tools and PowerShell cmdlets).
/// Best effort and never throws: an argv it does not understand yields no targets.
/// </summary>
public static class WriteTargets
{
    /// <summary>Adds the paths <paramref name="argv"/> writes to <paramref name="targets"/>; false when it is not a known writer.</summary>
    public static bool TryGet(IReadOnlyList<string> argv, List<string> targets)
    {
        int start = NetworkCommands.SkipPowerShellAssignment(argv);
        if (argv.Count <= start || string.IsNullOrEmpty(argv[start])) return false;
        var name = ExecutableName.Basename(argv[start]);
        if (name.Contains('-') || IsPowerShellAlias(name))
        {
            return PowerShell(name.ToLowerInvariant(), argv, start + 1, targets);
        }
        return Posix(ExecutableName.Stem(argv[start]), argv, start + 1, targets);
    }

    private static bool Posix(string name, IReadOnlyList<string> argv, int from, List<string> targets)
    {
        switch (name)
        {
            case "cp" or "mv" or "ln" or "install":
            {
                var ops = Operands(argv, from, name == "install" ? "mogtS" : "tS", out var targetDir);
                if (targetDir is not null) { targets.Add(targetDir); return true; }
                if (name == "install" && HasFlag(argv, from, 'd')) { targets.AddRange(ops); return true; }
                if (ops.Count >= 2) targets.Add(ops[^1]);
                // `ln -s /x/y` links into the working directory under the target's name
                else if (name == "ln" && ops.Count == 1) targets.Add(ExecutableName.Basename(ops[0]));
                return true;
            }
            case "tee" or "rm" or "rmdir" or "unlink" or "shred":
                targets.AddRange(Operands(argv, from, "", out _));
                return true;
            case "touch":
                targets.AddRange(Operands(argv, from, "drt", out _));
                return true;
            case "mkdir":
                targets.AddRange(Operands(argv, from, "m", out _));
                return true;
            case "truncate":
                targets.AddRange(Operands(argv, from, "sr", out _));
                return true;
            case "chmod" or "chown" or "chgrp":
            {
                bool reference = false;
                var ops = new List<string>();
                bool endOfOptions = false;
                for (int i = from; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (!endOfOptions && a == "--") { endOfOptions = true; continue; }
                    if (!endOfOptions && a.StartsWith("--reference", StringComparison.Ordinal)) { reference = true; continue; }
                    // `chmod -w file`: a symbolic mode that looks like an option
                    if (!endOfOptions && name == "chmod" && ops.Count == 0 && !reference && IsSymbolicMode(a)) { reference = true; continue; }
                    if (!endOfOptions && a.StartsWith('-') && a.Length > 1) continue;
                    ops.Add(a);
                }
                // the first operand is the mode or owner unless --reference gave it
                for (int k = reference ? 0 : 1; k < ops.Count; k++) targets.Add(ops[k]);
                return true;
            }
            case "dd":
                for (int i = from; i < argv.Count; i++)
                {
                    if (argv[i].StartsWith("of=", StringComparison.Ordinal) && argv[i].Length > 3) targets.Add(argv[i].Substring(3));
                }
                return true;
            case "sed":
            {
                bool inPlace = false, hasScript = false;
                var ops = new List<string>();
                for (int i = from; i < argv.Count; i++)
                {
                    var a = argv[i];
                    if (a is "-e" or "-f" or "--expression" or "--file") { hasScript = true; i++; continue; }
                    if (a.StartsWith("--expression=", StringComparison.Ordinal) || a.StartsWith("--file=", StringComparison.Ordinal)) { hasScript = true; continue; }
                    if (a.StartsWith("--in-place", StringComparison.Ordinal)) { inPlace = true; continue; }
                    if (a.StartsWith('-') && a.Length > 1 && !a.StartsWith("--", StringComparison.Ordinal))
                    {
                        // -i, -i.bak, -ni, -Ei: any short-flag cluster holding i
                        if (a.IndexOf('i') > 0) inPlace = true;
                        continue;
                    }
                    ops.Add(a);
                }
                if (!inPlace) return false;
                for (int k = hasScript ? 0 : 1; k < ops.Count; k++) targets.Add(ops[k]);
                return true;
            }
        }
        return false;
    }

    private static bool PowerShell(string name, IReadOnlyList<string> argv, int from, List<string> targets)
    {
        name = name switch
        {
            "ni" => "new-item",
            "ri" or "del" or "erase" or "rd" => "remove-item",
            "cpi" or "copy" => "copy-item",
            "mi" or "move" => "move-item",
            "rni" or "ren" => "rename-item",
            "si" => "set-item",
            "clc" => "clear-content",
            "ac" => "add-content",
            _ => name,
        };
        if (name is not ("set-content" or "add-content" or "out-file" or "new-item" or "remove-item" or "copy-item" or "move-item"
            or "rename-item" or "set-item" or "clear-content" or "clear-item")) return false;
        var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var positional = new List<string>();
        for (int i = from; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a.Length > 1 && a[0] == '-' && !char.IsAsciiDigit(a[1]))
            {
                var p = a.Substring(1).TrimEnd(':');
                if (IsSwitch(p) || i + 1 >= argv.Count) continue;
                named[p] = argv[++i];
                continue;
            }
            positional.Add(a);
        }
        string? Get(params string[] keys)
        {
            foreach (var k in keys) if (named.TryGetValue(k, out var v)) return v;
            return null;
        }
        switch (name)
        {
            case "copy-item" or "move-item":
            {
                var dest = Get("Destination") ?? (positional.Count >= 2 ? positional[1] : null);
                if (dest is not null) targets.Add(dest);
                if (name == "move-item" && (Get("Path", "LiteralPath") ?? (positional.Count >= 1 ? positional[0] : null)) is { } src) targets.Add(src);
                return true;
            }
            case "out-file":
            {
                if ((Get("FilePath", "Path", "LiteralPath") ?? (positional.Count >= 1 ? positional[0] : null)) is { } f) targets.Add(f);
                return true;
            }
            case "new-item":
            {
                var path = Get("Path") ?? (positional.Count >= 1 ? positional[0] : null);
                var itemName = Get("Name");
                if (itemName is not null) targets.Add(path is null ? itemName : path.TrimEnd('/', '\\') + "/" + itemName);
                else if (path is not null) targets.Add(path);
                return true;
            }
            default:
            {
                if ((Get("Path", "LiteralPath") ?? (positional.Count >= 1 ? positional[0] : null)) is { } p) targets.Add(p);
                return true;
            }
        }
    }

    private static bool IsSwitch(string p) => p.ToLowerInvariant() is "force" or "recurse" or "nonewline" or "append" or "whatif" or "confirm"
        or "passthru" or "noclobber" or "container" or "asbytestream" or "verbose" or "debug";

    private static bool IsPowerShellAlias(string name) => name.ToLowerInvariant() is "ni" or "ri" or "del" or "erase" or "rd" or "cpi"
        or "copy" or "mi" or "move" or "rni" or "ren" or "si" or "clc" or "ac";

    private static bool IsSymbolicMode(string a)
    {
        if (a.Length < 2 || a[0] is not ('-' or '+' or '=')) return false;
        for (int k = 1; k < a.Length; k++) if ("rwxXstugo".IndexOf(a[k]) < 0) return false;
        return true;
    }

    private static bool HasFlag(IReadOnlyList<string> argv, int from, char flag)
    {
        for (int i = from; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--") break;
            if (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.IndexOf(flag) > 0) return true;
        }
        return false;
    }

    /// <summary>
    /// The operands after GNU-style options. <paramref name="valueFlags"/> are short options that take a value
    /// (as the next word or glued); <c>-t DIR</c> / <c>--target-directory=DIR</c> is returned in <paramref name="targetDir"/>.
    /// </summary>
    private static List<string> Operands(IReadOnlyList<string> argv, int from, string valueFlags, out string? targetDir)
    {
        targetDir = null;
        var ops = new List<string>();
        bool endOfOptions = false;
        for (int i = from; i < argv.Count; i++)
        {
            var a = argv[i];
            if (endOfOptions || a.Length < 2 || a[0] != '-') { ops.Add(a); continue; }
            if (a == "--") { endOfOptions = true; continue; }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.StartsWith("--target-directory=", StringComparison.Ordinal)) targetDir = a.Substring("--target-directory=".Length);
                else if (a == "--target-directory" && i + 1 < argv.Count) targetDir = argv[++i];
                continue;
            }
            // a short-flag cluster: the first value flag takes the rest of the word, or the next word
            for (int k = 1; k < a.Length; k++)
            {
                if (valueFlags.IndexOf(a[k]) < 0) continue;
                string? value = k + 1 < a.Length ? a.Substring(k + 1) : (i + 1 < argv.Count ? argv[++i] : null);
                if (a[k] == 't' && valueFlags.Contains('t') && value is not null) targetDir = value;
                break;
            }
        }
        return ops;
    }
}
