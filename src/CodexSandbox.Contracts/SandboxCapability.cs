namespace CodexSandbox;

/// <summary>What this machine can enforce, and which protections each mode will get here.</summary>
public sealed class SandboxCapability
{
    public string Platform { get; init; } = "";
    public string KernelVersion { get; init; } = "";
    public string Architecture { get; init; } = "";
    /// <summary>0 when Landlock is missing or disabled.</summary>
    public int LandlockAbi { get; init; }
    /// <summary>What that ABI covers: filesystem, refer, truncate, tcp, ioctl-dev, scope, audit.</summary>
    public IReadOnlyList<string> LandlockFeatures { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public bool Seccomp { get; init; }
    public string? BwrapPath { get; init; }
    public string? BwrapVersion { get; init; }
    /// <summary>True when the one-per-session preflight could build user, PID and network namespaces.</summary>
    public bool BwrapWorks { get; init; }
    public string? BwrapProblem { get; init; }
    /// <summary>True when unprivileged user namespaces are allowed by the kernel settings.</summary>
    public bool UserNamespaces { get; init; }
    /// <summary>A container runtime this process seems to run in (docker, podman, lxc, wsl…), or null.</summary>
    public string? Container { get; init; }
    public string? LauncherPath { get; init; }
    /// <summary>macOS: the sandbox-exec found at its fixed path, or null.</summary>
    public string? SandboxExecPath { get; init; }
    /// <summary>macOS: true when sandbox-exec could apply a trivial profile here (it cannot inside another sandbox).</summary>
    public bool SandboxExecWorks { get; init; }
    /// <summary>Said for a mode this machine cannot run (see <see cref="Missing"/> for why); not a backend.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The backend each mode uses here (one of <see cref="SandboxBackend"/>), or <see cref="Unavailable"/>.</summary>
    public IReadOnlyDictionary<SandboxMode, string> Backend { get; init => field = TextMap<SandboxMode, string>.From(value); } = TextMap<SandboxMode, string>.Empty;
    /// <summary>Per mode, the protections that will be active.</summary>
    public IReadOnlyDictionary<SandboxMode, IReadOnlyList<string>> Protections { get; init => field = TextMap<SandboxMode, IReadOnlyList<string>>.From(value); } = TextMap<SandboxMode, IReadOnlyList<string>>.Empty;
    /// <summary>Per mode, the protections that will be missing, with the reason; a mode that cannot run lists why.</summary>
    public IReadOnlyDictionary<SandboxMode, IReadOnlyList<string>> Missing { get; init => field = TextMap<SandboxMode, IReadOnlyList<string>>.From(value); } = TextMap<SandboxMode, IReadOnlyList<string>>.Empty;
    /// <summary>Anything else a user should know about this platform's sandbox.</summary>
    public IReadOnlyList<string> Notes { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
}
