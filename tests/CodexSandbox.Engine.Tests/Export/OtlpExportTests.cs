using CodexSandbox.Engine.Audit;
using CodexSandbox.Engine.Export;
using CodexSandbox.Tests.Fleet;

namespace CodexSandbox.Engine.Tests.Export;

/// <summary>
/// The audit log shipped to a loopback OTLP receiver through the official OpenTelemetry exporter: what arrives (names,
/// attributes, resource, time, headers), and what happens when the collector is down, slow, refusing or unverifiable.
/// </summary>
public sealed class OtlpExportTests
{
    private static string HttpConfig(string endpoint, string extra = "") => $$"""
        [otel]
        environment = "ci"
        exporter = { otlp-http = { endpoint = "{{endpoint}}", protocol = "binary"{{extra}} } }
        """;

    private static List<ReceivedLog> WaitFor(OtlpTestReceiver receiver, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.Logs.Count < count && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        return receiver.Snapshot();
    }

    [Fact]
    public void Every_record_arrives_once_with_codex_event_names_attributes_resource_and_its_own_time()
    {
        using var receiver = new OtlpTestReceiver();
        System.Environment.SetEnvironmentVariable("FLEET_TEST_OTLP_TOKEN", "s3cret-token");
        using var fx = new ExportFixture(HttpConfig(receiver.HttpEndpoint, ", headers = { authorization = \"Bearer ${FLEET_TEST_OTLP_TOKEN}\" }"));
        fx.Attach();
        var written = new List<AuditRecord>
        {
            fx.Append(AuditEventType.ApprovalRequested, "rm -rf build", decision: "Prompt", source: null),
            fx.Append(AuditEventType.ApprovalGranted, "rm -rf build", decision: "Prompt", source: "Force"),
            fx.Append(AuditEventType.CommandExecuted, "mysql --password=hunter2 -e 'select 1'"),
            fx.Append(AuditEventType.CommandExecuted, "sleep 100", exit: 124, timedOut: true),
            fx.Append(AuditEventType.CommandExecuted, "kill -9 $$", exit: 137),
            fx.Append(AuditEventType.CommandExecuted, "make install", backend: "linux-escalated"),
            fx.Append(AuditEventType.CommandBlocked, "git push --force", decision: "Forbidden", source: "Rule"),
            fx.Append(AuditEventType.PolicyViolation, "touch /etc/x", decision: null, source: null),
            fx.Append(AuditEventType.ApprovalDenied, "curl evil.example", decision: "Prompt", source: "User"),
        };

        var result = Assert.Single(fx.Sync());
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(written[^1].Seq, result.DeliveredSeq);
        var logs = WaitFor(receiver, written.Count);
        Assert.Equal(written.Select(r => r.Seq), logs.Select(l => l.Seq));

        Assert.Equal(
            ["codex_sandbox.approval_requested", "codex.tool_decision", "codex_sandbox.command_executed", "codex.sandbox_outcome", "codex.sandbox_outcome",
             "codex.sandbox_outcome", "codex.tool_decision", "codex.sandbox_outcome", "codex.tool_decision"],
            logs.Select(l => l.EventName));
        // event.name is the event's name (Codex puts a source location there, #42837).
        Assert.All(logs, l => Assert.Equal(l.EventName, l.Attributes["event.name"]));
        Assert.Equal(["timed_out", "signal", "escalated", "denied"], logs.Where(l => l.EventName == "codex.sandbox_outcome").Select(l => (string)l.Attributes["outcome"]!));
        Assert.Equal(["approved", "denied", "denied"], logs.Where(l => l.EventName == "codex.tool_decision").Select(l => (string)l.Attributes["decision"]!));
        Assert.Equal(["User", "Config", "User"], logs.Where(l => l.EventName == "codex.tool_decision").Select(l => (string)l.Attributes["source"]!));

        var run = logs[2];
        Assert.Equal("mysql --password=[REDACTED] -e 'select 1'", run.Attributes["process.command_line"]);
        Assert.DoesNotContain(logs, l => l.Attributes.Values.OfType<string>().Any(v => v.Contains("hunter2")) || l.Body.Contains("hunter2"));
        Assert.Equal(0L, run.Attributes["process.exit.code"]);
        Assert.Equal(new object[] { "/bin/sh", "-c", "mysql --password=[REDACTED] -e 'select 1'" }, (object?[])run.Attributes["process.command_args"]!);
        Assert.Equal(System.Environment.UserName, run.Attributes["user.name"]);
        Assert.Equal((long)System.Environment.ProcessId, run.Attributes["process.parent_pid"]);
        Assert.Equal(written[2].Hash, run.Attributes["codex_sandbox.audit.hash"]);
        Assert.Equal(written[2].PreviousHash, run.Attributes["codex_sandbox.audit.prev_hash"]);
        Assert.Equal("CommandExecuted", run.Attributes["codex_sandbox.event_type"]);
        Assert.StartsWith("CommandExecuted Allow by Policy: mysql --password=[REDACTED]", run.Body);
        // The record's own time, not the moment it was sent.
        Assert.Equal(written[2].Time.UtcDateTime, run.Time, TimeSpan.FromMilliseconds(1));

        Assert.Equal("codex-sandbox", run.Resource["service.name"]);
        Assert.Equal(written[2].ModuleVersion, run.Resource["service.version"]);
        Assert.Equal(System.Environment.MachineName, run.Resource["host.name"]);
        Assert.Equal("ci", run.Resource["deployment.environment.name"]);
        Assert.Equal("ci", run.Resource["environment"]);
        Assert.Equal("Bearer s3cret-token", run.Headers["Authorization"]);

        // Nothing is sent twice: a second sync finds the cursor at the end.
        Assert.Equal(0, Assert.Single(fx.Sync()).Sent);
        Assert.Equal(written.Count, receiver.Logs.Count);
    }

    [Fact]
    public void Records_written_while_the_collector_is_down_arrive_once_and_in_order_when_it_is_back()
    {
        var port = FreePort();
        using var fx = new ExportFixture(HttpConfig($"http://127.0.0.1:{port}/v1/logs"));
        fx.Attach();
        var written = Enumerable.Range(1, 20).Select(i => fx.Append(command: $"echo {i}")).ToList();

        var down = Assert.Single(fx.Sync(3));
        Assert.False(down.Succeeded);
        Assert.Equal(20, down.Pending);
        Assert.Equal(written[0].Seq - 1, down.DeliveredSeq);
        Assert.NotNull(down.Error);

        using var receiver = new OtlpTestReceiver(port);
        var back = Assert.Single(fx.Sync());
        Assert.True(back.Succeeded, back.Error);
        Assert.Equal(20, back.Sent);
        var logs = WaitFor(receiver, 20);
        Assert.Equal(written.Select(r => r.Seq), logs.Select(l => l.Seq));

        // The next run is delivered by itself (no sync): the runner was told by the append.
        var next = fx.Append(command: "echo next");
        var all = WaitFor(receiver, 21);
        Assert.Equal(written.Select(r => r.Seq).Append(next.Seq), all.Select(l => l.Seq));
    }

    [Fact]
    public void A_sink_seen_for_the_first_time_starts_at_the_end_of_the_log()
    {
        using var receiver = new OtlpTestReceiver();
        using var fx = new ExportFixture(HttpConfig(receiver.HttpEndpoint));
        fx.Append(command: "before 1");
        fx.Append(command: "before 2");
        fx.Attach();
        var after = fx.Append(command: "after");
        Assert.True(Assert.Single(fx.Sync()).Succeeded);
        Assert.Equal([after.Seq], WaitFor(receiver, 1).Select(l => l.Seq));
    }

    [Fact]
    public void Grpc_delivers_through_http2()
    {
        using var receiver = new OtlpTestReceiver();
        using var fx = new ExportFixture($$"""
            [otel]
            exporter = { otlp-grpc = { endpoint = "{{receiver.GrpcEndpoint}}" } }
            """);
        fx.Attach();
        var a = fx.Append(command: "echo grpc 1");
        var b = fx.Append(AuditEventType.CommandBlocked, "rm -rf /", decision: "Forbidden", source: "Policy");
        var result = Assert.Single(fx.Sync());
        Assert.True(result.Succeeded, result.Error);
        var logs = WaitFor(receiver, 2);
        Assert.Equal([a.Seq, b.Seq], logs.Select(l => l.Seq));
        Assert.Equal("grpc", logs[0].Path);
        Assert.Equal("codex.tool_decision", logs[1].EventName);
    }

    public static TheoryData<string> FailureModes => ["unreachable", "never-answers", "tls", "http-500"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public void A_failing_collector_never_fails_a_run_keeps_its_records_and_warns_once(string mode)
    {
        // TLS: the collector's certificate is not one the machine trusts.
        using var receiver = new OtlpTestReceiver(certificate: mode == "tls" ? OtlpTestReceiver.SelfSigned().Certificate : null);
        var endpoint = mode == "unreachable" ? $"http://127.0.0.1:{FreePort()}/v1/logs" : receiver.HttpEndpoint;
        receiver.Mode = mode switch { "never-answers" => ReceiverMode.Hang, "http-500" => ReceiverMode.Fail500, _ => ReceiverMode.Accept };
        using var fx = new ExportFixture(HttpConfig(endpoint) + "\n[sandbox_audit]\nexport_timeout_sec = 2\n");
        fx.Attach();

        var written = Enumerable.Range(1, 3).Select(i => fx.Append(command: $"echo {i}")).ToList();
        var result = Assert.Single(fx.Sync());
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Pending);
        Assert.Contains(mode switch { "http-500" => "HTTP 500", "tls" => "TLS", "never-answers" => "no answer", _ => "refused" }, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(receiver.Logs);

        // More runs during the outage: every append returns, and the session gets one warning for this sink, not one per run.
        written.AddRange(Enumerable.Range(4, 3).Select(i => fx.Append(command: $"echo {i}")));
        fx.Sync(3);
        var warnings = AuditExport.TakeWarnings().Concat(AuditExport.TakeWarnings()).Where(w => w.Contains(endpoint, StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Equal(written.Select(r => r.Seq), AuditReader.Query(fx.LogPath, new AuditQuery()).Select(r => r.Seq));

        if (mode is "http-500" or "never-answers")
        {
            receiver.Mode = ReceiverMode.Accept;
            var back = Assert.Single(fx.Sync());
            Assert.True(back.Succeeded, back.Error);
            Assert.Equal(written.Select(r => r.Seq), WaitFor(receiver, 6).Select(l => l.Seq).Distinct());
        }
    }

    [Fact]
    public void Https_with_the_configured_ca_certificate_delivers()
    {
        var (certificate, pem) = OtlpTestReceiver.SelfSigned();
        using var receiver = new OtlpTestReceiver(certificate: certificate);
        using var fx = new ExportFixture(HttpConfig(receiver.HttpEndpoint, ", tls = { ca-certificate = \"collector-ca.pem\" }"));
        // A relative path is resolved against the config's folder ($CODEX_HOME), as Codex does.
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(fx.LogPath)!, "..", "collector-ca.pem"), pem);
        fx.Attach();
        var record = fx.Append(command: "echo over tls");
        var result = Assert.Single(fx.Sync());
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([record.Seq], WaitFor(receiver, 1).Select(l => l.Seq));
    }

    private static int FreePort() => Network.HttpProxyTests.FreePort();
}
