using CodexSandbox;
using CodexSandbox.Engine.Audit;

// Usage: CodexSandbox.AuditWriter.Tool <log path> <threads> <records per thread> <tag> [max file bytes]
// Waits for a line on stdin before writing, so the test can start every process first and release them together.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: <log path> <threads> <records per thread> <tag> [max file bytes]");
    return 2;
}
var path = args[0];
var threads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var perThread = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var tag = args[3];
long? maxBytes = args.Length > 4 ? long.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : null;
var log = new AuditLog(new AuditSettings { Path = path, RetentionDays = 0 }, maxBytes);
Console.Out.WriteLine("ready");
Console.Out.Flush();
Console.In.ReadLine();
var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
{
    for (var i = 0; i < perThread; i++)
        log.Append(new AuditEntry
        {
            EventType = AuditEventType.CommandExecuted,
            Argv = ["/bin/echo", tag, t.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ExitCode = 0,
        });
})).ToList();
workers.ForEach(w => w.Start());
workers.ForEach(w => w.Join());
return 0;
