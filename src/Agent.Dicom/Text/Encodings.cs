using System.Text;

namespace Agent.Dicom.Text;

/// <summary>
/// .NET encodings behind the DICOM character sets. Code-page encodings come straight from
/// <see cref="CodePagesEncodingProvider"/> instead of registering the provider process-wide, so the library changes
/// nothing global. Encoders never throw: unmappable characters become '?' (or nothing, for probing).
/// </summary>
internal static class Encodings
{
    private static readonly EncoderFallback Question = new EncoderReplacementFallback("?");
    private static readonly EncoderFallback Empty = new EncoderReplacementFallback("");
    private static readonly DecoderFallback Replacement = new DecoderReplacementFallback("\uFFFD");

    public static Encoding Latin1 { get; } = Encoding.GetEncoding("iso-8859-1", Question, Replacement);
    public static Encoding Utf8 { get; } = new UTF8Encoding(false, false);

    /// <summary>An encoding whose encoder writes '?' for unmappable characters.</summary>
    public static Encoding CodePage(int codePage) => Get(codePage, Question);

    /// <summary>An encoding whose encoder writes nothing for unmappable characters, to test whether a set can encode one.</summary>
    public static Encoding Probe(int codePage) => Get(codePage, Empty);

    private static Encoding Get(int codePage, EncoderFallback fallback) =>
        CodePagesEncodingProvider.Instance.GetEncoding(codePage, fallback, Replacement)
        ?? Encoding.GetEncoding(codePage, fallback, Replacement);

    public const int ShiftJis = 932;
    public const int EucJpWith0212 = 20932;   // lead/trail with high bit = JIS X 0208; lead high, trail low = JIS X 0212
    public const int EucKr = 51949;
    public const int Gb2312 = 20936;
    public const int Gbk = 936;
    public const int Gb18030 = 54936;
    public const int Thai = 874;   // windows-874, a superset of TIS-620 (ISO-IR 166)
}
