namespace CodexSandbox.Engine.Audit;

/// <summary>The filterable fields of one line.</summary>
internal struct RecordProbe
{
    public string? Id;
    public bool HasTime;
    public DateTimeOffset Time;
    public string? EventType;
    public string? Decision;
    public string? Command;
}
