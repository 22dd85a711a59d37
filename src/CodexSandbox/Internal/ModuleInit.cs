using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace CodexSandbox.Internal;

/// <summary>
/// Loads the engine (and Tomlyn) into their own load context, so another module's Tomlyn in the session cannot
/// clash with ours: the "bridge" pattern of powershell-conventions.md §2.4.
/// </summary>
public sealed class ModuleInit : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string s_dependencies =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location)!, "Dependencies");

    private static readonly EngineLoadContext s_context = new(s_dependencies);

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += Resolve;
        // Audit export catches up on records left over from an outage, on a pool thread: the import itself does not
        // even load the engine for it, and nothing is read when no exporter is configured.
        var workingDirectory = System.Environment.CurrentDirectory;
        ThreadPool.QueueUserWorkItem(_ => StartExport(workingDirectory));
    }

    // A separate method, so the engine is resolved on the pool thread, after the handler above is in place.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void StartExport(string workingDirectory) => Engine.Export.AuditExport.CatchUpAtImport(workingDirectory);

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The audit log keeps its file open between runs; Remove-Module lets go of it. An engine that never loaded has nothing open.
        if (s_context.Assemblies.Any(a => a.GetName().Name == "CodexSandbox.Engine")) CloseAuditLogs();
        AssemblyLoadContext.Default.Resolving -= Resolve;
    }

    // Separate and not inlined, so OnRemove itself does not need the engine loaded to compile.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CloseAuditLogs() => Engine.Audit.AuditLog.CloseShared();

    // Only the engine is answered here; everything the engine needs is found by its own context.
    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "CodexSandbox.Engine" ? s_context.LoadFromAssemblyName(name) : null;
}
