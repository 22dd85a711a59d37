namespace CodexSandbox.Launcher.Cli;

/// <summary>Filesystem policy: read-only everywhere, or writable inside the --rw roots.</summary>
internal enum SandboxMode
{
    ReadOnly,
    WorkspaceWrite,
}
