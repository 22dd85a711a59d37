namespace CodexSandbox.Engine.Export;

/// <summary>PEM files for a TLS connection: a CA to trust instead of the system's, and a client certificate for mutual TLS.</summary>
public sealed record TlsFiles
{
    public string? CaCertificate { get; init; }
    public string? ClientCertificate { get; init; }
    public string? ClientPrivateKey { get; init; }
}
