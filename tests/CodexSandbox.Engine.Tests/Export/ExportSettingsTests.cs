using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Tests.Configuration;

namespace CodexSandbox.Engine.Tests.Export;

/// <summary>Which sinks the config layers define, and who can switch them off.</summary>
public sealed class ExportSettingsTests
{
    private static ExportSettings Read(TempTree tree, IReadOnlyDictionary<string, string>? environment = null) =>
        ExportSettings.Read(ConfigLoader.Load(tree.Request()), environment ?? new Dictionary<string, string>());

    [Fact]
    public void A_users_layer_adds_sinks_but_cannot_switch_off_the_administrators()
    {
        using var tree = new TempTree();
        tree.SystemConfig("""
            [otel]
            environment = "prod"
            exporter = { otlp-grpc = { endpoint = "http://collector.example:4317" } }
            """);
        tree.UserConfig("""
            [otel]
            exporter = "none"
            [sandbox_audit]
            syslog = { transport = "relp", address = "logs.example:2514", facility = "local4" }
            export_timeout_sec = 7
            """);
        var settings = Read(tree);
        Assert.Empty(settings.Diagnostics);
        Assert.Collection(settings.Sinks,
            s =>
            {
                var otlp = Assert.IsType<OtlpSinkSettings>(s);
                Assert.Equal(PolicySource.System, otlp.Source);
                Assert.True(otlp.Grpc);
                Assert.Equal("prod", otlp.Environment);
            },
            s =>
            {
                var syslog = Assert.IsType<SyslogSinkSettings>(s);
                Assert.Equal(PolicySource.User, syslog.Source);
                Assert.Equal(SyslogTransport.Relp, syslog.Transport);
                Assert.Equal(("logs.example", 2514, 20), (syslog.Host, syslog.Port, syslog.Facility));
            });
        Assert.Equal(TimeSpan.FromSeconds(7), settings.SendTimeout);
    }

    [Fact]
    public void The_same_collector_in_both_layers_is_one_sink_and_headers_expand_environment_variables()
    {
        using var tree = new TempTree();
        const string otel = """
            [otel]
            exporter = { otlp-http = { endpoint = "https://otel.example/v1/logs", protocol = "binary", headers = { authorization = "Bearer ${TOKEN}", x-team = "a${MISSING}b" }, tls = { ca-certificate = "ca.pem" } } }
            """;
        tree.SystemConfig(otel);
        tree.UserConfig(otel);
        var settings = Read(tree, new Dictionary<string, string> { ["TOKEN"] = "t0k3n" });
        var sink = Assert.IsType<OtlpSinkSettings>(Assert.Single(settings.Sinks));
        Assert.Equal(PolicySource.System, sink.Source);
        Assert.Equal("Bearer t0k3n", sink.Headers["authorization"]);
        Assert.Equal("ab", sink.Headers["x-team"]);
        Assert.Equal(Path.Combine(tree.SystemDir, "ca.pem"), sink.Tls.CaCertificate);
        Assert.Contains(settings.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.Contains("${MISSING}", StringComparison.Ordinal) && d.Line == 2);
        // The cursor name never holds a header (a secret): only kind and destination.
        Assert.DoesNotContain("t0k3n", sink.Id, StringComparison.Ordinal);
        Assert.StartsWith("otlp-http-", sink.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("syslog = { transport = \"pigeon\", address = \"h:1\" }", "is not one of")]
    [InlineData("syslog = { address = \"no-port\" }", "is not host:port")]
    [InlineData("syslog = { address = \"h:1\", facility = \"kitchen\" }", "is not a syslog facility")]
    [InlineData("syslog = { address = \"h:1\", adress = \"typo\" }", "Unknown key 'adress'")]
    public void Syslog_mistakes_are_reported_with_file_and_line(string line, string expected)
    {
        using var tree = new TempTree();
        var file = tree.UserConfig($"[sandbox_audit]\n{line}\n");
        var problem = Assert.Single(Read(tree).Diagnostics);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal((file, 2), (problem.Path, problem.Line));
    }

    [Fact]
    public void An_exporter_that_is_not_one_is_an_error_and_no_sink()
    {
        using var tree = new TempTree();
        tree.UserConfig("[otel]\nexporter = { otlp-http = { protocol = \"binary\" } }\n");
        var settings = Read(tree);
        Assert.Empty(settings.Sinks);
        Assert.Contains(settings.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Message.Contains("endpoint is required", StringComparison.Ordinal));
    }
}
