using CodexSandbox.Engine.Audit;

namespace CodexSandbox.Engine.Tests.Audit;

public class SecretRedactorTests
{
    [Theory]
    [InlineData("--password=hunter2", "--password=[REDACTED]")]
    [InlineData("--db-password=hunter2", "--db-password=[REDACTED]")]
    [InlineData("--token=abc123", "--token=[REDACTED]")]
    [InlineData("--api-key=abc", "--api-key=[REDACTED]")]
    [InlineData("Authorization: Bearer abc.def", "Authorization: [REDACTED]")]
    [InlineData("proxy-authorization: Basic dXNlcjpwdw==", "proxy-authorization: [REDACTED]")]
    [InlineData("curl -H 'Authorization: token xyz' https://x", "curl -H 'Authorization: [REDACTED]' https://x")]
    [InlineData("use sk-proj-abcdefghijklmnop1234 now", "use [REDACTED] now")]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345", "[REDACTED]")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[REDACTED]")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "[REDACTED]")]
    [InlineData("xoxb-1234567890-abcdefghij", "[REDACTED]")]
    [InlineData("DB_PASSWORD=hunter2 ./run", "DB_PASSWORD=[REDACTED] ./run")]
    [InlineData("PASSWORD=hunter2 TOKEN='a b' ./run", "PASSWORD=[REDACTED] TOKEN=[REDACTED] ./run")]
    [InlineData("git clone https://bob:s3cret@example.com/r.git", "git clone https://bob:[REDACTED]@example.com/r.git")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF_123", "[REDACTED]")]
    public void RedactsSecretsInText(string input, string expected) => Assert.Equal(expected, SecretRedactor.Redact(input));

    // A megabyte on one line, after a word that wakes the rules: quadratic rules took seconds for 64 KB and many
    // minutes for this, inside a run's audit append. Linear ones take milliseconds; the bound only catches a relapse.
    [Theory]
    [InlineData("key ", "a")]
    [InlineData("password ", "-")]
    [InlineData("http ", "a")]
    [InlineData("token=", "_")]
    [InlineData("https://", "a")]
    [InlineData("auth ", "a.")]
    public void RedactsAMegabyteLineInLinearTime(string trigger, string unit)
    {
        var text = trigger + string.Concat(Enumerable.Repeat(unit, 1 << 20 / unit.Length)) + " DB_PASSWORD=hunter2";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = SecretRedactor.Redact(text);
        clock.Stop();
        Assert.EndsWith(" DB_PASSWORD=[REDACTED]", result, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"redacting 1 MB took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("a_long_but_plausible_variable_name_for_the_service_database_admin_PASSWORD=x", "a_long_but_plausible_variable_name_for_the_service_database_admin_PASSWORD=[REDACTED]")]
    [InlineData("--a-long-but-plausible-option-name-for-the-service-database-admin-password=x", "--a-long-but-plausible-option-name-for-the-service-database-admin-password=[REDACTED]")]
    [InlineData("git+https://x-access-token:ghs_abc@github.com/o/r", "git+https://x-access-token:[REDACTED]@github.com/o/r")]
    public void StillRedactsLongNamesAndSchemes(string input, string expected) => Assert.Equal(expected, SecretRedactor.Redact(input));

    [Theory]
    [InlineData("ls -la /tmp")]
    [InlineData("git commit -m 'fix the token parser'")]
    [InlineData("mkdir -p /a/b")]
    [InlineData("grep -r password src/")]
    [InlineData("echo sk-short")]
    public void LeavesOrdinaryCommandsAlone(string input) => Assert.Equal(input, SecretRedactor.Redact(input));

    [Theory]
    [InlineData("echo \"Inside: DEMO_API_KEY=${DEMO_API_KEY:-<not set>}\"")]
    [InlineData("API_KEY=$API_KEY ./run")]
    [InlineData("DB_PASSWORD=\"${DB_PASSWORD}\" psql")]
    [InlineData("TOKEN=$(cat ~/.token) make")]
    [InlineData("tool --token=$GH_TOKEN --verbose")]
    [InlineData("curl -H \"Authorization: Bearer $TOKEN\" https://x")]
    [InlineData("git clone https://bob:$PASS@example.com/r.git")]
    public void KeepsShellExpansionsThatNameWhereASecretComesFrom(string input) => Assert.Equal(input, SecretRedactor.Redact(input));

    [Theory]
    [InlineData("PASSWORD=${PREFIX}hunter2 ./run", "PASSWORD=[REDACTED] ./run")]
    [InlineData("API_KEY=${API_KEY:-sk-proj-abcdefghijklmnop1234} ./run", "API_KEY=${API_KEY:-[REDACTED]} ./run")]
    [InlineData("curl -H 'Authorization: Bearer abc $TOKEN' https://x", "curl -H 'Authorization: [REDACTED]' https://x")]
    public void RedactsLiteralsBesideExpansions(string input, string expected) => Assert.Equal(expected, SecretRedactor.Redact(input));

    [Fact]
    public void RedactsTheValueAfterASecretOption()
    {
        Assert.Equal(["gh", "auth", "login", "--with-token", "[REDACTED]"], SecretRedactor.RedactArgv(["gh", "auth", "login", "--with-token", "abc"]));
        Assert.Equal(["tool", "--token", "[REDACTED]", "--verbose"], SecretRedactor.RedactArgv(["tool", "--token", "abc", "--verbose"]));
        Assert.Equal(["tool", "--password", "[REDACTED]"], SecretRedactor.RedactArgv(["tool", "--password", "x y"]));
        Assert.Equal(["tool", "--token", "$GH_TOKEN"], SecretRedactor.RedactArgv(["tool", "--token", "$GH_TOKEN"]));
    }

    [Fact]
    public void MySqlShortPasswordFormIsRedactedOnlyForMySqlClients()
    {
        Assert.Equal(["/usr/bin/mysql", "-u", "root", "-p[REDACTED]", "db"], SecretRedactor.RedactArgv(["/usr/bin/mysql", "-u", "root", "-phunter2", "db"]));
        Assert.Equal(["mysqldump", "-p", "db"], SecretRedactor.RedactArgv(["mysqldump", "-p", "db"])); // prompts; nothing to hide
        Assert.Equal(["mkdir", "-pv", "x"], SecretRedactor.RedactArgv(["mkdir", "-pv", "x"]));
        Assert.Equal(["sshpass", "-p", "[REDACTED]", "ssh", "host"], SecretRedactor.RedactArgv(["sshpass", "-p", "pw", "ssh", "host"]));
    }

    [Fact]
    public void EnvironmentValuesOfSecretNamesAreRedactedAndOthersByShape()
    {
        var env = SecretRedactor.RedactEnvironment(new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "whatever",
            ["GITHUB_TOKEN"] = "x",
            ["MY_PASSWORD"] = "x",
            ["PATH"] = "/usr/bin",
            ["NOTE"] = "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        });
        Assert.Equal("[REDACTED]", env["OPENAI_API_KEY"]);
        Assert.Equal("[REDACTED]", env["GITHUB_TOKEN"]);
        Assert.Equal("[REDACTED]", env["MY_PASSWORD"]);
        Assert.Equal("/usr/bin", env["PATH"]);
        Assert.Equal("[REDACTED]", env["NOTE"]);
    }

    [Fact]
    public void TheLogNeverContainsTheSecret()
    {
        using var log = new AuditTestLog();
        log.Log.Append(new AuditEntry
        {
            EventType = AuditEventType.CommandExecuted,
            Argv = ["curl", "-H", "Authorization: Bearer s3cr3tvalue", "--token", "t0kenvalue", "https://u:pa55word@h/"],
            Environment = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = "awsSecretValue", ["X"] = "AKIAIOSFODNN7EXAMPLE" },
            Reason = "ran with sk-abcdefghijklmnopqrstuvwxyz",
        });
        var text = File.ReadAllText(log.LogPath);
        foreach (var secret in new[] { "s3cr3tvalue", "t0kenvalue", "pa55word", "awsSecretValue", "AKIAIOSFODNN7EXAMPLE", "sk-abcdefghijklmnopqrstuvwxyz" })
            Assert.DoesNotContain(secret, text);
        var record = Assert.Single(log.All());
        Assert.Equal("[REDACTED]", record.Argv[4]);
        Assert.Contains("[REDACTED]", record.Command);
        Assert.Equal("[REDACTED]", record.Environment!["AWS_SECRET_ACCESS_KEY"]);
    }
}
