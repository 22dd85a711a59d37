namespace CodexSandbox.Engine.Audit;

/// <summary>The fields of a record that form the hash chain.</summary>
internal sealed record ChainLink(string Id, long Seq, string PreviousHash, string Hash);
