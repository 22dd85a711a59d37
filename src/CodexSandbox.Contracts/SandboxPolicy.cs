namespace CodexSandbox;

/// <summary>The effective sandbox policy for one working directory: every setting, and where it came from.</summary>
public sealed record SandboxPolicy
{
    public SandboxMode SandboxMode { get; init; }
    public ApprovalPolicy ApprovalPolicy { get; init; }
    /// <summary>The categories of a <see cref="ApprovalPolicy.Granular"/> policy; null for every other policy.</summary>
    public GranularApproval? GranularApproval { get; init; }
    /// <summary>The folder commands run in.</summary>
    public string WorkingDirectory { get; init; } = "";
    /// <summary>The nearest ancestor holding a project root marker (<c>.git</c>), or null.</summary>
    public string? ProjectRoot { get; init; }
    /// <summary><c>trusted</c>, <c>untrusted</c>, or null when the project has no trust decision.</summary>
    public string? TrustLevel { get; init; }
    /// <summary>The selected profile, or null.</summary>
    public string? Profile { get; init; }
    /// <summary>The permission profile in effect (<c>default_permissions</c> or <c>-Permissions</c>), or null when the legacy <c>sandbox_mode</c> applies.</summary>
    public string? Permissions { get; init; }
    /// <summary>The profile's <c>extends</c> chain, root parent first, the profile itself last.</summary>
    public IReadOnlyList<string> PermissionsChain { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>The profile's <c>description</c>.</summary>
    public string? PermissionsDescription { get; init; }
    /// <summary>The profile's effective filesystem entries, special paths expanded, each with the file and line that wrote it.</summary>
    public IReadOnlyList<FilesystemEntry> FilesystemEntries { get; init => field = TextList<FilesystemEntry>.From(value); } = TextList<FilesystemEntry>.Empty;
    /// <summary>
    /// The folders a profile limits reads to (its read and write entries), or null when the whole disk is readable. On
    /// Linux and macOS the writable roots and what the program needs to start are readable too; Windows cannot limit
    /// reads and says so in NotEnforced.
    /// </summary>
    public IReadOnlyList<string>? ReadableRoots { get; init => field = value is null ? null : TextList<string>.From(value); }
    /// <summary>Writable roots (workspace-write only), each with its protected sub-paths.</summary>
    public IReadOnlyList<WritableRoot> WritableRoots { get; init => field = TextList<WritableRoot>.From(value); } = TextList<WritableRoot>.Empty;
    /// <summary>Every protected path of every writable root.</summary>
    public IReadOnlyList<string> ProtectedPaths => TextList<string>.From(WritableRoots.SelectMany(r => r.ReadOnlySubpaths).ToArray());
    /// <summary>
    /// Paths that stay read-only in every sandboxed mode, even inside a writable root: <c>$CODEX_HOME</c> (config, rules,
    /// audit log, checkpoints), <c>/etc/codex</c>, the module's own folder and the audit log's folder. A run whose layer
    /// cannot keep one of them read-only is refused.
    /// </summary>
    public IReadOnlyList<string> AlwaysReadOnly { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>The host's temporary folders the command gets private copies of (Linux); empty when <see cref="SharedTmp"/>.</summary>
    public IReadOnlyList<TempFolder> TempFolders { get; init => field = TextList<TempFolder>.From(value); } = TextList<TempFolder>.Empty;
    /// <summary>
    /// Host folders that hold other processes' IPC endpoints (<c>/tmp</c>, <c>/var/tmp</c>, <c>$TMPDIR</c>,
    /// <c>$XDG_RUNTIME_DIR</c>): hidden from the command, not merely read-only, because a read-only socket still accepts
    /// <c>connect()</c>. Empty when <see cref="SharedTmp"/>.
    /// </summary>
    public IReadOnlyList<string> HiddenPaths { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary><c>[sandbox_linux] tmp = "shared"</c>: the host's <c>/tmp</c> and <c>$TMPDIR</c> are shared (writable roots in
    /// workspace-write), as in Codex. An explicit opt-in: every host process's endpoints there become reachable.</summary>
    public bool SharedTmp { get; init; }
    /// <summary>Paths or globs kept unreadable inside the sandbox (<c>deny_read</c>).</summary>
    public IReadOnlyList<string> DenyRead { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>
    /// The credential files and folders in <see cref="DenyRead"/> by default (<c>~/.ssh</c> but its public keys,
    /// <c>known_hosts</c> and <c>config</c>; <c>~/.aws</c>, <c>~/.netrc</c>, <c>$CODEX_HOME/auth.json</c> …), as found
    /// when the policy was resolved. Empty when <c>[sandbox_credentials] deny_read = false</c>.
    /// </summary>
    public IReadOnlyList<string> CredentialDenyRead { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    public NetworkMode NetworkMode { get; init; }
    /// <summary>Hosts the allowlist proxy lets through (<c>[sandbox_network] allowed_domains</c>).</summary>
    public IReadOnlyList<string> AllowedDomains { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Hosts always refused; deny beats allow.</summary>
    public IReadOnlyList<string> DeniedDomains { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>TCP ports the sandbox may connect to directly in allowlist mode (a local database, say).</summary>
    public IReadOnlyList<int> AllowedPorts { get; init => field = TextList<int>.From(value); } = TextList<int>.Empty;
    public bool AllowLocalBinding { get; init; }
    /// <summary>
    /// Codex's <c>[permissions.&lt;id&gt;.network] mode = "limited"</c>: the proxy lets only GET, HEAD and OPTIONS through
    /// for plain HTTP and refuses CONNECT and SOCKS5 tunnels, whose methods it cannot see (it does not intercept TLS).
    /// </summary>
    public bool NetworkLimited { get; init; }
    /// <summary>
    /// Host socket files (or folders of them) a permission profile lets the command connect to
    /// (<c>[permissions.&lt;id&gt;.network.unix_sockets] "&lt;path&gt;" = "allow"</c>), denied ones removed.
    /// </summary>
    public IReadOnlyList<string> AllowedUnixSockets { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>Socket files (or folders) a permission profile denies; masked wherever the backend can mask them.</summary>
    public IReadOnlyList<string> DeniedUnixSockets { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary><c>dangerously_allow_all_unix_sockets = true</c>: every host socket file but the denied ones is reachable.</summary>
    public bool AllowAllUnixSockets { get; init; }
    /// <summary>True when the network is not cut off (mode <c>On</c>, or <c>Allowlist</c> through the proxy).</summary>
    public bool NetworkAccess => NetworkMode != NetworkMode.Off;
    public EnvironmentPolicy EnvironmentPolicy { get; init; } = new();
    /// <summary>The environment a sandboxed command gets (before the <c>CODEX_SANDBOX*</c> markers added at spawn).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init => field = TextMap<string, string>.From(value); } = TextMap<string, string>.Empty;
    /// <summary>What the environment policy removed, and why.</summary>
    public IReadOnlyList<EnvironmentRemoval> EnvironmentRemoved { get; init => field = TextList<EnvironmentRemoval>.From(value); } = TextList<EnvironmentRemoval>.Empty;
    public ResourceLimits Limits { get; init; } = new();
    public AuditSettings Audit { get; init; } = new();
    public NamespaceRequirement LinuxNamespaces { get; init; }
    /// <summary>When a checkpoint is taken before a run (<c>[sandbox_rollback] checkpoint</c>).</summary>
    public CheckpointMode Checkpoint { get; init; } = CheckpointMode.OnApproval;
    /// <summary>The size cap for a plain-folder checkpoint copy.</summary>
    public long MaxSnapshotMB { get; init; } = 100;
    /// <summary><c>$CODEX_HOME</c>: the user layer's folder.</summary>
    public string CodexHome { get; init; } = "";
    public string LogDirectory { get; init; } = "";
    /// <summary>The config files in effect, lowest precedence first.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;
    /// <summary>The administrator's <c>requirements.toml</c> in effect (the system folder's), or null when there is none.</summary>
    public string? RequirementsFile { get; init; }
    /// <summary>
    /// The constraints of <see cref="RequirementsFile"/> (<c>allowed_sandbox_modes</c>, <c>allowed_approval_policies</c>,
    /// <c>[allowed_permission_profiles]</c>, managed <c>default_permissions</c>, <c>deny_read</c>, <c>[rules]</c>,
    /// <c>[experimental_network]</c>), each with the line that sets it.
    /// </summary>
    public IReadOnlyList<PolicyOrigin> Requirements { get; init => field = TextList<PolicyOrigin>.From(value); } = TextList<PolicyOrigin>.Empty;
    /// <summary>
    /// False when the requirements do not allow <c>danger-full-access</c>: then no command runs outside the sandbox, not
    /// through an escalation (<c>-RequestUnsandboxed</c>, even with <c>-Force</c>), an exec-policy allow rule, nor the retry
    /// after a likely sandbox denial.
    /// </summary>
    public bool UnsandboxedAllowed { get; init; } = true;
    /// <summary>Where each setting came from.</summary>
    public IReadOnlyList<PolicyOrigin> Provenance { get; init => field = TextList<PolicyOrigin>.From(value); } = TextList<PolicyOrigin>.Empty;
    /// <summary>The launch plan for the platform asked with <c>Get-SandboxPolicy -TargetPlatform</c>, or null.</summary>
    public LaunchPlan? LaunchPlan { get; init; }
    /// <summary>Things worth knowing that did not stop resolution (a missing writable root, an ignored parameter).</summary>
    public IReadOnlyList<string> Warnings { get; init => field = TextList<string>.From(value); } = TextList<string>.Empty;

    public override string ToString() => $"{SandboxMode}/{ApprovalPolicy} in {WorkingDirectory}";
}
