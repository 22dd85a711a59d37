using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CodexSandbox;

/// <summary>The operating system a launch plan is made for.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum TargetPlatform
{
    Linux,
    MacOS,
    Windows,
}
