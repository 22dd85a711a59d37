using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CodexSandbox.Engine.Export;

/// <summary>TLS for sinks: a CA file to trust instead of the system's roots, and a client certificate for mutual TLS.</summary>
internal static class TlsTrust
{
    /// <summary>Null (the system's roots) without a CA file; otherwise a check against that CA only. Host names are always checked.</summary>
    public static RemoteCertificateValidationCallback? Validator(string? caFile)
    {
        if (caFile is null) return null;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }

    public static X509Certificate2? ClientCertificate(TlsFiles tls) =>
        tls.ClientCertificate is { } cert && tls.ClientPrivateKey is { } key ? X509Certificate2.CreateFromPemFile(cert, key) : null;
}
