namespace CodexSandbox.HelpBuilder.Diagnostics;

/// <summary>Collects every problem of a run, so one build reports all of them instead of stopping at the first.</summary>
internal sealed class DiagnosticList
{
    private readonly List<HelpDiagnostic> _items = [];

    public IReadOnlyList<HelpDiagnostic> Items => _items;

    public bool HasErrors => _items.Count > 0;

    public void Add(string path, int line, string message) => _items.Add(new HelpDiagnostic(path, line, message));
}
