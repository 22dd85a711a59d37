using CodexSandbox.Engine.Configuration;
using Tomlyn.Model;

namespace CodexSandbox.Engine.Tests.Configuration;

public class ConfigFileTests
{
    [Fact]
    public void SyntaxErrorReportsOneBasedLineAndColumn()
    {
        var file = ConfigFile.Parse("/x/config.toml", "a = 1\nb = = 2\n");
        var error = Assert.Single(file.SyntaxErrors);
        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Equal("SyntaxError", error.Id);
        Assert.Empty(file.Root);
    }

    [Fact]
    public void LocatesNestedKeys()
    {
        var file = ConfigFile.Parse("/x/config.toml", "model = \"x\"\n\n[sandbox_workspace_write]\n  network_access = true\n");
        var table = (TomlTable)file.Root["sandbox_workspace_write"];
        Assert.Equal((4, 3), file.Locate(table, "network_access"));
        Assert.Equal((0, 0), file.Locate(table, "missing"));
    }
}
