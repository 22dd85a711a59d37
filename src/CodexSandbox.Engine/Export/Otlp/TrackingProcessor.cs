using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CodexSandbox.Engine.Export.Otlp;

/// <summary>Runs before the batch processor and shows each log record to <see cref="ConfirmingExporter.Track"/>.</summary>
internal sealed class TrackingProcessor(ConfirmingExporter exporter) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data) => exporter.Track(data);
}
