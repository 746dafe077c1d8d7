using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Agent.Dicom;

/// <summary>
/// Creates UIDs that pass <see cref="DicomUid.IsValid(ReadOnlySpan{char})"/>. Without a registered root, the 2.25 arc
/// turns a UUID into a UID (ISO/IEC 9834-8, PS3.5 B.2).
/// </summary>
public static class DicomUidGenerator
{
    // Below this many random digits (~66 bits) collisions stop being negligible across a site's lifetime.
    private const int MinimumSuffixDigits = 20;
    private const int MaximumSuffixDigits = 39;

    /// <summary>A new random UID: "2.25." followed by a random (version 4) UUID as an unsigned decimal, at most 44 characters.</summary>
    public static string Create() => FromGuid(Guid.NewGuid());

    /// <summary>The 2.25 form of a given UUID.</summary>
    public static string FromGuid(Guid guid) =>
        "2.25." + new BigInteger(guid.ToByteArray(bigEndian: true), isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The same UID for the same name every time: "2.25." + the first 128 bits of SHA-256(name). Lets a retried job
    /// re-create identical instance UIDs (idempotent sends) without storing them.
    /// </summary>
    public static string CreateFromName(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return "2.25." + new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Root (an organisation's registered prefix) + "." + a random suffix of as many digits as fit (up to 39, at least 20).
    /// </summary>
    /// <exception cref="ArgumentException">The root is not a valid UID or leaves no room for a 20-digit suffix.</exception>
    public static string CreateFromRoot(string root)
    {
        root = root.Trim().TrimEnd('.');
        var problem = DicomUid.Problem(root);
        if (problem is not null) throw new ArgumentException($"invalid UID root: {problem}", nameof(root));
        var digits = Math.Min(MaximumSuffixDigits, DicomUid.MaxLength - root.Length - 1);
        if (digits < MinimumSuffixDigits)
            throw new ArgumentException($"UID root '{root}' is {root.Length} characters; at most {DicomUid.MaxLength - 1 - MinimumSuffixDigits} leaves room for a unique suffix", nameof(root));
        var random = new BigInteger(RandomNumberGenerator.GetBytes(20), isUnsigned: true);
        var low = BigInteger.Pow(10, digits - 1);
        var suffix = low + (random % (9 * low));   // exactly `digits` digits, no leading zero
        return root + "." + suffix.ToString(CultureInfo.InvariantCulture);
    }
}
