namespace CodexSandbox.LauncherContract;

/// <summary>The launcher's filesystem policy (<see cref="LauncherOption.Mode"/>); spelled by <see cref="LauncherValue"/>.</summary>
internal enum LauncherSandboxMode
{
    /// <summary>Read-only everywhere, metadata changes denied too.</summary>
    ReadOnly,
    /// <summary>Writable inside the <see cref="LauncherOption.WritableRoot"/> roots.</summary>
    WorkspaceWrite,
}
