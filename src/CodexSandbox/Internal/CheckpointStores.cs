using CodexSandbox.Engine.Configuration;
using CodexSandbox.Engine.Rollback;

namespace CodexSandbox.Internal;

/// <summary>Where checkpoints live: <c>$CODEX_HOME/checkpoints</c>.</summary>
internal static class CheckpointStores
{
    public static string Directory() =>
        CheckpointStore.DefaultDirectory(ConfigRequest.FromEnvironment(System.Environment.CurrentDirectory).CodexHome);
}
