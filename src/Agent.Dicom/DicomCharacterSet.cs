using System.Text;

namespace Agent.Dicom;

/// <summary>
/// Decodes and encodes text per (0008,0005) Specific Character Set (PS3.5 6.1, PS3.3 C.12.1.1.2).
/// PLACEHOLDER: only the default repertoire, ISO_IR 100 and ISO_IR 192; the full implementation replaces this file.
/// </summary>
public sealed class DicomCharacterSet
{
    private readonly Encoding _encoding;

    private DicomCharacterSet(string[] terms, Encoding encoding)
    {
        Terms = terms;
        _encoding = encoding;
    }

    public IReadOnlyList<string> Terms { get; }

    public static DicomCharacterSet Default { get; } = new([""], Encoding.Latin1);

    public static DicomCharacterSet FromSpecificCharacterSet(string[] terms)
    {
        var first = terms.Length > 0 ? terms[0] : "";
        return first switch
        {
            "ISO_IR 192" => new DicomCharacterSet(terms, Encoding.UTF8),
            _ => new DicomCharacterSet(terms, Encoding.Latin1),
        };
    }

    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr) => _encoding.GetString(bytes);

    public byte[] Encode(string text, DicomVR vr) => _encoding.GetBytes(text);
}
