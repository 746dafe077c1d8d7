using System.Text;

namespace Agent.Dicom.Text;

/// <summary>
/// One ISO 2022 graphic character set as DICOM uses it (PS3.3 Tables C.12-3/C.12-4, PS3.5 6.1.2.5): the escape
/// sequence that designates it, whether it goes to G0 (7-bit bytes) or G1 (8-bit bytes), and how its bytes map to text.
/// </summary>
internal abstract class CodeElement(string name, byte[] escape, bool isG0, bool isMultiByte)
{
    public string Name { get; } = name;

    /// <summary>The escape sequence including ESC, e.g. ESC $ B for JIS X 0208.</summary>
    public byte[] Escape { get; } = escape;

    /// <summary>G0 elements hold 0x21-0x7E, G1 elements 0xA1-0xFE (0x80-0xFF for the single-byte ISO 8859 parts).</summary>
    public bool IsG0 { get; } = isG0;

    public bool IsMultiByte { get; } = isMultiByte;

    /// <summary>Decodes a run of bytes that all belong to this element (7-bit for G0, 8-bit for G1).</summary>
    public abstract string Decode(ReadOnlySpan<byte> run);

    /// <summary>Writes the bytes of one character as this element codes them; false when it is not in the set.</summary>
    public abstract bool TryEncode(ReadOnlySpan<char> character, Span<byte> destination, out int written);

    public override string ToString() => Name;
}

/// <summary>ASCII (ISO-IR 6) or JIS X 0201 Romaji (ISO-IR 14) in G0; the latter is read as ASCII, as DCMTK and pydicom do.</summary>
internal sealed class SingleByteG0(string name, byte[] escape) : CodeElement(name, escape, true, false)
{
    public override string Decode(ReadOnlySpan<byte> run) => Encodings.Latin1.GetString(run);

    public override bool TryEncode(ReadOnlySpan<char> character, Span<byte> destination, out int written)
    {
        written = 0;
        if (character.Length != 1 || character[0] >= 0x80) return false;
        destination[0] = (byte)character[0];
        written = 1;
        return true;
    }
}

/// <summary>An 8-bit code page whose upper half is the G1 set (ISO 8859 parts, TIS-620, JIS X 0201 Katakana).</summary>
internal sealed class SingleByteG1 : CodeElement
{
    private readonly Encoding _decoder;
    private readonly Encoding _probe;
    private readonly byte _min;
    private readonly byte _max;

    public SingleByteG1(string name, byte[] escape, int codePage, byte min = 0x80, byte max = 0xFF) : base(name, escape, false, false)
    {
        _decoder = codePage == 28591 ? Encodings.Latin1 : Encodings.CodePage(codePage);
        _probe = Encodings.Probe(codePage);
        _min = min;
        _max = max;
    }

    public override string Decode(ReadOnlySpan<byte> run) => _decoder.GetString(run);

    public override bool TryEncode(ReadOnlySpan<char> character, Span<byte> destination, out int written)
    {
        Span<byte> buffer = stackalloc byte[8];
        written = 0;
        if (character[0] < 0x80 || _probe.GetBytes(character, buffer) != 1 || buffer[0] < _min || buffer[0] > _max) return false;
        destination[0] = buffer[0];
        written = 1;
        return true;
    }
}

/// <summary>
/// A 94x94 double-byte set. Decoding and encoding go through an EUC code page, where both bytes carry the high bit;
/// <paramref name="trailHigh"/> false is the cp20932 convention for JIS X 0212 (trail byte without the high bit).
/// </summary>
internal sealed class DoubleByte : CodeElement
{
    private readonly Encoding _decoder;
    private readonly Encoding _probe;
    private readonly bool _trailHigh;

    public DoubleByte(string name, byte[] escape, bool isG0, int eucCodePage, bool trailHigh = true) : base(name, escape, isG0, true)
    {
        _decoder = Encodings.CodePage(eucCodePage);
        _probe = Encodings.Probe(eucCodePage);
        _trailHigh = trailHigh;
    }

    public override string Decode(ReadOnlySpan<byte> run)
    {
        // G1 runs already carry the high bit; G0 runs are 7-bit and are lifted into the EUC form first.
        if (!IsG0 && _trailHigh) return _decoder.GetString(run);
        var euc = run.Length <= 256 ? stackalloc byte[run.Length] : new byte[run.Length];
        for (var i = 0; i < run.Length; i++)
            euc[i] = (byte)(((i & 1) == 0 || _trailHigh) ? run[i] | 0x80 : run[i] & 0x7F);
        return _decoder.GetString(euc);
    }

    public override bool TryEncode(ReadOnlySpan<char> character, Span<byte> destination, out int written)
    {
        Span<byte> buffer = stackalloc byte[8];
        written = 0;
        if (_probe.GetBytes(character, buffer) != 2 || buffer[0] < 0xA1 || buffer[0] == 0xFF) return false;
        var trailOk = _trailHigh ? buffer[1] >= 0xA1 && buffer[1] != 0xFF : buffer[1] is >= 0x21 and <= 0x7E;
        if (!trailOk) return false;
        var mask = IsG0 ? 0x7F : 0xFF;
        destination[0] = (byte)(buffer[0] & mask);
        destination[1] = (byte)(_trailHigh ? buffer[1] & mask : buffer[1]);
        written = 2;
        return true;
    }
}
