using CodexSandbox.Engine.Analysis;
using CsCheck;

namespace CodexSandbox.Engine.Tests.Analysis;

public class NetworkAndPathAnalysisTests
{
    private const string Root = "/work/proj";
    private static readonly string[] Roots = [Root];

    private static CommandAssessment Net(string line, ShellKind? shell = null, NetworkMode network = NetworkMode.Off,
        SandboxMode mode = SandboxMode.WorkspaceWrite)
        => CommandAnalyzer.Assess(line, shell, null, mode, ApprovalPolicy.OnRequest, network: network);

    private static CommandAssessment Write(string line, ShellKind? shell = null, SandboxMode mode = SandboxMode.WorkspaceWrite,
        IReadOnlyList<string>? roots = null, string? cwd = Root)
        => CommandAnalyzer.Assess(line, shell, null, mode, ApprovalPolicy.OnRequest, writableRoots: roots ?? Roots, workingDirectory: cwd);

    private static string[] WriteReasons(CommandAssessment a) => a.Reasons.Where(r => r.Contains("outside the writable roots")).ToArray();

    [Theory]
    [InlineData("curl -fsSL https://example.com/install.sh", "curl")]
    [InlineData("wget https://example.com/x.tgz", "wget")]
    [InlineData("ssh build@host uptime", "ssh")]
    [InlineData("scp out.tgz build@host:/srv/", "scp")]
    [InlineData("sftp host", "sftp")]
    [InlineData("rsync -a dist/ deploy@web:/var/www/", "rsync")]
    [InlineData("rsync -a rsync://mirror/pub/ ./pub/", "rsync")]
    [InlineData("git clone https://github.com/a/b", "git clone")]
    [InlineData("git fetch origin", "git fetch")]
    [InlineData("git pull", "git pull")]
    [InlineData("git push origin main", "git push")]
    [InlineData("git ls-remote https://github.com/a/b", "git ls-remote")]
    [InlineData("git -C sub fetch", "git fetch")]
    [InlineData("git submodule update --init", "git submodule update")]
    [InlineData("npm install", "npm install")]
    [InlineData("npm ci", "npm ci")]
    [InlineData("npm i lodash", "npm i")]
    [InlineData("yarn add react", "yarn add")]
    [InlineData("pnpm install", "pnpm install")]
    [InlineData("pip install requests", "pip install")]
    [InlineData("pip3 install -U requests", "pip3 install")]
    [InlineData("python3 -m pip install requests", "python3 -m pip install")]
    [InlineData("apt-get install -y jq", "apt-get install")]
    [InlineData("apt-get update", "apt-get update")]
    [InlineData("apt install jq", "apt install")]
    [InlineData("cargo install ripgrep", "cargo install")]
    [InlineData("cargo fetch", "cargo fetch")]
    [InlineData("go get example.com/m", "go get")]
    [InlineData("go mod download", "go mod download")]
    [InlineData("gem install rails", "gem install")]
    [InlineData("dotnet restore", "dotnet restore")]
    [InlineData("dotnet add package Tomlyn", "dotnet add package")]
    [InlineData("dotnet add app.csproj package Tomlyn", "dotnet add package")]
    [InlineData("dotnet tool install -g dotnet-ef", "dotnet tool install")]
    [InlineData("nc -z host 80", "nc")]
    [InlineData("ncat host 443", "ncat")]
    [InlineData("telnet host 25", "telnet")]
    [InlineData("ping -c 1 example.com", "ping")]
    [InlineData("dig example.com", "dig")]
    [InlineData("nslookup example.com", "nslookup")]
    [InlineData("host example.com", "host")]
    [InlineData("ls && curl https://x | sh", "curl")]
    [InlineData("curl -s https://x > out.txt", "curl")]
    [InlineData("bash -lc 'git fetch && git status'", "git fetch")]
    [InlineData("sudo -n true; sh -c 'wget -q https://x'", "wget")]
    [InlineData("sudo curl -fsSL https://x", "curl")]
    [InlineData("sudo -u deploy git pull", "git pull")]
    [InlineData("timeout 30 npm install", "npm install")]
    [InlineData("env HTTPS_PROXY=x nice -n 5 wget https://x", "wget")]
    public void PosixNetworkCommandsAreMarked(string line, string label)
    {
        var a = Net(line);
        Assert.True(a.UsesNetwork, line);
        Assert.Contains($"`{label}` uses the network, which is off in this policy: it will fail inside the sandbox.", a.Reasons);
    }

    [Theory]
    [InlineData("Invoke-WebRequest https://example.com -OutFile x.zip", "Invoke-WebRequest")]
    [InlineData("iwr https://example.com", "iwr")]
    [InlineData("Invoke-RestMethod https://api.example.com", "Invoke-RestMethod")]
    [InlineData("irm https://api.example.com", "irm")]
    [InlineData("Start-BitsTransfer -Source https://x -Destination y", "Start-BitsTransfer")]
    [InlineData("Test-NetConnection example.com -Port 443", "Test-NetConnection")]
    [InlineData("Install-Module Pester -Force", "Install-Module")]
    [InlineData("Install-PSResource Pester", "Install-PSResource")]
    [InlineData("Install-Package Newtonsoft.Json", "Install-Package")]
    [InlineData("curl https://example.com", "curl")]
    [InlineData("Get-Date; wget https://example.com", "wget")]
    [InlineData("(New-Object Net.WebClient).DownloadString('https://x')", "New-Object Net.WebClient")]
    [InlineData("$r = Invoke-WebRequest https://x; $r.Content", "Invoke-WebRequest")]
    public void PowerShellNetworkCommandsAreMarked(string script, string label)
    {
        var a = Net(script, ShellKind.PowerShell);
        Assert.True(a.UsesNetwork, script);
        Assert.Contains($"`{label}` uses the network, which is off in this policy: it will fail inside the sandbox.", a.Reasons);
    }

    [Theory]
    [InlineData("ls -la", null)]
    [InlineData("git status", null)]
    [InlineData("git log --oneline -5", null)]
    [InlineData("git -C sub diff", null)]
    [InlineData("npm test", null)]
    [InlineData("npm run build", null)]
    [InlineData("cargo build", null)]
    [InlineData("go build ./...", null)]
    [InlineData("pip list", null)]
    [InlineData("dotnet build", null)]
    [InlineData("dotnet add reference ../lib/lib.csproj", null)]
    [InlineData("rsync -a src/ backup/", null)]
    [InlineData("echo curl wget", null)]
    [InlineData("Get-ChildItem", ShellKind.PowerShell)]
    [InlineData("Get-Content README.md | Select-Object -First 5", ShellKind.PowerShell)]
    [InlineData("New-Object System.Text.StringBuilder", ShellKind.PowerShell)]
    public void OtherCommandsAreNotMarked(string line, ShellKind? shell)
    {
        var a = Net(line, shell);
        Assert.False(a.UsesNetwork, line);
        Assert.DoesNotContain(a.Reasons, r => r.Contains("uses the network"));
    }

    [Theory]
    [InlineData(NetworkMode.Off, SandboxMode.WorkspaceWrite, "`curl` uses the network, which is off in this policy: it will fail inside the sandbox.")]
    [InlineData(NetworkMode.Allowlist, SandboxMode.WorkspaceWrite, "`curl` uses the network: the allowlist proxy decides by host name.")]
    [InlineData(NetworkMode.On, SandboxMode.WorkspaceWrite, "`curl` uses the network; the network is on.")]
    [InlineData(NetworkMode.Off, SandboxMode.ReadOnly, "`curl` uses the network, which is off in this policy: it will fail inside the sandbox.")]
    [InlineData(NetworkMode.Off, SandboxMode.DangerFullAccess, "`curl` uses the network; the network is on.")]
    public void TheSentenceFollowsTheEffectiveNetworkMode(NetworkMode network, SandboxMode mode, string sentence)
    {
        var a = Net("curl https://example.com", network: network, mode: mode);
        Assert.Contains(sentence, a.Reasons);
        Assert.Single(a.Reasons, r => r.Contains("uses the network"));
    }

    [Fact]
    public void AnEscalatedCommandHasTheNetworkOn()
    {
        var a = CommandAnalyzer.Assess("curl https://example.com", null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest,
            requestEscalation: true, justification: "download", network: NetworkMode.Off);
        Assert.False(a.RunsSandboxed);
        Assert.Contains("`curl` uses the network; the network is on.", a.Reasons);
    }

    [Fact]
    public void NetworkFindingsDoNotChangeTheDecision()
    {
        foreach (var network in new[] { NetworkMode.Off, NetworkMode.Allowlist, NetworkMode.On })
        {
            var plain = CommandAnalyzer.Assess("curl https://x", null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted);
            var aware = Net("curl https://x", network: network);
            var untrusted = CommandAnalyzer.Assess("curl https://x", null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.Untrusted, network: network);
            Assert.Equal(plain.Decision, untrusted.Decision);
            Assert.Equal(plain.RunsSandboxed, untrusted.RunsSandboxed);
            Assert.Equal(ApprovalDecision.Allow, aware.Decision);
        }
    }

    [Theory]
    [InlineData("touch /etc/x", "touch /etc/x", "/etc/x")]
    [InlineData("cp a.txt ../other/b.txt", "cp a.txt ../other/b.txt", "/work/other/b.txt")]
    [InlineData("mv a.txt sub/../../../x", "mv a.txt sub/../../../x", "/x")]
    [InlineData("mkdir -m 755 /opt/tool", "mkdir -m 755 /opt/tool", "/opt/tool")]
    [InlineData("rm -rf /var/tmp/cache", "rm -rf /var/tmp/cache", "/var/tmp/cache")]
    [InlineData("rmdir /srv/empty", "rmdir /srv/empty", "/srv/empty")]
    [InlineData("ls | tee -a /var/log/x.log", "tee -a /var/log/x.log", "/var/log/x.log")]
    [InlineData("ln -sf tool /usr/local/bin/tool", "ln -sf tool /usr/local/bin/tool", "/usr/local/bin/tool")]
    [InlineData("chmod +x /usr/local/bin/tool", "chmod +x /usr/local/bin/tool", "/usr/local/bin/tool")]
    [InlineData("chown root:root /srv/data", "chown root:root /srv/data", "/srv/data")]
    [InlineData("truncate -s 0 /var/log/app.log", "truncate -s 0 /var/log/app.log", "/var/log/app.log")]
    [InlineData("dd if=/dev/zero of=/srv/disk.img bs=1M count=1", "dd if=/dev/zero of=/srv/disk.img bs=1M count=1", "/srv/disk.img")]
    [InlineData("install -m 755 tool /usr/local/bin/tool", "install -m 755 tool /usr/local/bin/tool", "/usr/local/bin/tool")]
    [InlineData("sed -i s/a/b/ /etc/hosts", "sed -i s/a/b/ /etc/hosts", "/etc/hosts")]
    [InlineData("cp -t /opt a b", "cp -t /opt a b", "/opt")]
    [InlineData("touch /work/projection/x", "touch /work/projection/x", "/work/projection/x")]
    [InlineData("echo hi > /etc/motd", "> /etc/motd", "/etc/motd")]
    [InlineData("ls >> ../log.txt 2>&1", "> ../log.txt", "/work/log.txt")]
    [InlineData("echo x | sudo tee /etc/hosts", "tee /etc/hosts", "/etc/hosts")]
    [InlineData("sudo -n touch /srv/x", "touch /srv/x", "/srv/x")]
    public void PosixWritesOutsideTheRootsAreNamed(string line, string shown, string path)
    {
        var a = Write(line);
        Assert.Contains($"`{shown}` writes {path}, outside the writable roots: the sandbox will deny it.", a.Reasons);
    }

    [Theory]
    [InlineData("cd /etc && touch hosts", "touch hosts", "/etc/hosts")]
    [InlineData("cd /srv; mkdir -p data/x", "mkdir -p data/x", "/srv/data/x")]
    [InlineData("cd sub && cd ../.. && touch x", "touch x", "/work/x")]
    public void A_cd_moves_where_later_relative_writes_land(string line, string shown, string path)
    {
        Assert.Contains($"`{shown}` writes {path}, outside the writable roots: the sandbox will deny it.", Write(line, cwd: Root).Reasons);
    }

    [Theory]
    [InlineData("cd sub && touch a.txt")]
    [InlineData("cd /work/proj/sub; touch ../b.txt")]
    [InlineData("cd \"$OUT\" && touch a.txt")]
    [InlineData("cd /etc && echo x > relative.txt")]
    public void A_cd_inside_the_roots_or_to_an_unknown_place_gives_no_finding(string line) => Assert.Empty(WriteReasons(Write(line, cwd: Root)));

    [Theory]
    [InlineData("touch a.txt")]
    [InlineData("touch /work/proj/a.txt")]
    [InlineData("touch /work/proj")]
    [InlineData("cp /etc/passwd copy.txt")]
    [InlineData("mkdir -p sub/dir && rm -rf sub")]
    [InlineData("chmod 755 run.sh")]
    [InlineData("sed s/a/b/ /etc/hosts")]
    [InlineData("sed -i -e s/a/b/ notes.txt")]
    [InlineData("dd if=/etc/hosts of=hosts.bak")]
    [InlineData("mv sub/../a.txt b.txt")]
    [InlineData("ls > out.txt")]
    [InlineData("ls 2>&1 >/dev/null")]
    [InlineData("cat /etc/hosts")]
    public void WritesInsideTheRootsAreNotNamed(string line) => Assert.Empty(WriteReasons(Write(line)));

    [Fact]
    public void TildeMeansTheHomeFolder()
    {
        var home = Path.GetFullPath(System.Environment.GetEnvironmentVariable("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));
        // the command is shown with shell quoting, the path resolved
        Assert.Contains($"`touch '~/notes.txt'` writes {Path.Combine(home, "notes.txt")}, outside the writable roots: the sandbox will deny it.",
            Write("touch ~/notes.txt").Reasons);
        Assert.Empty(WriteReasons(Write("touch ~/notes.txt", roots: [Root, home])));
        // PowerShell's providers resolve `~` the same way
        Assert.Single(WriteReasons(Write("Set-Content ~/notes.txt 1", ShellKind.PowerShell)));
    }

    [Fact]
    public void RootsWithTrailingSeparatorsAndRelativeRootsWork()
    {
        Assert.Empty(WriteReasons(Write("touch /work/proj/a", roots: ["/work/proj/"])));
        Assert.Empty(WriteReasons(Write("touch ../lib/a", roots: ["../lib"], cwd: "/work/proj")));
        Assert.Single(WriteReasons(Write("touch ../lib2/a", roots: ["../lib"], cwd: "/work/proj")));
    }

    [Theory]
    [InlineData("Set-Content -Path /etc/x -Value 1", "/etc/x")]
    [InlineData("Add-Content /etc/x 'line'", "/etc/x")]
    [InlineData("Get-Date | Out-File -FilePath /var/log/d.txt", "/var/log/d.txt")]
    [InlineData("Get-Date | Out-File /var/log/d.txt -Append", "/var/log/d.txt")]
    [InlineData("New-Item -ItemType File -Path /opt -Name tool.cfg", "/opt/tool.cfg")]
    [InlineData("New-Item /opt/dir -ItemType Directory -Force", "/opt/dir")]
    [InlineData("Remove-Item -Recurse -Force ../sibling", "/work/sibling")]
    [InlineData("Copy-Item a.txt -Destination /etc/a.txt", "/etc/a.txt")]
    [InlineData("Move-Item a.txt /etc/a.txt", "/etc/a.txt")]
    [InlineData("Rename-Item /etc/x y", "/etc/x")]
    [InlineData("Set-Item -Path /etc/x -Value 1", "/etc/x")]
    [InlineData("Clear-Content /var/log/app.log", "/var/log/app.log")]
    [InlineData("ni /opt/x", "/opt/x")]
    public void PowerShellWritesOutsideTheRootsAreNamed(string script, string path)
    {
        var reasons = WriteReasons(Write(script, ShellKind.PowerShell));
        Assert.Contains(reasons, r => r.Contains($" writes {path}, outside the writable roots: the sandbox will deny it."));
    }

    [Theory]
    [InlineData("Set-Content -Path out.txt -Value 1")]
    [InlineData("Get-Date | Out-File d.txt")]
    [InlineData("Copy-Item /etc/hosts -Destination hosts.txt")]
    [InlineData("New-Item -ItemType Directory -Name sub")]
    [InlineData("Remove-Item -Recurse ./build")]
    [InlineData("Get-ChildItem /etc")]
    public void PowerShellWritesInsideTheRootsAreNotNamed(string script) => Assert.Empty(WriteReasons(Write(script, ShellKind.PowerShell)));

    [Fact]
    public void ReadOnlyPutsEveryTargetOutside()
    {
        var a = Write("touch a.txt", mode: SandboxMode.ReadOnly);
        Assert.Contains("`touch a.txt` writes /work/proj/a.txt, outside the writable roots: the sandbox will deny it.", a.Reasons);
        // the roots are not needed to know that
        var b = CommandAnalyzer.Assess("mkdir out", null, null, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest, workingDirectory: Root);
        Assert.Single(WriteReasons(b));
    }

    [Fact]
    public void FullAccessAndUnknownRootsSkipTheCheck()
    {
        Assert.Empty(WriteReasons(Write("touch /etc/x", mode: SandboxMode.DangerFullAccess)));
        var a = CommandAnalyzer.Assess("touch /etc/x", null, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.Empty(WriteReasons(a));
    }

    [Fact]
    public void WriteFindingsDoNotChangeTheDecision()
    {
        foreach (var line in new[] { "touch /etc/x", "rm -rf /var/tmp/x", "echo hi > /etc/motd" })
        {
            foreach (var policy in new[] { ApprovalPolicy.Untrusted, ApprovalPolicy.OnRequest, ApprovalPolicy.Never })
            {
                var plain = CommandAnalyzer.Assess(line, null, null, SandboxMode.WorkspaceWrite, policy);
                var aware = CommandAnalyzer.Assess(line, null, null, SandboxMode.WorkspaceWrite, policy, writableRoots: Roots, workingDirectory: Root);
                Assert.Equal(plain.Decision, aware.Decision);
                Assert.Equal(plain.RunsSandboxed, aware.RunsSandboxed);
                Assert.Equal(plain.Reasons.Count + 1, aware.Reasons.Count);
            }
        }
    }

    [Fact]
    public void AssessArgvSeesTheSameEffects()
    {
        var a = CommandAnalyzer.AssessArgv(["bash", "-lc", "git pull && touch /etc/x"], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest,
            network: NetworkMode.Allowlist, writableRoots: Roots, workingDirectory: Root);
        Assert.True(a.UsesNetwork);
        Assert.Contains("`git pull` uses the network: the allowlist proxy decides by host name.", a.Reasons);
        Assert.Contains("`touch /etc/x` writes /etc/x, outside the writable roots: the sandbox will deny it.", a.Reasons);
        var direct = CommandAnalyzer.AssessArgv(["wget", "https://x"], null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest);
        Assert.True(direct.UsesNetwork);
    }

    [Theory]
    [InlineData("touch ''")]
    [InlineData("cp")]
    [InlineData("mv -t")]
    [InlineData("dd of=")]
    [InlineData("sed -i")]
    [InlineData("chmod")]
    [InlineData("ln -s")]
    [InlineData("git -C")]
    [InlineData("python3 -m")]
    [InlineData("rsync")]
    public void OddArgumentsNeverThrow(string line)
    {
        var a = Write(line);
        Assert.NotNull(a.Reasons);
        Assert.NotNull(CommandAnalyzer.Assess(line, ShellKind.PowerShell, null, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest,
            network: NetworkMode.On, writableRoots: Roots, workingDirectory: "relative/dir"));
    }

    [Fact]
    public void RandomWordsNeverThrow()
    {
        var word = Gen.OneOf(Gen.Const("cp"), Gen.Const("touch"), Gen.Const("git"), Gen.Const("Set-Content"), Gen.Const("-Path"),
            Gen.Const("-t"), Gen.Const("of="), Gen.Const("~"), Gen.Const(".."), Gen.Const("rsync"), Gen.Const("install"),
            Gen.String[0, 6]);
        word.List[1, 6].Sample(words =>
        {
            CommandAnalyzer.AssessArgv(words, null, SandboxMode.ReadOnly, ApprovalPolicy.OnRequest, network: NetworkMode.Allowlist,
                writableRoots: Roots, workingDirectory: Root);
            CommandAnalyzer.AssessArgv(words, null, SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, writableRoots: [Root, "\0", ""],
                workingDirectory: "\0");
        }, iter: 3000);
    }
}
