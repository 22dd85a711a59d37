using System.Net;
using System.Net.Sockets;

namespace CodexSandbox.Engine.Network;

/// <summary>Sorts addresses into public and the non-public ranges a proxied host must not reach by default.</summary>
public static class AddressClassifier
{
    public const string Metadata = "metadata";

    private static readonly IPAddress Ec2MetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>
    /// Null for a public address; otherwise the range: <c>metadata</c>, <c>loopback</c>, <c>unspecified</c>, <c>private</c>,
    /// <c>link-local</c>, <c>cgnat</c>, <c>unique-local</c>, <c>multicast</c>, <c>reserved</c>. IPv6 forms that embed an IPv4
    /// address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded address.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return ClassifyV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return "reserved";

        var b = address.GetAddressBytes();
        if (address.Equals(Ec2MetadataV6)) return Metadata;
        if (address.Equals(IPAddress.IPv6Loopback)) return "loopback";
        if (address.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (address.IsIPv4MappedToIPv6) return ClassifyV4(b.AsSpan(12, 4));
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return ClassifyV4(b.AsSpan(12, 4)) ?? "reserved"; // ::a.b.c.d (deprecated)
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return ClassifyV4(b.AsSpan(12, 4));
        if (b[0] == 0x20 && b[1] == 0x02) return ClassifyV4(b.AsSpan(2, 4));
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "unique-local"; // deprecated site-local fec0::/10
        if ((b[0] & 0xfe) == 0xfc) return "unique-local";
        if (b[0] == 0xff) return "multicast";
        return null;
    }

    private static string? ClassifyV4(ReadOnlySpan<byte> b)
    {
        if (b[0] == 169 && b[1] == 254 && b[2] == 169 && b[3] == 254) return Metadata;
        if (b[0] == 100 && b[1] == 100 && b[2] == 100 && b[3] == 200) return Metadata; // Alibaba Cloud
        if (b[0] == 127) return "loopback";
        if (b[0] == 0) return "unspecified";
        if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168)) return "private";
        if (b[0] == 169 && b[1] == 254) return "link-local";
        if (b[0] == 100 && (b[1] & 0xc0) == 64) return "cgnat";
        if (b[0] >= 224 && b[0] <= 239) return "multicast";
        if (b[0] >= 240) return "reserved";
        if (b[0] == 192 && b[1] == 0 && b[2] == 0) return "reserved"; // IETF protocol assignments
        if (b[0] == 198 && (b[1] & 0xfe) == 18) return "reserved"; // benchmarking 198.18.0.0/15
        return null;
    }
}
