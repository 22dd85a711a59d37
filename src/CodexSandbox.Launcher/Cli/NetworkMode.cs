namespace CodexSandbox.Launcher.Cli;

/// <summary>off: no sockets but AF_UNIX, no connect/bind at all; proxy: TCP connect to the allowed ports
/// only; on: unrestricted.</summary>
internal enum NetworkMode
{
    Off,
    Proxy,
    On,
}
