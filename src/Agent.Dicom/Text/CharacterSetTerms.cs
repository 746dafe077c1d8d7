using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agent.Dicom.Text;

/// <summary>
/// The defined terms of (0008,0005) Specific Character Set (PS3.3 C.12.1.1.2, Tables C.12-2 to C.12-5) and what
/// each one means: a stand-alone .NET encoding, or ISO 2022 code elements for G0/G1.
/// </summary>
internal static partial class CharacterSetTerms
{
    private const byte Esc = 0x1B;

    public static readonly CodeElement Ascii = new SingleByteG0("ISO-IR 6", [Esc, (byte)'(', (byte)'B']);
    public static readonly CodeElement Romaji = new SingleByteG0("ISO-IR 14", [Esc, (byte)'(', (byte)'J']);
    public static readonly CodeElement Katakana = new SingleByteG1("ISO-IR 13", [Esc, (byte)')', (byte)'I'], Encodings.ShiftJis, 0xA1, 0xDF);
    public static readonly CodeElement Jis0208 = new DoubleByte("ISO-IR 87", [Esc, (byte)'$', (byte)'B'], true, Encodings.EucJpWith0212);
    public static readonly CodeElement Jis0212 = new DoubleByte("ISO-IR 159", [Esc, (byte)'$', (byte)'(', (byte)'D'], true, Encodings.EucJpWith0212, trailHigh: false);
    public static readonly CodeElement Ksx1001 = new DoubleByte("ISO-IR 149", [Esc, (byte)'$', (byte)')', (byte)'C'], false, Encodings.EucKr);
    public static readonly CodeElement Gb2312 = new DoubleByte("ISO-IR 58", [Esc, (byte)'$', (byte)')', (byte)'A'], false, Encodings.Gb2312);

    /// <summary>Single-byte sets: IR number, final byte of ESC - F (G1, 96-set), code page.</summary>
    private static readonly (int Ir, char Final, int CodePage)[] SingleByte =
    [
        (100, 'A', 28591), (101, 'B', 28592), (109, 'C', 28593), (110, 'D', 28594), (144, 'L', 28595),
        (127, 'G', 28596), (126, 'F', 28597), (138, 'H', 28598), (148, 'M', 28599), (203, 'b', 28605),
        (166, 'T', Encodings.Thai),
    ];

    /// <summary>A recognised term: either a whole-value encoding or the ISO 2022 elements it designates.</summary>
    internal sealed record Term(string Name, Encoding? StandAlone, CodeElement[] Elements, bool IsCodeExtension);

    private static readonly FrozenDictionary<string, Term> Known = BuildKnown();

    /// <summary>Every code element, for decoding escape sequences even when the dataset forgot to declare them.</summary>
    public static IReadOnlyList<CodeElement> AllElements { get; } = Known.Values.SelectMany(t => t.Elements).Distinct().ToArray();

    private static FrozenDictionary<string, Term> BuildKnown()
    {
        var d = new Dictionary<string, Term>(StringComparer.Ordinal)
        {
            [""] = new("", Encodings.Latin1, [], false),
            ["ISO_IR 6"] = new("ISO_IR 6", Encodings.Latin1, [], false),
            ["ISO_IR 13"] = new("ISO_IR 13", Encodings.CodePage(Encodings.ShiftJis), [], false),
            ["ISO_IR 192"] = new("ISO_IR 192", Encodings.Utf8, [], false),
            ["GB18030"] = new("GB18030", Encodings.CodePage(Encodings.Gb18030), [], false),
            ["GBK"] = new("GBK", Encodings.CodePage(Encodings.Gbk), [], false),
            ["ISO 2022 IR 6"] = new("ISO 2022 IR 6", null, [Ascii], true),
            ["ISO 2022 IR 13"] = new("ISO 2022 IR 13", null, [Romaji, Katakana], true),
            ["ISO 2022 IR 87"] = new("ISO 2022 IR 87", null, [Jis0208], true),
            ["ISO 2022 IR 159"] = new("ISO 2022 IR 159", null, [Jis0212], true),
            ["ISO 2022 IR 149"] = new("ISO 2022 IR 149", null, [Ksx1001], true),
            ["ISO 2022 IR 58"] = new("ISO 2022 IR 58", null, [Gb2312], true),
        };
        foreach (var (ir, final, codePage) in SingleByte)
        {
            var name = "ISO_IR " + ir.ToString(CultureInfo.InvariantCulture);
            var extension = "ISO 2022 IR " + ir.ToString(CultureInfo.InvariantCulture);
            var element = new SingleByteG1(extension, [Esc, (byte)'-', (byte)final], codePage);
            d[name] = new(name, codePage == 28591 ? Encodings.Latin1 : Encodings.CodePage(codePage), [], false);
            d[extension] = new(extension, null, [element], true);
        }
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Finds a term, tolerating the misspellings seen in real files ("ISO IR 100", "ISO-IR 100", "ISO_IR100",
    /// "UTF-8"); <paramref name="corrected"/> says when the written form was not the defined term.
    /// </summary>
    public static bool TryResolve(string written, out Term term, out bool corrected)
    {
        var text = written.Trim(' ', '\0');
        corrected = false;
        if (Known.TryGetValue(text, out term!)) return true;
        corrected = true;
        var upper = text.ToUpperInvariant();
        if (upper is "UTF-8" or "UTF8" or "ISO-IR 192" or "ISO IR 192") return Known.TryGetValue("ISO_IR 192", out term!);
        if (Known.TryGetValue(upper, out term!)) return true;
        var m = Misspelled().Match(upper);
        if (m.Success)
        {
            var canonical = (m.Groups[1].Success ? "ISO 2022 IR " : "ISO_IR ") + m.Groups[2].Value.TrimStart('0');
            if (Known.TryGetValue(canonical, out term!)) return true;
        }
        term = null!;
        return false;
    }

    /// <summary>The ISO 2022 form of a stand-alone single-byte term (ISO_IR 100 -> ISO 2022 IR 100), if it has one.</summary>
    public static Term? AsCodeExtension(Term term)
    {
        if (term.IsCodeExtension) return term;
        if (term.Name.Length == 0 || term.Name == "ISO_IR 6") return Known["ISO 2022 IR 6"];
        return term.Name.StartsWith("ISO_IR ", StringComparison.Ordinal) &&
               Known.TryGetValue("ISO 2022 IR " + term.Name[7..], out var ext) ? ext : null;
    }

    [GeneratedRegex(@"^ISO[ _-]?(2022[ _-]?)?IR[ _-]?(\d{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex Misspelled();
}
