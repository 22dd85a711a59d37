using System.Management.Automation;

namespace CodexSandbox.Internal;

/// <summary>Lets an enum parameter also take the config file's spelling: <c>read-only</c>, <c>on-request</c>, <c>danger-full-access</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigSpellingAttribute(Type enumType) : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is string text && text.Contains('-', StringComparison.Ordinal))
        {
            var squashed = text.Replace("-", "", StringComparison.Ordinal);
            if (Enum.TryParse(enumType, squashed, ignoreCase: true, out var parsed)) return parsed!;
        }
        return inputData;
    }
}
