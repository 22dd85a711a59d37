using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace CodexSandbox.Internal;

/// <summary>
/// Registers the module's Should operators (CodexSandbox.Assertions.psm1) with every Pester that <c>Should</c> resolves
/// to, whichever of the two modules was imported first, and again after Pester is re-imported.
/// </summary>
/// <remarks>
/// Pester keeps its operators in its own module state and offers only Add-ShouldOperator, so a module imported before
/// Pester has nothing to register with; and PowerShell raises no event when a module is imported. Every call of
/// <c>Should</c> does pass through command lookup, whose PostCommandLookupAction sees the resolved command before its
/// parameters (Pester's operators are dynamic parameters) are bound. The handler returns after one string comparison
/// for every other command, and registers at most once per Pester module instance.
/// Public only so the module's script can install it.
/// </remarks>
public sealed class PesterOperatorHook
{
    private const string ShouldCommand = "Should";
    private const string PesterModule = "Pester";

    private readonly CommandInvocationIntrinsics _commands;
    private readonly ScriptBlock _register;
    private readonly EventHandler<CommandLookupEventArgs> _handler;
    // The Pester module instances already served; a removed Pester is not kept alive by this table.
    private readonly ConditionalWeakTable<PSModuleInfo, object> _registered = new();
    private static readonly object s_served = new();

    private PesterOperatorHook(CommandInvocationIntrinsics commands, ScriptBlock register)
    {
        _commands = commands;
        _register = register;
        _handler = OnLookup;
    }

    /// <summary>
    /// Watches command lookups in this session; <paramref name="register"/> is called with a Pester module's
    /// PSModuleInfo the first time <c>Should</c> resolves into it.
    /// </summary>
    public static PesterOperatorHook Install(CommandInvocationIntrinsics commands, ScriptBlock register)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(register);
        var hook = new PesterOperatorHook(commands, register);
        // Combined, not assigned: another module's or the user's handler keeps running.
        commands.PostCommandLookupAction += hook._handler;
        return hook;
    }

    /// <summary>Stops watching (the module is being removed). Operators already registered stay with their Pester.</summary>
    public void Uninstall() => _commands.PostCommandLookupAction -= _handler;

    /// <summary>Registers the operators with <paramref name="pester"/> unless that module instance already has them.</summary>
    public void Register(PSModuleInfo pester)
    {
        ArgumentNullException.ThrowIfNull(pester);
        // Marked first: the registration itself looks up commands, and a failure is not retried on every Should.
        if (_registered.TryGetValue(pester, out _)) return;
        _registered.AddOrUpdate(pester, s_served);
        _register.Invoke(pester);
    }

    private void OnLookup(object? sender, CommandLookupEventArgs e)
    {
        if (e.CommandName is not { } name || !name.EndsWith(ShouldCommand, StringComparison.OrdinalIgnoreCase)) return;
        if (e.Command is not FunctionInfo { Module: { } module } function
            || !string.Equals(function.Name, ShouldCommand, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(module.Name, PesterModule, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        try
        {
            Register(module);
        }
        catch (RuntimeException)
        {
            // The registration script reports its own problems as warnings; a lookup must never fail because of it.
        }
    }
}
