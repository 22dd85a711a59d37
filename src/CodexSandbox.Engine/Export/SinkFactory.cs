using System.Runtime.CompilerServices;
using CodexSandbox.Engine.Export.Otlp;
using CodexSandbox.Engine.Export.Syslog;

namespace CodexSandbox.Engine.Export;

/// <summary>Opens the sink a setting describes. The OpenTelemetry SDK is loaded only when an OTLP sink is opened.</summary>
internal static class SinkFactory
{
    public static IAuditSink Connect(AuditSinkSettings settings, TimeSpan timeout) => settings switch
    {
        OtlpSinkSettings otlp => ConnectOtlp(otlp, timeout),
        SyslogSinkSettings syslog => syslog.Transport == SyslogTransport.Relp ? new RelpSink(syslog) : new SyslogSink(syslog),
        _ => throw new ArgumentException($"Unknown sink {settings.GetType().Name}.", nameof(settings)),
    };

    // Kept out of line so that compiling Connect does not load the OpenTelemetry assemblies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAuditSink ConnectOtlp(OtlpSinkSettings settings, TimeSpan timeout) => new OtlpSink(settings, timeout);
}
