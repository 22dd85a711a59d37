using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CodexSandbox.Engine.Execution;

/// <summary>Starts a process, captures its streams apart, and kills its whole tree on timeout or cancellation.</summary>
public static class ProcessRunner
{
    /// <param name="onLine">Called for each complete output line as it arrives (from a reader thread); null to only capture.</param>
    public static ProcessOutcome Run(ProcessSpec spec, Action<OutputLine>? onLine, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(spec.Program)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in spec.Arguments) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in spec.Environment) psi.Environment[k] = v;

        var start = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.Start();
        // The child reads end-of-file at once: a sandboxed command never waits on the caller's terminal.
        process.StandardInput.Close();

        var stdout = new StreamCapture(process.StandardOutput.BaseStream, spec.OutputMaxBytes, isError: false, onLine);
        var stderr = new StreamCapture(process.StandardError.BaseStream, spec.OutputMaxBytes, isError: true, onLine);
        var readers = new[] { stdout.Start(), stderr.Start() };

        bool timedOut = false, cancelled = false;
        using var timeoutSource = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeoutSource.Token);
        try
        {
            process.WaitForExitAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            timedOut = timeoutSource.IsCancellationRequested && !cancel.IsCancellationRequested;
            cancelled = !timedOut;
            KillTree(process);
            process.WaitForExit();
        }
        // Grandchildren may still hold the pipes; give the readers a moment, then stop waiting for them.
        if (!Task.WaitAll(readers, TimeSpan.FromSeconds(2)))
        {
            KillTree(process);
            Task.WaitAll(readers, TimeSpan.FromSeconds(2));
        }
        clock.Stop();

        return new ProcessOutcome
        {
            ExitCode = timedOut ? ProcessOutcome.TimeoutExitCode : process.ExitCode,
            TimedOut = timedOut,
            Cancelled = cancelled,
            Stdout = stdout.Text,
            Stderr = stderr.Text,
            StdoutBytes = stdout.TotalBytes,
            StderrBytes = stderr.TotalBytes,
            StdoutTruncated = stdout.Truncated,
            StderrTruncated = stderr.Truncated,
            StartTime = start,
            Duration = clock.Elapsed,
        };
    }

    private static void KillTree(Process process)
    {
        // The launcher calls setsid, so the child leads its own process group: signal the group first
        // (this reaches descendants that were re-parented), then walk whatever tree .NET can still see.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try { _ = Kill(-process.Id, 9); } catch (EntryPointNotFoundException) { }
        }
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Reads one stream as raw bytes: keeps up to the cap, counts everything, decodes UTF-8 with replacement.</summary>
    private sealed class StreamCapture(Stream stream, long cap, bool isError, Action<OutputLine>? onLine)
    {
        private readonly MemoryStream _kept = new();
        private readonly Decoder _lineDecoder = new UTF8Encoding(false, false).GetDecoder();
        private readonly StringBuilder _line = new();

        public long TotalBytes { get; private set; }
        public bool Truncated { get; private set; }
        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

        public Task Start() => Task.Factory.StartNew(Pump, TaskCreationOptions.LongRunning);

        private void Pump()
        {
            var buffer = new byte[16 * 1024];
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            int n;
            try
            {
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    TotalBytes += n;
                    var room = (int)Math.Max(0, Math.Min(n, cap - _kept.Length));
                    if (room > 0) _kept.Write(buffer, 0, room);
                    if (room < n) Truncated = true;
                    if (onLine is not null) EmitLines(chars, _lineDecoder.GetChars(buffer, 0, n, chars, 0));
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
            if (onLine is not null && _line.Length > 0) onLine(new OutputLine(isError, _line.ToString()));
        }

        private void EmitLines(char[] chars, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
                    onLine!(new OutputLine(isError, _line.ToString()));
                    _line.Clear();
                }
                else if (_line.Length < 1 << 20) _line.Append(chars[i]);
            }
        }
    }
}
