using System.Text.RegularExpressions;

namespace CodexSandbox.Engine.Audit;

/// <summary>
/// Replaces secrets in text that goes into the audit log with <c>[REDACTED]</c>.
/// Recognised: option values of secret-named options (<c>--password=x</c>, <c>--token x</c> in an argv,
/// <c>--api-key</c>, <c>--client-secret</c>, …); HTTP credential headers (<c>Authorization:</c>,
/// <c>Proxy-Authorization:</c>, <c>Cookie:</c>, <c>X-Api-Key:</c>, <c>X-Auth-Token:</c>); assignments to
/// secret-named variables (<c>DB_PASSWORD=x</c>); passwords in URLs (<c>https://u:pw@host</c>); and tokens
/// by shape: OpenAI <c>sk-…</c>, GitHub <c>ghp_/gho_/ghu_/ghs_/ghr_…</c> and <c>github_pat_…</c>, GitLab
/// <c>glpat-…</c>, AWS key ids <c>AKIA…</c>/<c>ASIA…</c>, Slack <c>xox[abprs]-…</c>, JWTs, PEM private keys.
/// MySQL-family clients (<c>mysql</c>, <c>mysqldump</c>, <c>mysqladmin</c>, <c>mariadb</c>) also get <c>-p&lt;pw&gt;</c>
/// redacted, and <c>sshpass -p pw</c>; a bare <c>-p</c> means other things elsewhere (<c>mkdir -p</c>), so it is left alone.
/// A value that is a shell expansion (<c>$TOKEN</c>, <c>${API_KEY:-&lt;not set&gt;}</c>, <c>"$PW"</c>, <c>$(cat key)</c>) names
/// where the secret comes from, not the secret, and is kept whole: cutting it leaves text that reads as neither
/// (<c>API_KEY=[REDACTED] set&gt;}</c>). A literal default inside <c>${NAME:-…}</c> is kept too, unless it has a token's shape.
/// The rules run in linear time on any text (a command's whole output, when record_output is on): an option or variable
/// name is recognised up to 128 characters on each side of its secret word, and a URL scheme up to 32.
/// </summary>
public static partial class SecretRedactor
{
    public const string Marker = "[REDACTED]";

    // Names that mark a value as secret (option names, variable names, environment names).
    private const string SecretWord = @"(?:password|passwd|passphrase|pwd|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credentials?|auth)";

    // A value: a whole ${…} or $(…) expansion when one ends it, else a quoted string or a run of other characters.
    private const string Value = @"(\$\{[^}]*\}(?=[\s""';|&)]|$)|\$\([^)]*\)(?=[\s""';|&]|$)|""[^""]*""|'[^']*'|[^\s""']+)";

    // Every run of name characters is bounded (NameRun): unbounded, a long unbroken line (a megabyte of dashes or
    // letters after one trigger word) made each rule try every start against the whole rest of the line, which is
    // quadratic: 64 KB took seconds and a megabyte many minutes, inside the run's audit append.
    private const string NameRun = "{0,128}";

    [GeneratedRegex(@"(?<![A-Za-z0-9-])(--?[A-Za-z0-9_-]" + NameRun + SecretWord + @"[A-Za-z0-9_-]" + NameRun + @"=)" + Value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptionAssignment();

    // The name may be the secret word itself (TOKEN=, PASSWORD=) or contain it (DB_PASSWORD=).
    [GeneratedRegex(@"(?<![A-Za-z0-9_-])((?:[A-Za-z_][A-Za-z0-9_]" + NameRun + ")?" + SecretWord + @"[A-Za-z0-9_]" + NameRun + "=)" + Value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VariableAssignment();

    [GeneratedRegex(@"((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|private-token)(\s*:\s*)([^\r\n""']+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialHeader();

    // A scheme starts where no scheme character precedes it, and is short.
    [GeneratedRegex(@"(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}://[^/\s:@]+:)([^/\s@]+)(@)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    // Only expansions: $NAME, $1, ${…}, $(…), each possibly in double quotes; a header value may start with its scheme.
    [GeneratedRegex(@"^(?:[A-Za-z]+[ \t]+)?""?(?:\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?!$-]|\{[^}]*\}|\([^)]*\)))+""?[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpansionOnly();

    /// <summary>True when a value is only shell expansions: where a secret comes from, not the secret.</summary>
    private static bool IsExpansion(string value) => value.Contains('$') && ExpansionOnly().IsMatch(value);

    [GeneratedRegex(
        @"\bsk-[A-Za-z0-9_-]{16,}" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|\bgithub_pat_[A-Za-z0-9_]{22,}" +
        @"|\bglpat-[A-Za-z0-9_-]{20,}" +
        @"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b" +
        @"|\bxox[abprs]-[A-Za-z0-9-]{10,}" +
        @"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+" +
        @"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
        RegexOptions.CultureInvariant)]
    private static partial Regex TokenShape();

    [GeneratedRegex(@"^--?[A-Za-z0-9_-]*" + SecretWord + @"[A-Za-z0-9_-]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretOptionName();

    [GeneratedRegex(SecretWord, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    private static readonly HashSet<string> MySqlClients = new(StringComparer.Ordinal)
    {
        "mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck", "mysqlpump", "mariadb", "mariadb-dump", "mariadb-admin",
    };

    // Every rule needs one of these substrings; text without any (most argv elements) skips the rules. One
    // alternation of literals compiles to a vectorised search, far cheaper than the rules themselves.
    [GeneratedRegex("pass|pwd|secret|token|key|auth|cred|cookie|sk-|gh|xox|eyj|akia|asia|begin|glpat|://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trigger();

    private static bool MayContainSecret(string text) => Trigger().IsMatch(text);

    /// <summary>Redacts every recognised secret in free text (a command line, an argv element, a header, output).</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || !MayContainSecret(text)) return text;
        var result = TokenShape().Replace(text, Marker);
        result = CredentialHeader().Replace(result, m => IsExpansion(m.Groups[3].Value) ? m.Value : m.Groups[1].Value + m.Groups[2].Value + Marker);
        result = OptionAssignment().Replace(result, m => IsExpansion(m.Groups[2].Value) ? m.Value : m.Groups[1].Value + Marker);
        result = VariableAssignment().Replace(result, m => IsExpansion(m.Groups[2].Value) ? m.Value : m.Groups[1].Value + Marker);
        result = UrlPassword().Replace(result, m => IsExpansion(m.Groups[2].Value) ? m.Value : m.Groups[1].Value + Marker + m.Groups[3].Value);
        return result;
    }

    /// <summary>
    /// Redacts an argv: each element as <see cref="Redact(string)"/>, plus the element after a secret-named
    /// option (<c>--token x</c>, <c>-H "Authorization: …"</c> is caught by the header rule) and program-specific forms.
    /// </summary>
    public static IReadOnlyList<string> RedactArgv(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0) return Array.Empty<string>();
        var program = Path.GetFileName(argv[0]);
        var mysql = MySqlClients.Contains(program);
        var sshpass = program == "sshpass";
        var result = new string[argv.Count];
        var redactNext = false;
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i] ?? "";
            if (redactNext)
            {
                result[i] = IsExpansion(arg) ? arg : Marker;
                redactNext = false;
                continue;
            }
            if (i > 0 && arg.StartsWith('-') && MayContainSecret(arg) && SecretOptionName().IsMatch(arg))
            {
                result[i] = arg;
                redactNext = true;
                continue;
            }
            if (i > 0 && mysql && arg.Length > 2 && arg.StartsWith("-p", StringComparison.Ordinal) && !arg.StartsWith("--", StringComparison.Ordinal))
            {
                result[i] = "-p" + Marker;
                continue;
            }
            if (i > 0 && sshpass && arg == "-p")
            {
                result[i] = arg;
                redactNext = true;
                continue;
            }
            if (i > 0 && sshpass && arg.Length > 2 && arg.StartsWith("-p", StringComparison.Ordinal))
            {
                result[i] = "-p" + Marker;
                continue;
            }
            result[i] = Redact(arg);
        }
        return result;
    }

    /// <summary>True when an environment variable's name says its value is a secret (<c>*KEY*</c>, <c>*TOKEN*</c>, <c>*PASSWORD*</c>, …).</summary>
    public static bool IsSecretName(string name) =>
        SecretName().IsMatch(name) || name.Contains("KEY", StringComparison.OrdinalIgnoreCase);

    /// <summary>Redacts an environment block: values of secret-named variables entirely, other names and values by shape.</summary>
    public static IReadOnlyDictionary<string, string> RedactEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            var safeName = Redact(name);
            result[safeName] = IsSecretName(name) ? Marker : Redact(value ?? "");
        }
        return result;
    }
}
