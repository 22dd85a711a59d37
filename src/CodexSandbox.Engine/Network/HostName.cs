using System.Net;
using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>Host name normalisation shared by patterns and requests, so both sides compare the same spelling.</summary>
public static class HostName
{
    /// <summary>
    /// Lower-cases, drops one trailing dot and IPv6 brackets. Returns null for anything that is neither a strict IP literal
    /// nor a plain ASCII DNS name (empty labels, odd characters, numeric forms such as <c>2130706433</c> or <c>0x7f.1</c>
    /// that resolvers would quietly turn into addresses).
    /// </summary>
    public static string? Normalize(string? host)
    {
        if (string.IsNullOrEmpty(host)) return null;
        if (host[0] == '[')
        {
            if (host.Length < 3 || host[^1] != ']') return null;
            var inner = host[1..^1];
            return TryParseIp(inner, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? Format(v6) : null;
        }
        if (TryParseIp(host, out var ip)) return Format(ip);
        var name = host.EndsWith('.') ? host[..^1] : host;
        name = name.ToLowerInvariant();
        return CheckName(name) is null ? name : null;
    }

    /// <summary>Strict IP literal: a dotted quad of decimal numbers, or an IPv6 address (no scope id).</summary>
    public static bool TryParseIp(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            if (text.Contains('%') || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = v6;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0')) return false;
            var v = 0;
            foreach (var c in p)
            {
                if (c is < '0' or > '9') return false;
                v = v * 10 + (c - '0');
            }
            if (v > 255) return false;
            bytes[i] = (byte)v;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>The canonical text of an address; IPv4-mapped IPv6 addresses become plain IPv4.</summary>
    public static string Format(IPAddress address) => Canonical(address).ToString();

    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Why a lower-case name without a trailing dot is not a usable DNS name, or null when it is.</summary>
    internal static string? CheckName(string name)
    {
        if (name.Length == 0) return "is empty";
        if (name.Length > 253) return "is longer than 253 characters";
        var labels = name.Split('.');
        foreach (var label in labels)
        {
            if (label.Length == 0) return "has an empty label";
            if (label.Length > 63) return $"has a label longer than 63 characters ('{label[..10]}…')";
            foreach (var c in label)
            {
                if (c > 127) return "is not ASCII (write internationalised names in their xn-- form)";
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
                    return $"contains '{c}'";
            }
            if (label[0] == '-' || label[^1] == '-') return $"has a label that starts or ends with '-' ('{label}')";
        }
        // Resolvers read 2130706433, 127.1 or 0x7f.0.0.1 as addresses; such names would slip past IP literal rules.
        if (labels[^1].All(char.IsAsciiDigit) || labels.All(IsNumericLabel))
            return "is a numeric address form that is not a dotted-quad IPv4 literal";
        return null;
    }

    private static bool IsNumericLabel(string label) =>
        label.All(char.IsAsciiDigit) || (label.Length > 2 && label.StartsWith("0x", StringComparison.Ordinal) && label[2..].All(char.IsAsciiHexDigit));
}
