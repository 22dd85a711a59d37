using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace CodexSandbox.Engine.Configuration;

/// <summary>One parsed config.toml: its table tree, and the line and column of every key.</summary>
public sealed class ConfigFile
{
    private readonly TomlMetadataStore _metadata;

    private ConfigFile(string path, TomlTable root, TomlMetadataStore metadata, IReadOnlyList<ConfigDiagnostic> syntaxErrors)
    {
        Path = path;
        Root = root;
        _metadata = metadata;
        SyntaxErrors = syntaxErrors;
    }

    public string Path { get; }
    /// <summary>The document; empty when the file did not parse.</summary>
    public TomlTable Root { get; }
    /// <summary>Syntax errors; when there are any, <see cref="Root"/> is empty.</summary>
    public IReadOnlyList<ConfigDiagnostic> SyntaxErrors { get; }

    public static ConfigFile Parse(string path, string text)
    {
        var store = new TomlMetadataStore();
        var options = new TomlSerializerOptions { MetadataStore = store, SourceName = path };
        try
        {
            var root = TomlSerializer.Deserialize<TomlTable>(text, options) ?? new TomlTable();
            return new ConfigFile(path, root, store, []);
        }
        catch (TomlException e)
        {
            var errors = new List<ConfigDiagnostic>();
            if (e.Diagnostics is { Count: > 0 } bag)
            {
                foreach (var d in bag)
                {
                    errors.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, "SyntaxError", path,
                        d.Span.Start.Line + 1, d.Span.Start.Column + 1, null, d.Message));
                }
            }
            else
            {
                errors.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, "SyntaxError", path, e.Line ?? 0, e.Column ?? 0, null, StripLocation(e.Message)));
            }
            return new ConfigFile(path, new TomlTable(), store, errors);
        }
    }

    public static ConfigFile Load(string path) => Parse(path, File.ReadAllText(path));

    /// <summary>The 1-based line and column of <paramref name="key"/> inside <paramref name="table"/>, or (0, 0).</summary>
    public (int Line, int Column) Locate(TomlTable table, string key)
    {
        if (_metadata.TryGetProperties(table, out var props) && props is not null &&
            props.TryGetProperty(key, out var meta) && meta?.Span is { } span)
        {
            return (span.Start.Line + 1, span.Start.Column + 1);
        }
        return (0, 0);
    }

    // Tomlyn prefixes messages with "file(line,col) : error : "; we report the location separately.
    private static string StripLocation(string message)
    {
        int marker = message.IndexOf(" : error : ", StringComparison.Ordinal);
        return marker >= 0 ? message[(marker + " : error : ".Length)..] : message;
    }
}
