using CodexSandbox.Engine.Configuration;

namespace CodexSandbox.Engine.Tests;

public class ConfigFileTests
{
    [Fact]
    public void SyntaxErrorReportsOneBasedLineAndColumn()
    {
        var file = ConfigFile.Parse("/x/config.toml", "a = 1\nb = = 2\n");
        var error = Assert.Single(file.SyntaxErrors);
        Assert.Equal(2, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Equal("SyntaxError", error.Id);
    }
}
