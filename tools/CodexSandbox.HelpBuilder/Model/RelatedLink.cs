namespace CodexSandbox.HelpBuilder.Model;

/// <summary>A RELATED LINKS entry; <see cref="Uri"/> is empty for relative (.md) targets, as platyPS v1 does.</summary>
internal sealed record RelatedLink(string Text, string Uri);
