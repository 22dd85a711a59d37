using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>How Test-CommandSafety reads a command line.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ShellSelection
{
    /// <summary>PowerShell when the line starts a pipeline part with a Verb-Noun cmdlet name, POSIX otherwise.</summary>
    Auto,
    /// <summary>A POSIX shell line (as <c>/bin/sh -c</c>).</summary>
    Posix,
    /// <summary>A PowerShell script.</summary>
    PowerShell,
}
