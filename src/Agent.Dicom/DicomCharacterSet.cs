using System.Collections.Concurrent;
using System.Text;
using Agent.Dicom.Text;

namespace Agent.Dicom;

/// <summary>
/// Decodes and encodes text per (0008,0005) Specific Character Set (PS3.5 6.1, PS3.3 C.12.1.1.2): the default
/// repertoire, the single-byte ISO 8859 sets, JIS X 0201, UTF-8, GB18030, GBK, and ISO 2022 code extensions with escape
/// sequences for Japanese (IR 13/87/159), Korean (IR 149) and Chinese (IR 58). Unknown or misspelled terms never throw:
/// they fall back to Latin-1 (a superset of the default repertoire) and are listed in <see cref="Warnings"/>.
/// </summary>
public sealed class DicomCharacterSet
{
    private const int MaxCached = 256;
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> Cache = new(StringComparer.Ordinal);

    private readonly Encoding? _standAlone;
    private readonly Iso2022? _iso2022;

    private DicomCharacterSet(string[] terms, Encoding? standAlone, Iso2022? iso2022, IReadOnlyList<string> warnings)
    {
        Terms = terms;
        _standAlone = standAlone;
        _iso2022 = iso2022;
        Warnings = warnings;
    }

    /// <summary>The terms as given (trimmed), value 1 first.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Problems with the terms (unknown, misspelled, not allowed together); empty when all is well.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when every term was understood exactly as written.</summary>
    public bool IsKnown => Warnings.Count == 0;

    /// <summary>True when values may carry ISO 2022 escape sequences.</summary>
    public bool UsesCodeExtensions => _iso2022 is not null;

    /// <summary>No Specific Character Set: the default repertoire (read leniently as Latin-1, like DCMTK and pydicom).</summary>
    public static DicomCharacterSet Default { get; } = new([""], Encodings.Latin1, null, []);

    /// <summary>UTF-8 (ISO_IR 192), what this product writes.</summary>
    public static DicomCharacterSet Utf8 { get; } = FromSpecificCharacterSet(["ISO_IR 192"]);

    public static DicomCharacterSet FromSpecificCharacterSet(string[] terms)
    {
        var trimmed = terms.Select(t => t.Trim(' ', '\0')).ToArray();
        if (trimmed.Length == 0 || (trimmed.Length == 1 && trimmed[0].Length == 0)) return Default;
        var key = string.Join('\\', trimmed);
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var created = Create(trimmed);
        // Terms come from received files: cache only a bounded number of distinct values.
        if (Cache.Count < MaxCached) Cache.TryAdd(key, created);
        return created;
    }

    private static DicomCharacterSet Create(string[] terms)
    {
        var warnings = new List<string>();
        var resolved = new List<CharacterSetTerms.Term?>();
        foreach (var written in terms)
        {
            if (CharacterSetTerms.TryResolve(written, out var term, out var corrected))
            {
                if (corrected) warnings.Add($"Specific Character Set '{written}' read as '{term.Name}'");
                resolved.Add(term);
            }
            else
            {
                warnings.Add($"unknown Specific Character Set '{written}', ignored");
                resolved.Add(null);
            }
        }

        if (resolved.Count == 1 || resolved.Skip(1).All(t => t is null))
        {
            var only = resolved[0];
            if (only is null) return new DicomCharacterSet(terms, Encodings.Latin1, null, Fallback(warnings));
            if (!only.IsCodeExtension) return new DicomCharacterSet(terms, only.StandAlone, null, warnings);
        }

        // Several values (or an ISO 2022 term): code extensions. Stand-alone multi-byte sets cannot take part (PS3.5 6.1.2.5.4 d).
        var first = resolved[0];
        if (first is not null && (first.Name is "ISO_IR 192" or "GB18030" or "GBK"))
        {
            warnings.Add($"'{first.Name}' cannot be combined with code extensions; other values ignored");
            return new DicomCharacterSet(terms, first.StandAlone, null, warnings);
        }
        var elements = new List<CodeElement>();
        CodeElement g0 = CharacterSetTerms.Ascii;
        CodeElement? g1 = null;
        for (var i = 0; i < resolved.Count; i++)
        {
            var term = resolved[i];
            if (term is null) continue;
            var extension = CharacterSetTerms.AsCodeExtension(term);
            if (extension is null)
            {
                warnings.Add($"'{term.Name}' cannot be used with code extensions, ignored");
                continue;
            }
            if (extension != term && term.Name.Length > 0) warnings.Add($"'{term.Name}' used with code extensions, read as '{extension.Name}'");
            if (i == 0)
            {
                g0 = extension.Elements.FirstOrDefault(e => e.IsG0 && !e.IsMultiByte) ?? CharacterSetTerms.Ascii;
                g1 = extension.Elements.FirstOrDefault(e => !e.IsG0);
            }
            elements.AddRange(extension.Elements);
        }
        return new DicomCharacterSet(terms, null, new Iso2022(g0, g1, elements.Distinct().ToArray()), warnings);
    }

    private static List<string> Fallback(List<string> warnings)
    {
        warnings.Add("falling back to ISO_IR 100 (Latin-1)");
        return warnings;
    }

    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr) =>
        _iso2022 is not null ? _iso2022.Decode(bytes, vr) : _standAlone!.GetString(bytes);

    public byte[] Encode(string text, DicomVR vr) => Encode(text, vr, out _);

    /// <summary>Encodes; <paramref name="lossless"/> is false when some character had no code and became '?'.</summary>
    public byte[] Encode(string text, DicomVR vr, out bool lossless)
    {
        if (_iso2022 is not null) return _iso2022.Encode(text, vr, out lossless);
        var bytes = _standAlone!.GetBytes(text);
        // Round trip rather than trusting the code page: even UTF-8 replaces lone surrogates.
        lossless = _standAlone.GetString(bytes) == text;
        return bytes;
    }

    public override string ToString() => string.Join('\\', Terms);
}
