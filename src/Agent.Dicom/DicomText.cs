using System.Text;

namespace Agent.Dicom;

/// <summary>Padding and trimming rules of PS3.5 6.2 for text values.</summary>
public static class DicomText
{
    /// <summary>Removes the padding a VR allows: trailing spaces for most text, leading too for codes and numbers, NUL for UI.</summary>
    public static string TrimValue(string value, DicomVR vr)
    {
        if (vr == DicomVR.UI) return value.TrimEnd('\0', ' ');
        // LT, ST, UT, UR: leading spaces are significant (PS3.5 6.2).
        if (vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT || vr == DicomVR.UR) return value.TrimEnd(' ', '\0');
        return value.Trim(' ', '\0');
    }

    public static string DecodeAscii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] EncodeAscii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Every value has even length; odd ones get one padding byte.</summary>
    public static byte[] PadEven(byte[] bytes, byte padding)
    {
        if ((bytes.Length & 1) == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }
}
