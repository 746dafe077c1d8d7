using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>How a VR's value is laid out, which decides parsing, byte swapping and JSON form.</summary>
public enum DicomVRKind
{
    /// <summary>Text; multi-valued text is separated by backslash.</summary>
    String,
    /// <summary>Fixed-size binary numbers (US, SS, UL, SL, FL, FD, SV, UV, AT).</summary>
    Binary,
    /// <summary>Other-byte/word/... bulk data (OB, OW, OF, OD, OL, OV, UN).</summary>
    Bulk,
    /// <summary>SQ: a sequence of items.</summary>
    Sequence,
}

/// <summary>A value representation (PS3.5 6.2), as an immutable descriptor; compare by reference.</summary>
public sealed class DicomVR
{
    private DicomVR(string code, DicomVRKind kind, bool longLength, int unitSize, int maxLength, byte padding,
        bool backslashMultiValue, bool usesCharacterSet)
    {
        Code = code;
        Kind = kind;
        HasLongExplicitLength = longLength;
        UnitSize = unitSize;
        MaxLength = maxLength;
        PaddingByte = padding;
        IsBackslashMultiValued = backslashMultiValue;
        UsesSpecificCharacterSet = usesCharacterSet;
        Code16 = (ushort)((code[0] << 8) | code[1]);
    }

    public string Code { get; }
    public DicomVRKind Kind { get; }

    /// <summary>Explicit VR encoding uses 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).</summary>
    public bool HasLongExplicitLength { get; }

    /// <summary>Size of one binary value in bytes (also the byte-swap unit for big endian); 1 for strings.</summary>
    public int UnitSize { get; }

    /// <summary>Maximum length in bytes of one value for strings, 0 when unbounded or not applicable.</summary>
    public int MaxLength { get; }

    /// <summary>Byte used to pad a value to even length: space for text, NUL for UI and binary.</summary>
    public byte PaddingByte { get; }

    public bool IsBackslashMultiValued { get; }

    /// <summary>Value is decoded with (0008,0005) Specific Character Set; other string VRs are ASCII.</summary>
    public bool UsesSpecificCharacterSet { get; }

    public bool IsString => Kind == DicomVRKind.String;

    /// <summary>The two code characters as big-endian ushort, e.g. 'O','B' = 0x4F42.</summary>
    public ushort Code16 { get; }

    public override string ToString() => Code;

    private static DicomVR Text(string code, int max, bool multi = true, bool charset = false, byte pad = (byte)' ', bool longLen = false)
        => new(code, DicomVRKind.String, longLen, 1, max, pad, multi, charset);
    private static DicomVR Bin(string code, int size) => new(code, DicomVRKind.Binary, false, size, 0, 0, false, false);
    private static DicomVR Bulk(string code, int unit) => new(code, DicomVRKind.Bulk, true, unit, 0, 0, false, false);

    public static readonly DicomVR AE = Text("AE", 16);
    public static readonly DicomVR AS = Text("AS", 4);
    public static readonly DicomVR AT = Bin("AT", 4);
    public static readonly DicomVR CS = Text("CS", 16);
    public static readonly DicomVR DA = Text("DA", 8);
    public static readonly DicomVR DS = Text("DS", 16);
    public static readonly DicomVR DT = Text("DT", 26);
    public static readonly DicomVR FD = Bin("FD", 8);
    public static readonly DicomVR FL = Bin("FL", 4);
    public static readonly DicomVR IS = Text("IS", 12);
    public static readonly DicomVR LO = Text("LO", 64, charset: true);
    public static readonly DicomVR LT = Text("LT", 10240, multi: false, charset: true);
    public static readonly DicomVR OB = Bulk("OB", 1);
    public static readonly DicomVR OD = Bulk("OD", 8);
    public static readonly DicomVR OF = Bulk("OF", 4);
    public static readonly DicomVR OL = Bulk("OL", 4);
    public static readonly DicomVR OV = Bulk("OV", 8);
    public static readonly DicomVR OW = Bulk("OW", 2);
    public static readonly DicomVR PN = Text("PN", 64 * 3 + 2, charset: true);
    public static readonly DicomVR SH = Text("SH", 16, charset: true);
    public static readonly DicomVR SL = Bin("SL", 4);
    public static readonly DicomVR SQ = new("SQ", DicomVRKind.Sequence, true, 1, 0, 0, false, false);
    public static readonly DicomVR SS = Bin("SS", 2);
    public static readonly DicomVR ST = Text("ST", 1024, multi: false, charset: true);
    public static readonly DicomVR SV = new("SV", DicomVRKind.Binary, true, 8, 0, 0, false, false);
    public static readonly DicomVR TM = Text("TM", 14);
    public static readonly DicomVR UC = Text("UC", 0, charset: true, longLen: true);
    public static readonly DicomVR UI = Text("UI", 64, pad: 0);
    public static readonly DicomVR UL = Bin("UL", 4);
    public static readonly DicomVR UN = Bulk("UN", 1);
    public static readonly DicomVR UR = Text("UR", 0, multi: false, longLen: true);
    public static readonly DicomVR US = Bin("US", 2);
    public static readonly DicomVR UT = Text("UT", 0, multi: false, charset: true, longLen: true);
    public static readonly DicomVR UV = new("UV", DicomVRKind.Binary, true, 8, 0, 0, false, false);

    /// <summary>Every VR of PS3.5 Table 6.2-1.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI,
        UL, UN, UR, US, UT, UV,
    ];

    private static readonly FrozenDictionary<ushort, DicomVR> ByCode16 = All.ToFrozenDictionary(v => v.Code16);
    private static readonly FrozenDictionary<string, DicomVR> ByCode = All.ToFrozenDictionary(v => v.Code, StringComparer.Ordinal);

    /// <summary>Looks up a VR by its two bytes as read from an explicit VR stream (first byte high).</summary>
    public static bool TryGet(byte first, byte second, out DicomVR vr)
        => ByCode16.TryGetValue((ushort)((first << 8) | second), out vr!);

    public static bool TryParse(string code, out DicomVR vr) => ByCode.TryGetValue(code, out vr!);

    public static DicomVR Parse(string code)
        => TryParse(code, out var vr) ? vr : throw new DicomFormatException($"unknown VR '{code}'");
}
