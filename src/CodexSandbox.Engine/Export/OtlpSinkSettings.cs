namespace CodexSandbox.Engine.Export;

/// <summary>Codex's <c>[otel] exporter = { otlp-http = … }</c> or <c>{ otlp-grpc = … }</c>.</summary>
public sealed record OtlpSinkSettings : AuditSinkSettings
{
    public required Uri Endpoint { get; init; }
    public bool Grpc { get; init; }
    /// <summary><c>binary</c> or <c>json</c> (otlp-http). The .NET exporter sends protobuf either way; see docs/fleet.md.</summary>
    public string Protocol { get; init; } = "binary";
    /// <summary>Header values with <c>${NAME}</c> references already expanded from the environment.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary><c>[otel] environment</c>, default <c>dev</c> as in Codex.</summary>
    public string Environment { get; init; } = "dev";
    public TlsFiles Tls { get; init; } = new();

    public override string Kind => Grpc ? "otlp-grpc" : "otlp-http";
    public override string Destination => Endpoint.ToString();
}
