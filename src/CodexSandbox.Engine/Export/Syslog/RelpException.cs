namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>The peer broke the RELP protocol or refused a message.</summary>
internal sealed class RelpException(string message) : Exception(message);
