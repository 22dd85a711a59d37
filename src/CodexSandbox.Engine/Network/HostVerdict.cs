using System.Net;

namespace CodexSandbox.Engine.Network;

/// <summary>What the policy says about one host (by name, or by the addresses it resolved to).</summary>
/// <param name="Allowed">True when the host may be reached.</param>
/// <param name="Reason">A <see cref="ProxyReasons"/> code.</param>
/// <param name="Rule">The entry that decided, or null when nothing matched.</param>
/// <param name="ExactAllow">True when an exact entry (a name without wildcard, or an IP literal) allowed the host; such hosts may reach non-public addresses.</param>
/// <param name="Message">A sentence naming the rule, for the 403 body and the audit log.</param>
/// <param name="Address">The resolved address that decided a refusal, when one did.</param>
public sealed record HostVerdict(bool Allowed, string Reason, HostPattern? Rule, bool ExactAllow, string Message, IPAddress? Address = null);
