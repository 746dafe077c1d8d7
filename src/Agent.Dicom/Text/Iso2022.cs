using System.Text;

namespace Agent.Dicom.Text;

/// <summary>
/// Decoding and encoding of values that use ISO 2022 code extensions (PS3.5 6.1.2.5). The state (which set is in G0
/// and G1) returns to the initial one at every delimiter PS3.5 6.1.2.5.3 lists: CR, LF, FF, TAB, the value delimiter
/// '\' of multi-valued VRs, and the PN component '^' and group '=' delimiters.
/// </summary>
internal sealed class Iso2022(CodeElement initialG0, CodeElement? initialG1, IReadOnlyList<CodeElement> declared)
{
    // 8-bit bytes with no G1 designated at all: writers that omit the escape (pydicom 2.3 for IR 58, for one) mean the
    // declared G1 set, so use it rather than Latin-1.
    private readonly CodeElement? _undesignatedG1 = initialG1 ?? declared.FirstOrDefault(e => !e.IsG0);

    private const byte Esc = 0x1B;
    private const int MaxEscapeLength = 4;

    public CodeElement InitialG0 { get; } = initialG0;
    public CodeElement? InitialG1 { get; } = initialG1;

    private static bool IsDelimiter(int c, DicomVR vr) =>
        c is '\r' or '\n' or '\f' or '\t' || (c == '\\' && vr.IsBackslashMultiValued) || (vr == DicomVR.PN && c is '^' or '=');

    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        var sb = new StringBuilder(bytes.Length);
        var g0 = InitialG0;
        var g1 = InitialG1;
        // Some writers designate G1 once per value and not again after each '^'; keep using it rather than lose text.
        var lastG1 = g1;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == Esc)
            {
                var element = MatchEscape(bytes[i..], out var length);
                if (element is null)
                {
                    sb.Append('\uFFFD');   // unknown escape sequence: mark it, skip it
                    i += Math.Max(1, length);
                    continue;
                }
                if (element.IsG0) g0 = element;
                else lastG1 = g1 = element;
                i += length;
                continue;
            }
            if (b < 0x80)
            {
                if (g0.IsMultiByte && b is >= 0x21 and <= 0x7E)
                {
                    var start = i;
                    while (i + 1 < bytes.Length && bytes[i] is >= 0x21 and <= 0x7E && bytes[i + 1] is >= 0x21 and <= 0x7E) i += 2;
                    if (i == start) { sb.Append('\uFFFD'); i++; continue; }   // half a character at the end
                    sb.Append(g0.Decode(bytes[start..i]));
                    continue;
                }
                if (IsDelimiter(b, vr))
                {
                    sb.Append((char)b);
                    g0 = InitialG0;
                    g1 = InitialG1;
                    i++;
                    continue;
                }
                var runStart = i;
                while (i < bytes.Length && bytes[i] < 0x80 && bytes[i] != Esc && !IsDelimiter(bytes[i], vr) &&
                       !(g0.IsMultiByte && bytes[i] is >= 0x21 and <= 0x7E)) i++;
                sb.Append(CharacterSetTerms.Ascii.Decode(bytes[runStart..i]));
                continue;
            }
            var set = g1 ?? lastG1 ?? _undesignatedG1;
            var highStart = i;
            while (i < bytes.Length && bytes[i] >= 0x80) i++;
            sb.Append(set is null ? Encodings.Latin1.GetString(bytes[highStart..i]) : set.Decode(bytes[highStart..i]));
        }
        return sb.ToString();
    }

    private static CodeElement? MatchEscape(ReadOnlySpan<byte> bytes, out int length)
    {
        // ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E (ISO 2022 / ECMA-35).
        length = 1;
        while (length < bytes.Length && length <= MaxEscapeLength && bytes[length] is >= 0x20 and <= 0x2F) length++;
        if (length >= bytes.Length || bytes[length] is < 0x30 or > 0x7E) return null;
        length++;
        var sequence = bytes[..length];
        foreach (var e in CharacterSetTerms.AllElements)
            if (sequence.SequenceEqual(e.Escape)) return e;
        return null;
    }

    /// <summary>
    /// Encodes greedily: keep the sets in force while they can code the next character, otherwise designate the first
    /// declared set that can (declaration order is the writer's preference, PS3.3 C.12.1.1.2). Before each delimiter
    /// and at the end, G0 returns to its initial set. Characters no declared set holds become '?'.
    /// </summary>
    public byte[] Encode(string text, DicomVR vr, out bool lossless)
    {
        lossless = true;
        var output = new List<byte>(text.Length * 2);
        var g0 = InitialG0;
        var g1 = InitialG1;
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80 && IsDelimiter(c, vr))
            {
                if (g0 != InitialG0) { output.AddRange(InitialG0.Escape); g0 = InitialG0; }
                g1 = InitialG1;
                output.Add((byte)c);
                continue;
            }
            var width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var character = text.AsSpan(i, width);
            i += width - 1;
            int written;
            if (g0.TryEncode(character, buffer, out written) || (g1 is not null && g1.TryEncode(character, buffer, out written)))
            {
                output.AddRange(buffer[..written]);
                continue;
            }
            CodeElement? target = null;
            foreach (var candidate in Candidates())
            {
                if (candidate.TryEncode(character, buffer, out written)) { target = candidate; break; }
            }
            if (target is null)
            {
                lossless = false;
                if (g0.IsMultiByte) { output.AddRange(InitialG0.Escape); g0 = InitialG0; }
                output.Add((byte)'?');
                continue;
            }
            output.AddRange(target.Escape);
            if (target.IsG0) g0 = target;
            else g1 = target;
            output.AddRange(buffer[..written]);
        }
        if (g0 != InitialG0) output.AddRange(InitialG0.Escape);
        return [.. output];
    }

    private IEnumerable<CodeElement> Candidates()
    {
        // ASCII is always available in G0 (the default repertoire), after what the dataset declared.
        foreach (var e in declared) yield return e;
        yield return CharacterSetTerms.Ascii;
    }
}
