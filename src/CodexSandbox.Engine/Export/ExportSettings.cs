using System.Globalization;
using System.Text.RegularExpressions;
using CodexSandbox.Engine.Configuration;
using Tomlyn.Model;

namespace CodexSandbox.Engine.Export;

/// <summary>
/// Where audit records are shipped, read from the loaded config layers: Codex's <c>[otel]</c> table and
/// <c>[sandbox_audit] syslog</c>. Only the system and user layers count. A trusted project's config cannot send the
/// log anywhere (Codex drops <c>otel</c> from project files too). Each layer's sinks are kept: a user's layer can add
/// sinks but cannot switch off or redirect one that <c>/etc/codex/config.toml</c> defines.
/// </summary>
public sealed partial class ExportSettings
{
    public const string SyslogKey = "sandbox_audit.syslog";
    public const string TimeoutKey = "sandbox_audit.export_timeout_sec";
    public const string ExitFlushKey = "sandbox_audit.exit_flush_sec";

    private static readonly string[] Facilities =
        ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "clock",
         "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];

    private static readonly HashSet<string> SyslogKeys = new(StringComparer.Ordinal)
        { "transport", "address", "app_name", "facility", "ca_certificate", "client_certificate", "client_private_key", "server_name" };

    public static readonly ExportSettings None = new([], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), []);

    private ExportSettings(IReadOnlyList<AuditSinkSettings> sinks, TimeSpan sendTimeout, TimeSpan exitFlush, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        Sinks = sinks;
        SendTimeout = sendTimeout;
        ExitFlush = exitFlush;
        Diagnostics = diagnostics;
    }

    /// <summary>Every sink in effect; system-layer sinks first. Empty when export is not configured.</summary>
    public IReadOnlyList<AuditSinkSettings> Sinks { get; }
    /// <summary>How long one delivery attempt may take (<c>[sandbox_audit] export_timeout_sec</c>, default 5).</summary>
    public TimeSpan SendTimeout { get; }
    /// <summary>How long a process that exits waits for its sinks (<c>[sandbox_audit] exit_flush_sec</c>, default 2).</summary>
    public TimeSpan ExitFlush { get; }
    /// <summary>Problems with the export keys, with file and line.</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The sinks of the system and user layers of <paramref name="config"/>.</summary>
    /// <param name="environment">For <c>${NAME}</c> in header values; default: the process environment.</param>
    public static ExportSettings Read(LoadedConfig config, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sinks = new List<AuditSinkSettings>();
        var diagnostics = new List<ConfigDiagnostic>();
        TimeSpan timeout = None.SendTimeout, exitFlush = None.ExitFlush;
        foreach (var (layer, settings) in config.Layers)
        {
            if (layer.Source is not (PolicySource.System or PolicySource.User))
            {
                WarnProjectLayer(layer.File, settings, diagnostics);
                continue;
            }
            sinks.AddRange(ReadLayer(layer.File, settings, layer.Source, config.Request.Home, environment, diagnostics));
            // A higher layer's timeouts win; they bound how long we wait, never whether records are sent.
            if (settings.Values.TryGetValue(TimeoutKey, out var t)) timeout = TimeSpan.FromSeconds((long)t.Value);
            if (settings.Values.TryGetValue(ExitFlushKey, out var f)) exitFlush = TimeSpan.FromSeconds((long)f.Value);
        }
        // One collector named in both layers is one sink (one cursor); the system layer's entry is kept.
        var unique = sinks.OrderBy(s => s.Source == PolicySource.System ? 0 : 1).DistinctBy(s => s.Id).ToList();
        return new ExportSettings(unique, timeout, exitFlush, diagnostics);
    }

    /// <summary>The export keys of one file, for <c>Test-SandboxConfig -Path</c>.</summary>
    public static IReadOnlyList<ConfigDiagnostic> Check(ConfigFile file, LayerSettings settings, string home)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        ReadLayer(file, settings, PolicySource.User, home, null, diagnostics);
        return diagnostics;
    }

    private static List<AuditSinkSettings> ReadLayer(ConfigFile file, LayerSettings settings, PolicySource source, string home,
        IReadOnlyDictionary<string, string>? environment, List<ConfigDiagnostic> diagnostics)
    {
        var sinks = new List<AuditSinkSettings>();
        var reader = new Reader(file, source, home, environment, diagnostics);
        if (file.Root.TryGetValue("otel", out var otel))
        {
            if (otel is TomlTable otelTable) { if (reader.Otel(otelTable) is { } sink) sinks.Add(sink); }
            else reader.Report(file.Root, "otel", "otel", $"[otel] must be a table, not {LayerReader.Describe(otel)}.");
        }
        if (settings.Values.TryGetValue(SyslogKey, out var syslog) && reader.Syslog((IReadOnlyDictionary<string, string>)syslog.Value, syslog.Line) is { } s)
            sinks.Add(s);
        return sinks;
    }

    private static void WarnProjectLayer(ConfigFile file, LayerSettings settings, List<ConfigDiagnostic> diagnostics)
    {
        if (file.Root.ContainsKey("otel"))
        {
            var (line, column) = file.Locate(file.Root, "otel");
            diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, "ExportInProject", file.Path, line, column, "otel",
                "[otel] in a project's config is ignored: only /etc/codex/config.toml and $CODEX_HOME/config.toml choose where the audit log is sent."));
        }
        if (settings.Values.TryGetValue(SyslogKey, out var s))
        {
            diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, "ExportInProject", file.Path, s.Line, 1, SyslogKey,
                "[sandbox_audit] syslog in a project's config is ignored: only /etc/codex/config.toml and $CODEX_HOME/config.toml choose where the audit log is sent."));
        }
    }

    /// <summary>Splits <c>host:port</c> (or <c>[v6 address]:port</c>).</summary>
    public static bool TrySplitAddress(string address, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            if (close < 0 || close + 1 >= address.Length || address[close + 1] != ':') return false;
            host = address[1..close];
            colon = close + 1;
        }
        else
        {
            colon = address.LastIndexOf(':');
            if (colon <= 0 || address.IndexOf(':') != colon) return false;
            host = address[..colon];
        }
        return host.Length > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentReference();

    private sealed class Reader(ConfigFile file, PolicySource source, string home, IReadOnlyDictionary<string, string>? environment, List<ConfigDiagnostic> diagnostics)
    {
        public OtlpSinkSettings? Otel(TomlTable otel)
        {
            var environmentName = "dev";
            if (otel.TryGetValue("environment", out var env))
            {
                if (env is string e) environmentName = e;
                else Report(otel, "environment", "otel.environment", $"otel.environment must be a string, not {LayerReader.Describe(env)}.");
            }
            if (!otel.TryGetValue("exporter", out var exporter)) return null;
            var (line, _) = file.Locate(otel, "exporter");
            switch (exporter)
            {
                case "none" or "statsig":
                    // statsig is Codex's own metrics channel, not a log collector: nothing to send audit records to.
                    return null;
                case string other:
                    Report(otel, "exporter", "otel.exporter", $"otel.exporter = \"{other}\" is not an exporter; use \"none\", {{ otlp-http = {{ … }} }} or {{ otlp-grpc = {{ … }} }}.");
                    return null;
                case TomlTable table when table.Count == 1 && table.TryGetValue("otlp-http", out var http) && http is TomlTable httpTable:
                    return Otlp(httpTable, grpc: false, environmentName, line, "otel.exporter.otlp-http");
                case TomlTable table when table.Count == 1 && table.TryGetValue("otlp-grpc", out var grpc) && grpc is TomlTable grpcTable:
                    return Otlp(grpcTable, grpc: true, environmentName, line, "otel.exporter.otlp-grpc");
                default:
                    Report(otel, "exporter", "otel.exporter", "otel.exporter must be \"none\" or a table with one key, otlp-http or otlp-grpc, holding a table.");
                    return null;
            }
        }

        private OtlpSinkSettings? Otlp(TomlTable t, bool grpc, string environmentName, int line, string dotted)
        {
            if (!t.TryGetValue("endpoint", out var ep) || ep is not string endpoint)
            {
                Report(t, "endpoint", dotted + ".endpoint", $"{dotted}.endpoint is required: the collector's URL{(grpc ? "" : ", usually ending in /v1/logs")}.");
                return null;
            }
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Report(t, "endpoint", dotted + ".endpoint", $"{dotted}.endpoint = \"{endpoint}\" is not an http:// or https:// URL.");
                return null;
            }
            var protocol = "binary";
            if (!grpc && t.TryGetValue("protocol", out var p))
            {
                if (p is "binary" or "json") protocol = (string)p;
                else Report(t, "protocol", dotted + ".protocol", $"{dotted}.protocol must be \"binary\" or \"json\".");
            }
            if (protocol == "json")
            {
                Report(t, "protocol", dotted + ".protocol",
                    "The OpenTelemetry .NET exporter has no OTLP/JSON encoding, so audit records are sent as OTLP/HTTP protobuf to the same endpoint (collectors accept both).",
                    DiagnosticSeverity.Information);
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (t.TryGetValue("headers", out var h))
            {
                if (h is TomlTable headerTable)
                {
                    foreach (var (name, value) in headerTable)
                    {
                        if (value is string text) headers[name] = Expand(headerTable, name, $"{dotted}.headers.{name}", text);
                        else Report(headerTable, name, $"{dotted}.headers.{name}", $"{dotted}.headers.{name} must be a string.");
                    }
                }
                else Report(t, "headers", dotted + ".headers", $"{dotted}.headers must be a table of strings.");
            }
            return new OtlpSinkSettings
            {
                Source = source, File = file.Path, Line = line, Endpoint = uri, Grpc = grpc, Protocol = protocol, Headers = headers,
                Environment = environmentName, Tls = Tls(t, dotted),
            };
        }

        private TlsFiles Tls(TomlTable t, string dotted)
        {
            if (!t.TryGetValue("tls", out var raw)) return new TlsFiles();
            if (raw is not TomlTable tls)
            {
                Report(t, "tls", dotted + ".tls", $"{dotted}.tls must be a table (ca-certificate, client-certificate, client-private-key).");
                return new TlsFiles();
            }
            string? PathOf(string key)
            {
                if (!tls.TryGetValue(key, out var v)) return null;
                if (v is string s) return Resolve(s);
                Report(tls, key, $"{dotted}.tls.{key}", $"{dotted}.tls.{key} must be a path string.");
                return null;
            }
            foreach (var key in tls.Keys.Where(k => k is not ("ca-certificate" or "client-certificate" or "client-private-key")))
                Report(tls, key, $"{dotted}.tls.{key}", $"Unknown key '{key}' in {dotted}.tls; known keys: ca-certificate, client-certificate, client-private-key.", DiagnosticSeverity.Warning);
            var files = new TlsFiles { CaCertificate = PathOf("ca-certificate"), ClientCertificate = PathOf("client-certificate"), ClientPrivateKey = PathOf("client-private-key") };
            if ((files.ClientCertificate is null) != (files.ClientPrivateKey is null))
                Report(t, "tls", dotted + ".tls", $"{dotted}.tls needs both client-certificate and client-private-key for mutual TLS.");
            return files;
        }

        public SyslogSinkSettings? Syslog(IReadOnlyDictionary<string, string> values, int line)
        {
            void Problem(string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
                diagnostics.Add(new ConfigDiagnostic(severity, "ExportConfig", file.Path, line, 1, SyslogKey, message));

            foreach (var key in values.Keys.Where(k => !SyslogKeys.Contains(k)))
                Problem($"Unknown key '{key}' in [sandbox_audit] syslog; known keys: {string.Join(", ", SyslogKeys)}.", DiagnosticSeverity.Warning);
            var transportText = values.GetValueOrDefault("transport") ?? "udp";
            SyslogTransport? parsed = transportText switch
            {
                "udp" => SyslogTransport.Udp, "tcp" => SyslogTransport.Tcp, "tls" => SyslogTransport.Tls, "relp" => SyslogTransport.Relp, _ => null,
            };
            if (parsed is not { } transport)
            {
                Problem($"[sandbox_audit] syslog transport = \"{transportText}\" is not one of \"udp\", \"tcp\", \"tls\", \"relp\".");
                return null;
            }
            if (values.GetValueOrDefault("address") is not { Length: > 0 } address)
            {
                Problem("[sandbox_audit] syslog needs address = \"host:port\".");
                return null;
            }
            if (!TrySplitAddress(address, out var host, out var port))
            {
                Problem($"[sandbox_audit] syslog address = \"{address}\" is not host:port (write an IPv6 address as [addr]:port).");
                return null;
            }
            var facility = 10;
            if (values.GetValueOrDefault("facility") is { } facilityName)
            {
                facility = Array.IndexOf(Facilities, facilityName);
                if (facility < 0)
                {
                    Problem($"[sandbox_audit] syslog facility = \"{facilityName}\" is not a syslog facility; accepted: {string.Join(", ", Facilities)}.");
                    return null;
                }
            }
            var appName = values.GetValueOrDefault("app_name") ?? "codex-sandbox";
            if (appName.Length is 0 or > 48 || appName.Any(c => c is <= ' ' or > '~'))
            {
                Problem($"[sandbox_audit] syslog app_name = \"{appName}\" must be 1 to 48 printable ASCII characters without spaces (RFC 5424).");
                return null;
            }
            var tls = new TlsFiles
            {
                CaCertificate = values.GetValueOrDefault("ca_certificate") is { } ca ? Resolve(ca) : null,
                ClientCertificate = values.GetValueOrDefault("client_certificate") is { } cc ? Resolve(cc) : null,
                ClientPrivateKey = values.GetValueOrDefault("client_private_key") is { } ck ? Resolve(ck) : null,
            };
            if (transport != SyslogTransport.Tls && (tls.CaCertificate ?? tls.ClientCertificate ?? tls.ClientPrivateKey ?? values.GetValueOrDefault("server_name")) is not null)
                Problem($"[sandbox_audit] syslog: the TLS keys apply only to transport = \"tls\", not \"{transportText}\".", DiagnosticSeverity.Warning);
            if ((tls.ClientCertificate is null) != (tls.ClientPrivateKey is null))
                Problem("[sandbox_audit] syslog needs both client_certificate and client_private_key for mutual TLS.");
            return new SyslogSinkSettings
            {
                Source = source, File = file.Path, Line = line, Transport = transport, Host = host, Port = port, AppName = appName,
                Facility = facility, Tls = tls, ServerName = values.GetValueOrDefault("server_name"),
            };
        }

        // Codex resolves relative certificate paths against ~/.codex: the folder of the user's config file.
        private string Resolve(string path)
        {
            var expanded = PathUtil.ExpandHome(path, home);
            return Path.IsPathFullyQualified(expanded) ? expanded : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file.Path)!, expanded));
        }

        private string Expand(TomlTable table, string name, string dotted, string value) =>
            EnvironmentReference().Replace(value, m =>
            {
                var variable = m.Groups[1].Value;
                var found = environment is not null ? environment.GetValueOrDefault(variable) : System.Environment.GetEnvironmentVariable(variable);
                if (found is null)
                    Report(table, name, dotted, $"{dotted} refers to ${{{variable}}}, which is not set in the environment; the header is sent with it empty.", DiagnosticSeverity.Warning);
                return found ?? "";
            });

        public void Report(TomlTable table, string key, string dotted, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        {
            var (line, column) = file.Locate(table, key);
            diagnostics.Add(new ConfigDiagnostic(severity, "ExportConfig", file.Path, line, column, dotted, message));
        }
    }
}
