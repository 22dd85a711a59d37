namespace CodexSandbox.Engine.Configuration;

/// <summary>A config file in the precedence stack: system, user, or a trusted project's <c>.codex</c>.</summary>
public sealed record ConfigLayer(PolicySource Source, ConfigFile File)
{
    /// <summary>The folder whose <c>rules/</c> belong to this layer.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(File.Path)!;
}
