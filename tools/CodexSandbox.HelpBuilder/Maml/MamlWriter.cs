using System.Text;
using System.Xml;
using System.Xml.Linq;
using CodexSandbox.HelpBuilder.Model;

namespace CodexSandbox.HelpBuilder.Maml;

/// <summary>
/// Renders commands into the MAML shape Get-Help reads (the layout platyPS v1 and ThreadJob ship).
/// XLinq does the XML escaping, so prose with &lt; &gt; &amp; is safe.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    /// <summary>platyPS v1 centres example titles in a dash rule of this width.</summary>
    private const int ExampleTitleWidth = 64;

    public static XDocument Build(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

    public static void Save(XDocument document, string path)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
        };
        using (var writer = XmlWriter.Create(path, settings)) document.Save(writer);
        File.AppendAllText(path, "\n");
    }

    public static string PadExampleTitle(string title)
    {
        var dashes = Math.Max(2, (ExampleTitleWidth - title.Length - 2) / 2);
        var rule = new string('-', dashes);
        return $"{rule} {title} {rule}";
    }

    private static XElement CommandElement(CommandHelp c) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                Description([c.Synopsis])),
            Description(c.Description),
            new XElement(Command + "syntax", c.ParameterSets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", c.Name),
                    set.Parameters.Select(p => ParameterElement(p, p.UsageFor(set.Name)!, inSyntax: true))))),
            new XElement(Command + "parameters", c.Parameters.Select(p => ParameterElement(p, p.Usages[0], inSyntax: false))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", c.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(c.Notes))),
            new XElement(Command + "examples", c.Examples.Select((e, i) =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", PadExampleTitle(e.Title)),
                    new XElement(Dev + "code", e.Code),
                    // Get-Help prints the next title right under the last remark; an empty para
                    // (as Microsoft's own MAML has) gives the blank line that separates examples.
                    new XElement(Dev + "remarks", Paras(i < c.Examples.Count - 1 ? [.. e.Remarks, ""] : e.Remarks))))),
            new XElement(Command + "relatedLinks", c.RelatedLinks.Select(l =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));

    private static XElement ParameterElement(ParameterHelp p, ParameterSetUsage u, bool inSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", u.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", u.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", u.PipelineInput),
            new XAttribute("position", u.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", u.Aliases.Count == 0 ? "none" : string.Join(", ", u.Aliases)),
            new XElement(Maml + "name", p.Name));
        if (!inSyntax) element.Add(Description(p.Description));
        if (u.AcceptedValues.Count > 0)
            element.Add(new XElement(Command + "parameterValueGroup", u.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue",
                    new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        // A switch takes no value, so the syntax shows just [-Name]; the parameter list still names its type.
        if (!(inSyntax && p.IsSwitch))
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", p.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                p.Type));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.Type)));
        var defaultValue = p.IsSwitch && u.DefaultValue == "None" ? "False" : u.DefaultValue;
        element.Add(new XElement(Dev + "defaultValue", defaultValue));
        return element;
    }

    private static XElement TypeElement(string kind, TypeHelp t) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", t.TypeName)),
            Description(t.Description));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
