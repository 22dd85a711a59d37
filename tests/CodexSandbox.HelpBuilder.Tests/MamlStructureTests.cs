using System.Text;
using System.Xml;

namespace CodexSandbox.HelpBuilder.Tests;

/// <summary>The generated MAML has the shape Get-Help reads (checked by XPath against the sample Sbx pages).</summary>
public sealed class MamlStructureTests : IDisposable
{
    private readonly DocSet _docs = new();

    public void Dispose() => _docs.Dispose();

    private (XmlDocument Xml, XmlNamespaceManager Ns) BuildMaml()
    {
        var result = _docs.Build();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var xml = new XmlDocument();
        xml.Load(Path.Combine(_docs.Output, "Sbx.dll-Help.xml"));
        var ns = new XmlNamespaceManager(xml.NameTable);
        ns.AddNamespace("msh", "http://msh");
        ns.AddNamespace("maml", "http://schemas.microsoft.com/maml/2004/10");
        ns.AddNamespace("command", "http://schemas.microsoft.com/maml/dev/command/2004/10");
        ns.AddNamespace("dev", "http://schemas.microsoft.com/maml/dev/2004/10");
        return (xml, ns);
    }

    private static string[] Texts(XmlNode root, string xpath, XmlNamespaceManager ns) =>
        [.. root.SelectNodes(xpath, ns)!.Cast<XmlNode>().Select(n => n.InnerText)];

    private static XmlNode Single(XmlNode root, string xpath, XmlNamespaceManager ns) =>
        root.SelectSingleNode(xpath, ns) ?? throw new Xunit.Sdk.XunitException($"no node at {xpath}");

    [Fact]
    public void OneCommandWithNameVerbNounAndSynopsis()
    {
        var (xml, ns) = BuildMaml();
        Assert.Equal("maml", Single(xml, "/msh:helpItems/@schema", ns).Value);
        var commands = xml.SelectNodes("/msh:helpItems/command:command", ns)!;
        Assert.Equal(1, commands.Count);
        var c = commands[0]!;
        Assert.Equal("Get-SbxItem", Single(c, "command:details/command:name", ns).InnerText);
        Assert.Equal("Get", Single(c, "command:details/command:verb", ns).InnerText);
        Assert.Equal("SbxItem", Single(c, "command:details/command:noun", ns).InnerText);
        Assert.Equal("Gets sandbox items by name or by path.", Single(c, "command:details/maml:description/maml:para", ns).InnerText);
    }

    [Fact]
    public void DescriptionIsOneParaPerParagraphAndXmlEscaped()
    {
        var (xml, ns) = BuildMaml();
        var paras = Texts(xml, "//command:command/maml:description/maml:para", ns);
        Assert.Equal(
            ["The Get-SbxItem cmdlet returns items whose names match, for example `a<b` & `c>d`.",
             "A second paragraph that is soft-wrapped in the source."],
            paras);
        var raw = File.ReadAllText(Path.Combine(_docs.Output, "Sbx.dll-Help.xml"));
        Assert.Contains("`a&lt;b` &amp; `c&gt;d`", raw);
    }

    [Fact]
    public void FileIsUtf8WithoutBomAndDeclaresUtf8()
    {
        BuildMaml();
        var bytes = File.ReadAllBytes(Path.Combine(_docs.Output, "Sbx.dll-Help.xml"));
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void SyntaxHasOneItemPerSetDefaultFirstMembersByPosition()
    {
        var (xml, ns) = BuildMaml();
        var items = xml.SelectNodes("//command:syntax/command:syntaxItem", ns)!.Cast<XmlNode>().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-SbxItem", Single(i, "maml:name", ns).InnerText));
        Assert.Equal(["Name", "Mode", "Force"], Texts(items[0], "command:parameter/maml:name", ns));
        Assert.Equal(["Path", "Mode", "Force"], Texts(items[1], "command:parameter/maml:name", ns));
        var name = Single(items[0], "command:parameter[maml:name='Name']", ns);
        Assert.Equal("true", name.Attributes!["required"]!.Value);
        Assert.Equal("0", name.Attributes["position"]!.Value);
        Assert.Equal("True (ByValue, ByPropertyName)", name.Attributes["pipelineInput"]!.Value);
        Assert.Equal("String[]", Single(name, "command:parameterValue", ns).InnerText);
    }

    [Fact]
    public void SwitchHasNoValueInSyntaxButNamesItsTypeInParameters()
    {
        var (xml, ns) = BuildMaml();
        var inSyntax = Single(xml, "//command:syntaxItem[1]/command:parameter[maml:name='Force']", ns);
        Assert.Null(inSyntax.SelectSingleNode("command:parameterValue", ns));
        Assert.Equal("SwitchParameter", Single(inSyntax, "dev:type/maml:name", ns).InnerText);
        var inList = Single(xml, "//command:parameters/command:parameter[maml:name='Force']", ns);
        var value = Single(inList, "command:parameterValue", ns);
        Assert.Equal("SwitchParameter", value.InnerText);
        Assert.Equal("false", value.Attributes!["required"]!.Value);
        Assert.Equal("False", Single(inList, "dev:defaultValue", ns).InnerText);
    }

    [Fact]
    public void AcceptedValuesBecomeParameterValueGroup()
    {
        var (xml, ns) = BuildMaml();
        foreach (var xpath in new[] { "//command:syntaxItem[2]/command:parameter[maml:name='Mode']", "//command:parameters/command:parameter[maml:name='Mode']" })
        {
            var mode = Single(xml, xpath, ns);
            Assert.Equal(["ReadOnly", "WorkspaceWrite", "DangerFullAccess"],
                Texts(mode, "command:parameterValueGroup/command:parameterValue", ns));
            Assert.Equal("named", mode.Attributes!["position"]!.Value);
        }
    }

    [Fact]
    public void ParametersAppearOnceWithDescriptionsAndAttributes()
    {
        var (xml, ns) = BuildMaml();
        Assert.Equal(["Name", "Path", "Mode", "Force"], Texts(xml, "//command:parameters/command:parameter/maml:name", ns));
        var path = Single(xml, "//command:parameters/command:parameter[maml:name='Path']", ns);
        Assert.Equal("PSPath", path.Attributes!["aliases"]!.Value);
        Assert.Equal("true", path.Attributes["globbing"]!.Value);
        Assert.Equal("The path of the item store.", Single(path, "maml:description/maml:para", ns).InnerText);
        Assert.Equal("ReadOnly", Single(xml, "//command:parameters/command:parameter[maml:name='Mode']/dev:defaultValue", ns).InnerText);
        Assert.Equal("none", Single(xml, "//command:parameters/command:parameter[maml:name='Mode']/@aliases", ns).Value);
    }

    [Fact]
    public void ExamplesHavePaddedTitlesJoinedCodeAndProseRemarks()
    {
        var (xml, ns) = BuildMaml();
        var examples = xml.SelectNodes("//command:examples/command:example", ns)!.Cast<XmlNode>().ToList();
        Assert.Equal(2, examples.Count);
        var title = Single(examples[0], "maml:title", ns).InnerText;
        Assert.Matches(@"^-{2,} Example 1: Get one item -{2,}$", title);
        Assert.InRange(title.Length, 60, 66);
        Assert.Equal("Get-SbxItem -Name alpha", Single(examples[0], "dev:code", ns).InnerText);
        // All but the last example end with an empty para: Get-Help prints it as the blank line between examples.
        Assert.Equal(["Returns the item named alpha.", ""], Texts(examples[0], "dev:remarks/maml:para", ns));
        Assert.Equal("'alpha', 'beta' | Get-SbxItem -Mode WorkspaceWrite\n\nGet-SbxItem -Path ./items -Force",
            Single(examples[1], "dev:code", ns).InnerText);
        Assert.Equal(["Names can come from the pipeline.", "Both items are returned in WorkspaceWrite mode."],
            Texts(examples[1], "dev:remarks/maml:para", ns));
    }

    [Fact]
    public void InputsOutputsNotesAndRelatedLinks()
    {
        var (xml, ns) = BuildMaml();
        Assert.Equal("System.String[]", Single(xml, "//command:inputTypes/command:inputType/dev:type/maml:name", ns).InnerText);
        Assert.Equal("Item names.", Single(xml, "//command:inputTypes/command:inputType/maml:description/maml:para", ns).InnerText);
        Assert.Equal("System.String", Single(xml, "//command:returnValues/command:returnValue/dev:type/maml:name", ns).InnerText);
        Assert.Equal(["Items are never modified."], Texts(xml, "//maml:alertSet/maml:alert/maml:para", ns));
        var links = xml.SelectNodes("//command:relatedLinks/maml:navigationLink", ns)!.Cast<XmlNode>()
            .Select(l => (Single(l, "maml:linkText", ns).InnerText, Single(l, "maml:uri", ns).InnerText)).ToList();
        Assert.Equal(
            [("Online Version:", "https://example.org/sbx/Get-SbxItem.md"), ("about_Sbx", ""), ("Sandbox guide", "https://example.org/sbx/guide")],
            links);
    }

    [Fact]
    public void DefaultSetGoesFirstEvenWhenListedLastAndPositionsSortMembers()
    {
        _docs.Edit("Get-SbxItem.md", "### ByName (Default)", "### ByName");
        _docs.Edit("Get-SbxItem.md", "### ByPath\n", "### ByPath (Default)\n");
        // -Mode becomes positional (1) in every set, so it must move right after the position-0 parameter.
        _docs.Edit("Get-SbxItem.md", "Accepted values: ReadOnly, WorkspaceWrite, DangerFullAccess\n\nRequired: False\nPosition: Named",
            "Accepted values: ReadOnly, WorkspaceWrite, DangerFullAccess\n\nRequired: False\nPosition: 1");
        var (xml, ns) = BuildMaml();
        var items = xml.SelectNodes("//command:syntax/command:syntaxItem", ns)!.Cast<XmlNode>().ToList();
        Assert.Equal(["Path", "Mode", "Force"], Texts(items[0], "command:parameter/maml:name", ns));
        Assert.Equal(["Name", "Mode", "Force"], Texts(items[1], "command:parameter/maml:name", ns));
        Assert.Equal("1", Single(items[0], "command:parameter[maml:name='Mode']/@position", ns).Value);
    }

    [Fact]
    public void ParameterWithOneYamlBlockPerSetGetsPerSetAttributes()
    {
        // -Force: mandatory in ByPath only, written the platyPS v1 way as two yaml blocks.
        var force = "```yaml\nType: SwitchParameter\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: False\nAccept pipeline input: False\nAccept wildcard characters: False\n```";
        _docs.Edit("Get-SbxItem.md", force,
            force.Replace("(All)", "ByName") + "\n\n" + force.Replace("(All)", "ByPath").Replace("Required: False", "Required: True"));
        var (xml, ns) = BuildMaml();
        Assert.Equal("false", Single(xml, "//command:syntaxItem[1]/command:parameter[maml:name='Force']/@required", ns).Value);
        Assert.Equal("true", Single(xml, "//command:syntaxItem[2]/command:parameter[maml:name='Force']/@required", ns).Value);
        Assert.Equal(1, xml.SelectNodes("//command:parameters/command:parameter[maml:name='Force']", ns)!.Count);
    }

    [Fact]
    public void EveryCmdletPageBecomesOneCommandInTheSameFile()
    {
        var second = _docs.Read("Get-SbxItem.md")
            .Replace("Get-SbxItem", "Set-SbxItem", StringComparison.Ordinal)
            .Replace("Gets sandbox items by name or by path.", "Sets sandbox items.", StringComparison.Ordinal);
        _docs.Write("Set-SbxItem.md", second);
        _docs.Edit("Sbx.md", "### [Get-SbxItem](Get-SbxItem.md)", "### [Get-SbxItem](Get-SbxItem.md)\n\n### [Set-SbxItem](Set-SbxItem.md)");
        var (xml, ns) = BuildMaml();
        Assert.Equal(["Get-SbxItem", "Set-SbxItem"], Texts(xml, "/msh:helpItems/command:command/command:details/command:name", ns));
        Assert.Single(Directory.GetFiles(_docs.Output, "*.xml"));
    }

    [Fact]
    public void WindowsLineEndingsGiveTheSameHelp()
    {
        BuildMaml();
        var lf = File.ReadAllText(Path.Combine(_docs.Output, "Sbx.dll-Help.xml"));
        foreach (var file in Directory.GetFiles(_docs.Docs))
            File.WriteAllText(file, File.ReadAllText(file).Replace("\n", "\r\n", StringComparison.Ordinal));
        BuildMaml();
        Assert.Equal(lf, File.ReadAllText(Path.Combine(_docs.Output, "Sbx.dll-Help.xml")));
    }

    [Fact]
    public void PageWithoutNamedSetsHasOneSyntaxItem()
    {
        var text = _docs.Read("Get-SbxItem.md");
        var syntaxStart = text.IndexOf("## SYNTAX", StringComparison.Ordinal);
        var syntaxEnd = text.IndexOf("## DESCRIPTION", StringComparison.Ordinal);
        text = text.Remove(syntaxStart, syntaxEnd - syntaxStart)
            .Replace("Parameter Sets: ByName", "Parameter Sets: (All)", StringComparison.Ordinal)
            .Replace("Parameter Sets: ByPath", "Parameter Sets: (All)", StringComparison.Ordinal)
            .Replace("Required: True\nPosition: 0\nDefault value: None\nAccept pipeline input: False", "Required: False\nPosition: 1\nDefault value: None\nAccept pipeline input: False", StringComparison.Ordinal);
        _docs.Write("Get-SbxItem.md", text);
        var (xml, ns) = BuildMaml();
        var items = xml.SelectNodes("//command:syntax/command:syntaxItem", ns)!.Cast<XmlNode>().ToList();
        Assert.Single(items);
        Assert.Equal(["Name", "Path", "Mode", "Force"], Texts(items[0], "command:parameter/maml:name", ns));
    }
}
