namespace CodexSandbox.HelpBuilder;

internal static class Program
{
    private static int Main(string[] args) => HelpBuilderCli.Run(args, Console.Out, Console.Error);
}
