using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>The language a command is written in.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ShellKind
{
    /// <summary>A POSIX shell line (run as <c>/bin/sh -c</c>).</summary>
    Posix,
    /// <summary>A PowerShell script.</summary>
    PowerShell,
    /// <summary>An argument vector run directly, without a shell.</summary>
    Argv,
}
