using System.Reflection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>
/// An OpenTelemetry collector, through the official SDK: each audit record becomes one log record, logged through the
/// SDK's logger into a batch processor whose exporter is <see cref="ConfirmingExporter"/> around the official
/// <see cref="OtlpLogExporter"/>; a send logs the records, flushes, and reads which ones the collector accepted.
/// </summary>
internal sealed class OtlpSink : IAuditSink
{
    private readonly OpenTelemetrySdk _pipeline;
    private readonly OpenTelemetrySdk _owner;
    private readonly ConfirmingExporter _exporter;
    private readonly ILogger _logger;
    private readonly OtlpHttpClient _client;

    public OtlpSink(OtlpSinkSettings settings, TimeSpan timeout)
    {
        _client = new OtlpHttpClient(settings, timeout);
        var options = new OtlpExporterOptions
        {
            Endpoint = settings.Endpoint,
#pragma warning disable CS0618 // gRPC is marked obsolete in favour of HTTP; Codex's config offers it, so do we.
            Protocol = settings.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf,
#pragma warning restore CS0618
            Headers = string.Join(",", settings.Headers.Select(h => $"{h.Key}={Uri.EscapeDataString(h.Value)}")),
            TimeoutMilliseconds = (int)timeout.TotalMilliseconds,
            HttpClientFactory = _client.Create,
        };
        var official = new OtlpLogExporter(options);
        var resource = Resource(settings);
        // The official exporter reads the resource from the provider that owns it; this second SDK instance owns it
        // (and never logs), so the wrapper below can call it directly with the resource in place.
        _owner = OpenTelemetrySdk.Create(b => b.ConfigureResource(resource).WithLogging(l => l.AddProcessor(new SimpleLogRecordExportProcessor(official))));
        _exporter = new ConfirmingExporter(official);
        _pipeline = OpenTelemetrySdk.Create(b => b.ConfigureResource(resource).WithLogging(
            l => l.AddProcessor(new TrackingProcessor(_exporter)).AddProcessor(new BatchLogRecordExportProcessor(_exporter, maxQueueSize: 2 * SinkRunner.BatchSize,
                scheduledDelayMilliseconds: 3_600_000, exporterTimeoutMilliseconds: (int)timeout.TotalMilliseconds, maxExportBatchSize: SinkRunner.BatchSize)),
            o => o.IncludeFormattedMessage = false));
        _logger = _pipeline.GetLoggerFactory().CreateLogger("CodexSandbox.Audit");
    }

    private static Action<ResourceBuilder> Resource(OtlpSinkSettings settings) => r => r.Clear()
        .AddService("codex-sandbox", serviceVersion: ModuleVersion, autoGenerateServiceInstanceId: false)
        .AddAttributes([
            new("host.name", System.Environment.MachineName),
            new("deployment.environment.name", settings.Environment),
            // Codex's name for the same label.
            new("environment", settings.Environment),
        ]);

    public SendResult Send(IReadOnlyList<AuditRecord> records, TimeSpan timeout)
    {
        _exporter.Begin(records);
        _client.ClearError();
        foreach (var record in records)
        {
            var state = new AuditLogState(record);
            var level = ExportedEvent.Severity(record) == ExportSeverity.Warning ? LogLevel.Warning : LogLevel.Information;
            _logger.Log(level, new EventId(0, state.EventName), state, null, static (s, _) => s.ToString());
        }
        // The exporter gives up after the timeout; a little extra covers the hand-over between threads.
        var limit = timeout + TimeSpan.FromSeconds(1);
        var flushed = _pipeline.LoggerProvider.ForceFlush((int)limit.TotalMilliseconds) && _exporter.WaitSettled(limit);
        var accepted = _exporter.AcceptedPrefix(records);
        if (accepted == records.Count) return SendResult.All(accepted);
        return SendResult.Failed(_client.LastError ?? (flushed ? "the collector did not accept the records" : $"no answer within {timeout.TotalSeconds:0.#} s"), accepted);
    }

    private static string ModuleVersion =>
        typeof(OtlpSink).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public void Dispose()
    {
        _pipeline.Dispose();
        _owner.Dispose();
        _client.Dispose();
    }
}
