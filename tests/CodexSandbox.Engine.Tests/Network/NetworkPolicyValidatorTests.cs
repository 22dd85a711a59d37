using CodexSandbox.Engine.Network;

namespace CodexSandbox.Engine.Tests.Network;

public class NetworkPolicyValidatorTests
{
    [Theory]
    [InlineData("*", "BareWildcard")]
    [InlineData("**", "BareWildcard")]
    [InlineData("*.", "BareWildcard")]
    [InlineData("", "EmptyHostPattern")]
    [InlineData("a..example.com", "EmptyLabel")]
    [InlineData(".example.com", "EmptyLabel")]
    [InlineData("*..example.com", "EmptyLabel")]
    [InlineData("example.com:443", "PortInHost")]
    [InlineData("*.example.com:8080", "PortInHost")]
    [InlineData("https://example.com", "SchemeInHost")]
    [InlineData("example.com/path", "PathInHost")]
    [InlineData("10.0.0.0/8", "PathInHost")]
    [InlineData("api.*.example.com", "InvalidHostPattern")]
    [InlineData("*example.com", "InvalidHostPattern")]
    [InlineData("***.example.com", "InvalidHostPattern")]
    [InlineData("*.10.0.0.1", "InvalidHostPattern")]
    [InlineData(" example.com", "InvalidHostPattern")]
    [InlineData("user@example.com", "InvalidHostPattern")]
    [InlineData("exa_mple!.com", "InvalidHostPattern")]
    [InlineData("-bad.example.com", "InvalidHostPattern")]
    [InlineData("bücher.de", "InvalidHostPattern")]
    [InlineData("2130706433", "InvalidHostPattern")]
    [InlineData("1:2:3", "InvalidHostPattern")]
    [InlineData("**.0.1", "InvalidHostPattern")]
    public void BadPatternsAreErrors(string entry, string id)
    {
        var problems = NetworkPolicyValidator.Validate(new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = ["ok.example", entry] });
        var p = Assert.Single(problems);
        Assert.Equal(DiagnosticSeverity.Error, p.Severity);
        Assert.Equal(id, p.Id);
        Assert.Equal("sandbox_network.allowed_domains", p.Key);
        Assert.Equal(1, p.Index);
        Assert.Contains($"'{entry}'", p.Message);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("Example.COM.")]
    [InlineData("*.example.com")]
    [InlineData("**.example.com")]
    [InlineData("*.com")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("xn--bcher-kva.de")]
    public void GoodPatternsPass(string entry) =>
        Assert.Empty(NetworkPolicyValidator.Validate(new NetworkPolicySettings { Mode = NetworkMode.Allowlist, AllowedDomains = [entry], DeniedDomains = [entry] }));

    [Fact]
    public void DeniedDomainsAndPortsAreChecked()
    {
        var problems = NetworkPolicyValidator.Validate(new NetworkPolicySettings
        {
            Mode = NetworkMode.Allowlist, AllowedDomains = ["a.example"], DeniedDomains = ["*"], AllowedPorts = [5432, 0, 70000],
        });
        Assert.Contains(problems, p => p is { Key: "sandbox_network.denied_domains", Index: 0, Id: "BareWildcard" });
        Assert.Contains(problems, p => p is { Key: "sandbox_network.allowed_ports", Index: 1, Id: "InvalidPort" });
        Assert.Contains(problems, p => p is { Key: "sandbox_network.allowed_ports", Index: 2, Id: "InvalidPort" });
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void EmptyAllowlistInAllowlistModeIsAWarning()
    {
        var p = Assert.Single(NetworkPolicyValidator.Validate(new NetworkPolicySettings { Mode = NetworkMode.Allowlist }));
        Assert.Equal(DiagnosticSeverity.Warning, p.Severity);
        Assert.Equal("EmptyAllowlist", p.Id);
    }

    [Fact]
    public void DomainsOutsideAllowlistModeAreNoted()
    {
        var p = Assert.Single(NetworkPolicyValidator.Validate(new NetworkPolicySettings { Mode = NetworkMode.On, AllowedDomains = ["a.example"] }));
        Assert.Equal(DiagnosticSeverity.Information, p.Severity);
        Assert.Contains("'on'", p.Message);
    }

    [Theory]
    [InlineData("off", NetworkMode.Off)]
    [InlineData("allowlist", NetworkMode.Allowlist)]
    [InlineData("on", NetworkMode.On)]
    public void ModesParse(string text, NetworkMode mode)
    {
        Assert.True(NetworkPolicyValidator.TryParseMode(text, out var m));
        Assert.Equal(mode, m);
    }

    [Theory]
    [InlineData("Allowlist")]
    [InlineData("limited")]
    [InlineData("")]
    public void OtherModesDoNot(string text) => Assert.False(NetworkPolicyValidator.TryParseMode(text, out _));
}
