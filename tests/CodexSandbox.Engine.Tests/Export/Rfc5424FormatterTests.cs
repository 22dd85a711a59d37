using System.Text;
using CodexSandbox.Engine.Export;
using CodexSandbox.Engine.Export.Syslog;

namespace CodexSandbox.Engine.Tests.Export;

public sealed class Rfc5424FormatterTests
{
    private static readonly SyslogSinkSettings Sink = new() { Source = PolicySource.User, File = "", Transport = SyslogTransport.Tcp, Host = "h", Port = 1 };

    [Fact]
    public void A_record_is_one_rfc5424_message_with_its_fields_as_escaped_structured_data()
    {
        var record = new AuditRecord
        {
            Id = "abc", Seq = 42, Time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), EventType = AuditEventType.CommandBlocked,
            Decision = "Forbidden", DecisionSource = "Rule", Command = "echo \"a]b\\c\"", Host = "build 7", ProcessId = 99, Hash = new string('1', 64),
            PreviousHash = new string('0', 64), Details = new Dictionary<string, string> { ["bad key"] = "dropped", ["checkpoint"] = "c1" },
        };
        var text = Encoding.UTF8.GetString(Rfc5424Formatter.Format(record, Sink));
        // authpriv (10) * 8 + warning (4): a blocked command.
        Assert.StartsWith("<84>1 2026-12-01T10:00:00.123456Z build7 codex-sandbox 99 CommandBlocked [codexSandbox@32473 seq=\"42\" id=\"abc\"", text);
        Assert.Contains(" event=\"codex.tool_decision\" ", text);
        Assert.Contains(" command=\"echo \\\"a\\]b\\\\c\\\"\"", text);
        Assert.Contains(" detail.checkpoint=\"c1\"", text);
        Assert.DoesNotContain("dropped", text);
        Assert.EndsWith("] CommandBlocked Forbidden by Rule: echo \"a]b\\c\"", text);
    }
}
