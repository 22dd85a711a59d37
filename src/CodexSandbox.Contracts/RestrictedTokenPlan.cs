namespace CodexSandbox;

/// <summary>
/// The token the command runs with: <c>CreateRestrictedToken(DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED)</c>.
/// WRITE_RESTRICTED means every write is checked a second time against the restricting SIDs only, so the
/// command can write where the capability SID (or the logon session, or Everyone) has been granted write.
/// </summary>
public sealed class RestrictedTokenPlan(string capabilitySid)
{
    public const uint DisableMaxPrivilege = 0x1;
    public const uint LuaToken = 0x4;
    public const uint WriteRestricted = 0x8;
    public const string EveryoneSid = "S-1-1-0";

    public uint Flags => DisableMaxPrivilege | LuaToken | WriteRestricted;
    public string CapabilitySid { get; } = capabilitySid;

    /// <summary>In order: the capability SID, the caller's logon SID (read from its token at launch), Everyone.</summary>
    public IReadOnlyList<string> RestrictingSids => [CapabilitySid, "logon SID of the calling session", EveryoneSid];

    public override string ToString() =>
        $"Restricted token: DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED; restricting SIDs {CapabilitySid}, the logon SID, Everyone (S-1-1-0); only SeChangeNotifyPrivilege stays";
}
