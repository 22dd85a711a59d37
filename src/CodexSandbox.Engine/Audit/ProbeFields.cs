namespace CodexSandbox.Engine.Audit;

/// <summary>The fields a query needs from a line before deciding whether to parse all of it.</summary>
[Flags]
internal enum ProbeFields
{
    None = 0,
    Id = 1,
    Time = 2,
    EventType = 4,
    Decision = 8,
    Command = 16,
}
