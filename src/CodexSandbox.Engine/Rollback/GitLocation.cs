namespace CodexSandbox.Engine.Rollback;

/// <summary>Where a root sits in a git work tree.</summary>
/// <param name="Top">The top of the work tree.</param>
/// <param name="Prefix">The root relative to <paramref name="Top"/> ("" or ending in '/').</param>
/// <param name="IndexPath">The user's index file (its stat cache makes hashing the tree fast).</param>
/// <param name="ObjectDirectory">The user's object folder, read (never written) while a checkpoint is taken.</param>
/// <param name="ObjectFormat"><c>sha1</c> or <c>sha256</c>.</param>
internal sealed record GitLocation(string Top, string Prefix, string IndexPath, string ObjectDirectory, string ObjectFormat);
