using CodexSandbox.Engine.Audit;
using CsCheck;

namespace CodexSandbox.Engine.Tests.Audit;

public class AuditLinesTests
{
    // Lines of random length (some longer than the 64 KB backward chunk), with or without a final newline.
    private static readonly Gen<(int[] Lengths, bool Terminated)> Layouts =
        Gen.Select(Gen.Int[0, 140_000].Array[0, 12], Gen.Bool);

    [Fact]
    public void ForwardAndBackwardAgreeWithASimpleSplit()
    {
        Layouts.Sample(layout =>
        {
            var (lengths, terminated) = layout;
            var path = Path.GetTempFileName();
            try
            {
                var content = new List<byte>();
                var random = new Random(lengths.Length);
                for (var i = 0; i < lengths.Length; i++)
                {
                    for (var j = 0; j < lengths[i]; j++) content.Add((byte)random.Next('a', 'z' + 1));
                    if (i < lengths.Length - 1 || terminated) content.Add((byte)'\n');
                }
                File.WriteAllBytes(path, content.ToArray());
                var expected = Split(content.ToArray());
                using var handle = File.OpenHandle(path);
                var forward = AuditLines.Forward(handle, content.Count).Select(l => (l.Offset, Text(l), l.Terminated)).Where(l => l.Item2.Length > 0).ToList();
                var backward = AuditLines.Backward(handle, content.Count).Select(l => (l.Offset, Text(l), l.Terminated)).Where(l => l.Item2.Length > 0).Reverse().ToList();
                Assert.Equal(expected, forward);
                Assert.Equal(expected, backward);
                Assert.Equal(content.Count(b => b == '\n'), AuditLines.CountNewlines(handle, content.Count));
            }
            finally { File.Delete(path); }
        }, iter: 40);
    }

    private static string Text(AuditLine line) => System.Text.Encoding.ASCII.GetString(line.Bytes.Span);

    private static List<(long, string, bool)> Split(byte[] content)
    {
        var result = new List<(long, string, bool)>();
        long start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != '\n') continue;
            if (i > start) result.Add((start, System.Text.Encoding.ASCII.GetString(content, (int)start, (int)(i - start)), true));
            start = i + 1;
        }
        if (start < content.Length) result.Add((start, System.Text.Encoding.ASCII.GetString(content, (int)start, (int)(content.Length - start)), false));
        return result;
    }
}
