using System.Text.RegularExpressions;
using CodexSandbox.Engine.Backends.MacOS;

namespace CodexSandbox.Engine.Tests.Backends;

public class SeatbeltGlobTests
{
    [Theory]
    [InlineData("/Users/a/.ssh", @"^/Users/a/\.ssh(/.*)?$")]
    [InlineData("/Users/a/*.pem", @"^/Users/a/[^/]*\.pem(/.*)?$")]
    [InlineData("/Users/a/**/*.pem", @"^/Users/a/(.*/)?[^/]*\.pem(/.*)?$")]
    [InlineData("/Users/a/**", @"^/Users/a/.*$")]
    [InlineData("/d/file?.txt", @"^/d/file[^/]\.txt(/.*)?$")]
    [InlineData("/d/[!ab]x", @"^/d/[^/ab]x(/.*)?$")]
    [InlineData("/d/[ab", @"^/d/\[ab(/.*)?$")]
    [InlineData("/d/a+b(c)|{x}$^", @"^/d/a\+b\(c\)\|\{x\}\$\^(/.*)?$")]
    public void Converts_globs(string glob, string regex) => Assert.Equal(regex, SeatbeltGlob.ToRegex(glob));

    [Theory]
    [InlineData("/Users/a/.ssh", new[] { "/Users/a/.ssh", "/Users/a/.ssh/id_rsa", "/Users/a/.ssh/k/x" }, new[] { "/Users/a/.sshx", "/Users/a/xssh", "/Users/a", "/Users/a/.ssh2/id" })]
    [InlineData("/Users/a/*.pem", new[] { "/Users/a/k.pem", "/Users/a/.pem", "/Users/a/k.pem/inner" }, new[] { "/Users/a/b/k.pem", "/Users/a/k.pemx", "/Users/a/kxpem" })]
    [InlineData("/Users/a/**/*.pem", new[] { "/Users/a/k.pem", "/Users/a/b/c/k.pem" }, new[] { "/Users/b/k.pem", "/Users/a/k.pe", "/Users/ak.pem" })]
    [InlineData("/Users/a/**", new[] { "/Users/a/", "/Users/a/x", "/Users/a/x/y" }, new[] { "/Users/a", "/Users/ab" })]
    [InlineData("/d/file?.txt", new[] { "/d/file1.txt", "/d/fileZ.txt" }, new[] { "/d/file.txt", "/d/file12.txt", "/d/file/.txt" })]
    [InlineData("/d/[!ab]x", new[] { "/d/cx", "/d/zx" }, new[] { "/d/ax", "/d/bx", "/d//x" })]
    [InlineData("/d/[a-c]x", new[] { "/d/ax", "/d/cx" }, new[] { "/d/dx", "/d/[a-c]x" })]
    [InlineData("/d/[]x]y", new[] { "/d/]y", "/d/xy" }, new[] { "/d/zy" })]
    [InlineData("/d/[ab", new[] { "/d/[ab", "/d/[ab/c" }, new[] { "/d/a", "/d/b" })]
    [InlineData("/d/a.b", new[] { "/d/a.b" }, new[] { "/d/axb" })]
    [InlineData("/d/a+b(c)", new[] { "/d/a+b(c)" }, new[] { "/d/aab", "/d/abc" })]
    [InlineData(@"/d/[\]x", new[] { @"/d/\x" }, new[] { "/d/]x", "/d/x" })]
    public void Regex_matches_the_paths_the_glob_means(string glob, string[] matching, string[] notMatching)
    {
        var regex = new Regex(SeatbeltGlob.ToRegex(glob), RegexOptions.CultureInvariant);
        Assert.All(matching, p => Assert.True(regex.IsMatch(p), $"{glob} should match {p}"));
        Assert.All(notMatching, p => Assert.False(regex.IsMatch(p), $"{glob} should not match {p}"));
    }

    [Fact]
    public void Refuses_characters_a_regex_literal_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => SeatbeltGlob.ToRegex("/d/a\"b"));
        Assert.Throws<ArgumentException>(() => SeatbeltGlob.ToRegex("/d/a\nb"));
    }

    [Theory]
    [InlineData("/tmp/secrets/*", "/private/tmp/secrets/*")]
    [InlineData("/var/**/*.key", "/private/var/**/*.key")]
    [InlineData("/Users/a/*.pem", "/Users/a/*.pem")]
    [InlineData("/etc/x", "/private/etc/x")]
    public void Canonicalizes_the_static_prefix(string glob, string expected) => Assert.Equal(expected, SeatbeltGlob.CanonicalizePrefix(glob));

    [Theory]
    [InlineData("/tmp", "/private/tmp")]
    [InlineData("/var/folders/x/", "/private/var/folders/x")]
    [InlineData("/a//b/./c/../d", "/a/b/d")]
    [InlineData("/tmpx", "/tmpx")]
    [InlineData("/private/tmp", "/private/tmp")]
    [InlineData("/", "/")]
    public void Canonicalizes_paths(string path, string expected) => Assert.Equal(expected, MacPath.Canonicalize(path));
}
