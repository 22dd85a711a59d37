namespace CodexSandbox.Engine.Configuration;

/// <summary>
/// The keys Codex's config types know (upstream <c>codex-rs/config/src/config_toml.rs</c> <c>ConfigToml</c> and
/// <c>profile_toml.rs</c> <c>ConfigProfile</c>, commit 64bdeed9f7, read through the suparngp/codex mirror), and ours.
/// A key Codex knows and we do not use stays silent; a key that neither knows is probably a typo and gets a warning
/// naming the closest known key.
/// </summary>
public static class KnownKeys
{
    /// <summary>Top-level keys of Codex's <c>ConfigToml</c>.</summary>
    public static readonly IReadOnlyList<string> Codex =
    [
        "model", "review_model", "model_provider", "model_context_window", "model_auto_compact_token_limit",
        "model_auto_compact_token_limit_scope", "approval_policy", "approvals_reviewer", "auto_review", "shell_environment_policy",
        "allow_login_shell", "sandbox_mode", "sandbox_workspace_write", "default_permissions", "permissions", "notify", "instructions",
        "developer_instructions", "include_permissions_instructions", "include_apps_instructions",
        "include_collaboration_mode_instructions", "include_environment_context", "model_instructions_file", "compact_prompt",
        "forced_chatgpt_workspace_id", "forced_login_method", "cli_auth_credentials_store", "mcp_servers",
        "mcp_oauth_credentials_store", "mcp_oauth_callback_port", "mcp_oauth_callback_url", "model_providers",
        "project_doc_max_bytes", "project_doc_fallback_filenames", "tool_output_token_limit", "background_terminal_max_timeout",
        "js_repl_node_path", "js_repl_node_module_dirs", "profile", "profiles", "history", "sqlite_home", "log_dir", "debug",
        "file_opener", "tui", "hide_agent_reasoning", "show_raw_agent_reasoning", "model_reasoning_effort",
        "plan_mode_reasoning_effort", "model_reasoning_summary", "model_verbosity", "model_supports_reasoning_summaries",
        "model_catalog_json", "personality", "service_tier", "chatgpt_base_url", "apps_mcp_product_sku", "orchestrator",
        "openai_base_url", "audio", "experimental_realtime_ws_base_url", "experimental_realtime_webrtc_call_base_url",
        "experimental_realtime_ws_model", "realtime", "experimental_realtime_ws_backend_prompt",
        "experimental_realtime_ws_startup_context", "experimental_realtime_start_instructions",
        "experimental_thread_config_endpoint", "experimental_thread_store_endpoint", "experimental_thread_store", "projects",
        "web_search", "tools", "tool_suggest", "agents", "memories", "skills", "hooks", "plugins", "marketplaces", "features",
        "suppress_unstable_features_warning", "ghost_snapshot", "project_root_markers", "check_for_update_on_startup",
        "disable_paste_burst", "analytics", "feedback", "apps", "desktop", "otel", "windows", "notice",
        "experimental_compact_prompt_file", "experimental_use_unified_exec_tool", "oss_provider",
    ];

    /// <summary>Keys of Codex's <c>ConfigProfile</c> (a legacy <c>[profiles.&lt;name&gt;]</c> table).</summary>
    public static readonly IReadOnlyList<string> CodexProfile =
    [
        "model", "service_tier", "model_provider", "approval_policy", "approvals_reviewer", "sandbox_mode", "model_reasoning_effort",
        "plan_mode_reasoning_effort", "model_reasoning_summary", "model_verbosity", "model_catalog_json", "personality",
        "chatgpt_base_url", "model_instructions_file", "js_repl_node_path", "js_repl_node_module_dirs",
        "experimental_compact_prompt_file", "include_permissions_instructions", "include_apps_instructions",
        "include_collaboration_mode_instructions", "include_environment_context", "experimental_use_unified_exec_tool", "tools",
        "web_search", "analytics", "tui", "windows", "features", "oss_provider",
    ];

    /// <summary>Keys of a <c>[permissions.&lt;id&gt;]</c> table.</summary>
    public static readonly IReadOnlyList<string> PermissionProfile = ["description", "extends", "workspace_roots", "filesystem", "network"];

    /// <summary>Keys of a <c>[permissions.&lt;id&gt;.network]</c> table (Codex's <c>NetworkToml</c>).</summary>
    public static readonly IReadOnlyList<string> PermissionNetwork =
    [
        "enabled", "proxy_url", "enable_socks5", "socks_url", "enable_socks5_udp", "allow_upstream_proxy",
        "dangerously_allow_non_loopback_proxy", "dangerously_allow_all_unix_sockets", "mode", "domains", "unix_sockets",
        "allow_local_binding", "mitm",
    ];

    /// <summary>Our own top-level keys and tables (every table of <see cref="ConfigSchema"/>, and <c>deny_read</c>).</summary>
    public static IEnumerable<string> Ours => ConfigSchema.Keys.Select(k => k.Name.Split('.')[0]).Distinct(StringComparer.Ordinal);

    /// <summary>The known key closest to <paramref name="key"/> by edit distance, or null when none is close enough to be a typo of it.</summary>
    public static string? Closest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            int d = Distance(key, candidate);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The warning for a key that neither Codex nor this module knows.</summary>
    public static string Message(string dotted, string? closest) =>
        $"Unknown key '{dotted}': neither Codex nor this module reads it" + (closest is null ? "." : $"; did you mean '{closest}'?");
}
