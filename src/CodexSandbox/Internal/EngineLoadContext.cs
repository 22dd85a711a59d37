using System.Reflection;
using System.Runtime.Loader;

namespace CodexSandbox.Internal;

/// <summary>Resolves assemblies that sit in the module's Dependencies folder; anything else (PowerShell, the runtime, Contracts) unifies with the default context.</summary>
internal sealed class EngineLoadContext(string directory) : AssemblyLoadContext("CodexSandbox.Engine")
{
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
