namespace CodexSandbox.Engine.Export.Syslog;

/// <summary>One RELP frame: transaction number, command (<c>rsp</c>, <c>serverclose</c>, …) and data.</summary>
internal readonly record struct RelpFrame(int Txnr, string Command, string Data);
