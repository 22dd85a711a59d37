using BenchmarkDotNet.Running;

// `./build.ps1 Bench` runs every benchmark class in this assembly; pass --filter to pick some.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
