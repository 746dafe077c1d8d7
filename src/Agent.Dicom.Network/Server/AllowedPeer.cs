using System.Net;
using System.Net.Sockets;

namespace Agent.Dicom.Network.Server;

/// <summary>An allow-list entry: a calling AE title ("*" for any) and a source network in CIDR form.</summary>
public sealed record AllowedPeer(string CallingAeTitle, IpNetwork Network)
{
    public static AllowedPeer Parse(string callingAeTitle, string cidr) => new(callingAeTitle, IpNetwork.Parse(cidr));

    public bool MatchesAddress(IPAddress address) => Network.Contains(address);

    public bool MatchesAeTitle(string callingAeTitle) => CallingAeTitle == "*" || string.Equals(CallingAeTitle, callingAeTitle, StringComparison.Ordinal);
}

/// <summary>A CIDR network ("10.0.0.0/8", "::1/128", or a single address); IPv4-mapped IPv6 addresses match their IPv4 form.</summary>
public sealed record IpNetwork(IPAddress Address, int PrefixLength)
{
    public static IpNetwork Parse(string cidr)
    {
        var parts = cidr.Trim().Split('/');
        if (!IPAddress.TryParse(parts[0], out var address)) throw new FormatException($"'{cidr}' is not an IP address or CIDR network");
        address = Normalize(address);
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = max;
        if (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix < 0 || prefix > max))
            throw new FormatException($"'{cidr}' has an invalid prefix length (0-{max})");
        if (parts.Length > 2) throw new FormatException($"'{cidr}' is not a CIDR network");
        return new IpNetwork(address, prefix);
    }

    public bool Contains(IPAddress candidate)
    {
        candidate = Normalize(candidate);
        if (candidate.AddressFamily != Address.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        Address.TryWriteBytes(a, out var len);
        candidate.TryWriteBytes(b, out _);
        int bits = PrefixLength;
        for (int i = 0; i < len && bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask)) return false;
        }
        return true;
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    public override string ToString() => $"{Address}/{PrefixLength}";
}
