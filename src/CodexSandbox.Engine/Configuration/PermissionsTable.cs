using Tomlyn.Model;

namespace CodexSandbox.Engine.Configuration;

/// <summary>One <c>[permissions.&lt;id&gt;]</c> table as a file wrote it, with the file to locate its keys in.</summary>
public sealed record PermissionsTable(string Id, TomlTable Table, ConfigFile File, PolicySource Source);
