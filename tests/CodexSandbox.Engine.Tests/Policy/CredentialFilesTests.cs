using CodexSandbox.Engine.Backends.Linux;
using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Policy;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Policy;

public class CredentialFilesTests
{
    private static SandboxPolicy Resolve(TempTree t, IReadOnlyDictionary<string, string>? env = null, PolicyOverrides? o = null) =>
        PolicyResolver.Resolve(ConfigLoader.Load(t.Request()), o ?? new PolicyOverrides(), env ?? HomeEnv(t));

    private static Dictionary<string, string> HomeEnv(TempTree t) => new() { ["PATH"] = "/usr/bin:/bin", ["HOME"] = Home(t) };

    private static string Home(TempTree t) => Path.Combine(t.Root, "home");

    // A home with every kind of credential store, and ~/.ssh with keys and the entries ssh needs to verify hosts.
    private static void Stores(TempTree t)
    {
        foreach (var f in new[] { ".ssh/id_ed25519", ".ssh/id_ed25519.pub", ".ssh/known_hosts", ".ssh/config", ".ssh/id_rsa", ".ssh/authorized_keys",
                     ".aws/credentials", ".config/gh/hosts.yml", ".gnupg/private-keys-v1.d/k.key", ".netrc", ".docker/config.json",
                     ".kube/config", ".git-credentials", ".codex/auth.json", ".config/other/settings" })
        {
            t.Write("home/" + f, "secret");
        }
        t.Dir("home/.ssh/keys");
    }

    [Fact]
    public void EveryStoreIsDeniedByDefaultWithProvenance()
    {
        using var t = new TempTree();
        Stores(t);
        var p = Resolve(t);
        var h = Home(t);
        Assert.Equal(
            [$"{h}/.ssh/authorized_keys", $"{h}/.ssh/id_ed25519", $"{h}/.ssh/id_rsa", $"{h}/.ssh/keys",
             $"{h}/.aws", $"{h}/.config/gh", $"{h}/.gnupg", $"{h}/.netrc", $"{h}/.docker/config.json", $"{h}/.kube", $"{h}/.git-credentials",
             $"{t.CodexHome}/auth.json"],
            p.CredentialDenyRead);
        Assert.Equal(p.CredentialDenyRead, p.DenyRead);
        var origin = p.Provenance.Single(o => o.Setting == CredentialFiles.ConfigKey);
        Assert.Equal(("true", PolicySource.Default), (origin.Value, origin.Source));
    }

    [Fact]
    public void SshKeepsPublicKeysKnownHostsAndConfigReadable()
    {
        using var t = new TempTree();
        Stores(t);
        t.Write("home/.ssh/known_hosts.old", "x");
        t.Write("home/.ssh/config.d", "x");
        var denied = Resolve(t).CredentialDenyRead;
        var ssh = Path.Combine(Home(t), ".ssh");
        Assert.DoesNotContain($"{ssh}/id_ed25519.pub", denied);
        Assert.DoesNotContain($"{ssh}/known_hosts", denied);
        Assert.DoesNotContain($"{ssh}/config", denied);
        Assert.DoesNotContain(ssh, denied);
        // Only the exact names are exceptions.
        Assert.Contains($"{ssh}/known_hosts.old", denied);
        Assert.Contains($"{ssh}/config.d", denied);
    }

    [Fact]
    public void MissingStoresAreLeftOutWithoutError()
    {
        using var t = new TempTree();
        t.Write("home/.netrc", "machine x login y password z");
        var p = Resolve(t);
        Assert.Equal([Path.Combine(Home(t), ".netrc")], p.CredentialDenyRead);

        var nowhere = Resolve(t, new Dictionary<string, string> { ["HOME"] = Path.Combine(t.Root, "no-such-home") });
        Assert.Empty(nowhere.CredentialDenyRead);
        Assert.Empty(nowhere.DenyRead);
    }

    [Fact]
    public void TheKeyTurnsTheListOffAndRecordsWhere()
    {
        using var t = new TempTree();
        Stores(t);
        var file = t.UserConfig("deny_read = [\"/etc/shadow\"]\n[sandbox_credentials]\ndeny_read = false\n");
        var p = Resolve(t);
        Assert.Empty(p.CredentialDenyRead);
        Assert.Equal(["/etc/shadow"], p.DenyRead);
        var origin = p.Provenance.Single(o => o.Setting == CredentialFiles.ConfigKey);
        Assert.Equal(("false", PolicySource.User, file, 3), (origin.Value, origin.Source, origin.File, origin.Line));
    }

    [Fact]
    public void TheListIsAppendedToConfiguredDenyRead()
    {
        using var t = new TempTree();
        t.Write("home/.aws/credentials", "x");
        t.UserConfig("deny_read = [\"/etc/shadow\"]\n[sandbox_credentials]\ndeny_read = true\n");
        var p = Resolve(t);
        Assert.Equal(["/etc/shadow", Path.Combine(Home(t), ".aws")], p.DenyRead);
        Assert.Equal(PolicySource.User, p.Provenance.Single(o => o.Setting == CredentialFiles.ConfigKey).Source);
    }

    [Fact]
    public void AProfileCanTurnItOff()
    {
        using var t = new TempTree();
        Stores(t);
        t.UserConfig("[profiles.open.sandbox_credentials]\ndeny_read = false\n");
        Assert.NotEmpty(Resolve(t).CredentialDenyRead);
        var p = Resolve(t, o: new PolicyOverrides { Profile = "open" });
        Assert.Empty(p.CredentialDenyRead);
        Assert.Equal(PolicySource.Profile, p.Provenance.Single(o => o.Setting == CredentialFiles.ConfigKey).Source);
    }

    [Theory]
    [InlineData("[sandbox_credentials]\ndeny_read = \"no\"", "WrongType")]
    [InlineData("[sandbox_credentials]\ndeny = false", "UnknownKey")]
    public void BadValuesAreReported(string toml, string id)
    {
        using var t = new TempTree();
        t.UserConfig(toml + "\n");
        var d = ConfigLoader.Load(t.Request()).Diagnostics;
        Assert.Contains(d, x => x.Id == id);
    }

    [Fact]
    public void DangerFullAccessIsNotForbiddenByTheList()
    {
        using var t = new TempTree();
        Stores(t);
        var p = Resolve(t, o: new PolicyOverrides { SandboxMode = SandboxMode.DangerFullAccess });
        Assert.Equal(SandboxMode.DangerFullAccess, p.SandboxMode);
        Assert.NotEmpty(p.DenyRead);
        var launch = LinuxCommandBuilder.Build(p, ["/bin/true"], new LinuxHost(0, false, new BwrapProbe.Result(null, null, false, "not probed"), null));
        Assert.Equal(("none", "/bin/true"), (launch.Backend, launch.Program));
    }

    [Fact]
    public void HomeFallsBackToTheUserProfile()
    {
        using var t = new TempTree();
        var p = Resolve(t, new Dictionary<string, string>());
        var profile = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        Assert.Equal(CredentialFiles.List(profile, t.CodexHome), p.CredentialDenyRead);
    }

    [Fact]
    public void LinksAreFollowedToTheFileThatHoldsTheSecret()
    {
        using var t = new TempTree();
        var real = t.Write("dotfiles/ssh/id_ed25519", "secret");
        t.Write("dotfiles/aws/credentials", "secret");
        t.Dir("home/.ssh");
        File.CreateSymbolicLink(Path.Combine(Home(t), ".ssh", "id_ed25519"), real);
        Directory.CreateSymbolicLink(Path.Combine(Home(t), ".aws"), Path.Combine(t.Root, "dotfiles/aws"));
        File.CreateSymbolicLink(Path.Combine(Home(t), ".netrc"), Path.Combine(t.Root, "dangling"));
        Assert.Equal([real, Path.Combine(t.Root, "dotfiles/aws")], Resolve(t).CredentialDenyRead);
    }

    [Fact]
    public void NamesThatAGlobWouldMisreadBecomeSingleCharacterWildcards()
    {
        using var t = new TempTree();
        t.Write("home/.ssh/id[1]*\"", "secret");
        var entry = Assert.Single(Resolve(t).CredentialDenyRead);
        Assert.Equal(Path.Combine(Home(t), ".ssh", "id?1]??"), entry);
        Assert.Equal([Path.Combine(Home(t), ".ssh", "id[1]*\"")], DenyReadExpander.Expand([entry]));
    }
}
