using System.Collections;
using System.Management.Automation;
using CodexSandbox.Engine.Export;
using CodexSandbox.Internal;

namespace CodexSandbox.Commands;

/// <summary>Sends audit records from the pipeline (Get-SandboxAudit) to an OpenTelemetry collector or a syslog receiver: backfill and CI.</summary>
[Cmdlet(VerbsData.Export, "SandboxAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = OtlpSet)]
[OutputType(typeof(AuditExportResult))]
public sealed class ExportSandboxAuditCommand : PSCmdlet
{
    private const string OtlpSet = "Otlp";
    private const string SyslogSet = "Syslog";

    /// <summary>Audit records, as Get-SandboxAudit writes them.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public AuditRecord[] InputObject { get; set; } = [];

    /// <summary>The collector's OTLP endpoint: for OTLP/HTTP the full URL (…/v1/logs), for gRPC (-Grpc) the base URL.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OtlpSet)]
    public Uri? Otlp { get; set; }

    /// <summary>Use OTLP/gRPC instead of OTLP/HTTP protobuf.</summary>
    [Parameter(ParameterSetName = OtlpSet)]
    public SwitchParameter Grpc { get; set; }

    /// <summary>Request headers for the collector, for example @{ authorization = "Bearer $env:OTLP_TOKEN" }.</summary>
    [Parameter(ParameterSetName = OtlpSet)]
    public Hashtable? Header { get; set; }

    /// <summary>The environment label exported with every record (Codex's [otel] environment); default dev.</summary>
    [Parameter(ParameterSetName = OtlpSet)]
    [ValidateNotNullOrEmpty]
    public string DeploymentEnvironment { get; set; } = "dev";

    /// <summary>The syslog receiver as host:port.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SyslogSet)]
    [ValidateNotNullOrEmpty]
    public string? Syslog { get; set; }

    /// <summary>Udp (lossy), Tcp (RFC 6587 octet counting), Tls or Relp (acknowledged).</summary>
    [Parameter(ParameterSetName = SyslogSet)]
    public SyslogTransport Transport { get; set; } = SyslogTransport.Tcp;

    /// <summary>A PEM file with the CA to trust for https:// or Tls, instead of the system's roots.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaCertificate { get; set; }

    /// <summary>How long one batch may take, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 10;

    private readonly List<AuditRecord> _records = [];

    protected override void ProcessRecord() => _records.AddRange(InputObject);

    protected override void EndProcessing()
    {
        if (_records.Count == 0) return;
        var sink = BuildSink();
        if (sink is null) return;
        var ordered = _records.DistinctBy(r => r.Seq).OrderBy(r => r.Seq).ToList();
        if (!ShouldProcess(sink.ToString(), $"Send {ordered.Count} audit record(s), seq {ordered[0].Seq} to {ordered[^1].Seq}")) return;
        using var sender = new AuditSender(sink, TimeSpan.FromSeconds(TimeoutSec));
        var (delivered, error) = sender.Send(ordered);
        WriteObject(new AuditExportResult
        {
            Sink = sink.ToString(), Kind = sink.Kind, Destination = sink.Destination, Source = PolicySource.Parameter, Sent = delivered,
            LastSeq = delivered > 0 ? ordered[delivered - 1].Seq : 0, Pending = ordered.Count - delivered, Succeeded = error is null, Error = error,
        });
        if (error is not null)
        {
            WriteError(Errors.Record(new IOException($"{sink}: {ordered.Count - delivered} of {ordered.Count} record(s) not delivered: {error}"), Errors.AuditExportFailed, sink.ToString()));
        }
    }

    private AuditSinkSettings? BuildSink()
    {
        var tls = new TlsFiles { CaCertificate = CaCertificate is null ? null : GetUnresolvedProviderPathFromPSPath(CaCertificate) };
        if (ParameterSetName == OtlpSet)
        {
            if (!Otlp!.IsAbsoluteUri || Otlp.Scheme is not ("http" or "https"))
            {
                WriteError(Errors.Record(new ArgumentException($"-Otlp '{Otlp}' is not an http:// or https:// URL."), Errors.InvalidEndpoint, Otlp));
                return null;
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Header is not null) foreach (DictionaryEntry h in Header) headers[h.Key.ToString()!] = h.Value?.ToString() ?? "";
            return new OtlpSinkSettings
            {
                Source = PolicySource.Parameter, File = "", Endpoint = Otlp, Grpc = Grpc, Headers = headers, Environment = DeploymentEnvironment, Tls = tls,
            };
        }
        if (!ExportSettings.TrySplitAddress(Syslog!, out var host, out var port))
        {
            WriteError(Errors.Record(new ArgumentException($"-Syslog '{Syslog}' is not host:port (write an IPv6 address as [addr]:port)."), Errors.InvalidEndpoint, Syslog));
            return null;
        }
        return new SyslogSinkSettings { Source = PolicySource.Parameter, File = "", Transport = Transport, Host = host, Port = port, Tls = tls };
    }
}
