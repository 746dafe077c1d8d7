using System.Globalization;

namespace Agent.Dicom;

/// <summary>A data element tag (group, element), ordered as the standard orders elements in a dataset.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    public ushort Group => (ushort)(Value >> 16);
    public ushort Element => (ushort)Value;

    /// <summary>Odd groups are private (PS3.5 7.8); groups 0001, 0003, 0005, 0007 and FFFF are not permitted.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>(gggg,0010-00FF) in a private group reserves a block for a private creator.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>The creator slot (gggg,00xx) that owns this private element, e.g. (0029,1010) belongs to (0029,0010).</summary>
    public DicomTag PrivateCreatorSlot => new(Group, (ushort)(Element >> 8));

    public bool IsGroupLength => Element == 0x0000;

    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitation = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitation = new(0xFFFE, 0xE0DD);

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>"GGGGEEEE" as used by the DICOM JSON model.</summary>
    public string ToHex() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "(0010,0010)", "0010,0010" or "00100010".</summary>
    public static bool TryParse(string text, out DicomTag tag)
    {
        tag = default;
        var s = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", "", StringComparison.Ordinal);
        if (s.Length != 8 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
            return false;
        tag = new DicomTag(v);
        return true;
    }
}
