using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agent.Dicom;
using Agent.Dicom.Json;

namespace Agent.Dicom.Tests;

/// <summary>
/// Runs /usr/bin/python3 once over pydicom's test corpus and keeps, per file, pydicom's <c>to_json_dict()</c> and its
/// <c>pixel_array</c> (as little-endian doubles) in a temp folder, as the reference our JSON and pixels are compared with.
/// </summary>
public sealed class PydicomCorpus : IDisposable
{
    public const string CorpusFolder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private const string Script = """
        import sys, os, json, math, warnings, logging
        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)
        import pydicom
        from pydicom.errors import InvalidDicomError
        src, dst = sys.argv[1], sys.argv[2]
        def clean(o):
            # JSON has no NaN/Infinity: the same strings our writer uses.
            if isinstance(o, float) and not math.isfinite(o):
                return "NaN" if math.isnan(o) else ("Infinity" if o > 0 else "-Infinity")
            if isinstance(o, dict): return {k: clean(v) for k, v in o.items()}
            if isinstance(o, list): return [clean(v) for v in o]
            return o
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if not os.path.isfile(path): continue
            out = {"file": name}
            try:
                try:
                    ds = pydicom.dcmread(path)
                except InvalidDicomError:
                    # Datasets without preamble/meta are read when forced; text files then yield one junk element.
                    ds = pydicom.dcmread(path, force=True)
                    if len(ds.dir()) < 3: raise InvalidDicomError("not a DICOM dataset")
                meta = getattr(ds, "file_meta", None)
                out["transfer_syntax"] = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
            except Exception as e:
                out["read_error"] = f"{type(e).__name__}: {e}"
                json.dump(out, open(os.path.join(dst, name + ".json"), "w")); continue
            try:
                out["json"] = clean(ds.to_json_dict(bulk_data_threshold=0, bulk_data_element_handler=lambda e: "bulk"))
            except Exception as e:
                out["json_error"] = f"{type(e).__name__}: {e}"
            if "PixelData" in ds:
                try:
                    arr = ds.pixel_array
                    arr.astype("<f8").tofile(os.path.join(dst, name + ".pixels"))
                    out["pixels"] = int(arr.size)
                except Exception as e:
                    out["pixel_error"] = f"{type(e).__name__}: {e}"
            json.dump(out, open(os.path.join(dst, name + ".json"), "w"), allow_nan=False)
        """;

    /// <summary>pydicom's character set corpus: one file per Specific Character Set family (ISO 2022 Japanese/Korean too).</summary>
    public const string CharsetFolder = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    public PydicomCorpus()
    {
        Folder = Directory.CreateTempSubdirectory("pydicom-json-").FullName;
        var script = Path.Combine(Folder, "dump.py");
        File.WriteAllText(script, Script);
        Run(script, CorpusFolder, Folder);
        var charsets = Path.Combine(Folder, "charset");
        Directory.CreateDirectory(charsets);
        Run(script, CharsetFolder, charsets);
        Load(Folder, CorpusFolder, Entries);
        Load(charsets, CharsetFolder, CharsetEntries);
    }

    private static void Run(string script, string source, string destination)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, source, destination])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pydicom reference script failed: {errors}");
    }

    private static void Load(string folder, string source, SortedDictionary<string, Entry> entries)
    {
        foreach (var file in Directory.GetFiles(folder, "*.json"))
        {
            var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var entry = new Entry(doc.RootElement.GetProperty("file").GetString()!, doc.RootElement) { Source = source };
            entries.Add(entry.File, entry);
        }
    }

    public SortedDictionary<string, Entry> CharsetEntries { get; } = new(StringComparer.Ordinal);

    public string Folder { get; }

    public SortedDictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);

    public sealed record Entry(string File, JsonElement Root)
    {
        public string Source { get; init; } = CorpusFolder;
        public string Path => System.IO.Path.Combine(Source, File);
        public bool PydicomReads => !Root.TryGetProperty("read_error", out _);
        public JsonElement? Json => Root.TryGetProperty("json", out var j) ? j : null;
        public string? JsonError => Root.TryGetProperty("json_error", out var e) ? e.GetString() : null;
        public string TransferSyntax => Root.TryGetProperty("transfer_syntax", out var t) ? t.GetString()! : "";
    }

    /// <summary>pydicom's pixel_array for a file, or null when it could not decode it.</summary>
    public double[]? Pixels(string file)
    {
        var path = Path.Combine(Folder, file + ".pixels");
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 8);
        return values;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// Compares our DICOM JSON with pydicom's element by element. Bulk values (OB/OD/OF/OL/OV/OW/UN and Pixel Data) are
/// compared by presence only. Two differences are the standard's, not bugs, and are normalised here: F.2.5 makes an
/// empty value among several <c>null</c> where pydicom writes "" (or {"Alphabetic": ""} for PN), and an empty
/// sequence has no "Value" where pydicom writes [].
/// </summary>
public static class DicomJsonComparer
{
    private static readonly HashSet<string> BulkVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "UN"];

    public static List<string> Compare(JsonElement expected, JsonElement actual, string path = "")
    {
        var differences = new List<string>();
        CompareDataset(expected, actual, path, differences);
        return differences;
    }

    private static void CompareDataset(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in expectedKeys.Except(actualKeys)) differences.Add($"{path}{missing}: missing in ours");
        foreach (var extra in actualKeys.Except(expectedKeys)) differences.Add($"{path}{extra}: only in ours");
        foreach (var key in expectedKeys.Intersect(actualKeys).Order(StringComparer.Ordinal))
            CompareAttribute(expected.GetProperty(key), actual.GetProperty(key), path + key, differences);
    }

    private static void CompareAttribute(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        var vr = expected.GetProperty("vr").GetString()!;
        var ourVr = actual.GetProperty("vr").GetString()!;
        if (vr != ourVr) { differences.Add($"{path}: vr {vr} vs ours {ourVr}"); return; }
        if (BulkVRs.Contains(vr) || path.EndsWith("7FE00010", StringComparison.Ordinal))
        {
            bool Has(JsonElement e) => e.TryGetProperty("InlineBinary", out _) || e.TryGetProperty("BulkDataURI", out _) || e.TryGetProperty("Value", out _);
            if (Has(expected) != Has(actual)) differences.Add($"{path}: bulk value present {Has(expected)} vs ours {Has(actual)}");
            return;
        }
        var e = expected.TryGetProperty("Value", out var ev) ? ev : (JsonElement?)null;
        var a = actual.TryGetProperty("Value", out var av) ? av : (JsonElement?)null;
        if (vr == "SQ" && e is { } emptySeq && emptySeq.GetArrayLength() == 0) e = null;
        if (e is null || a is null)
        {
            if (e is not null || a is not null) differences.Add($"{path}: value {(e?.GetRawText() ?? "absent")} vs ours {(a?.GetRawText() ?? "absent")}");
            return;
        }
        if (e.Value.GetArrayLength() != a.Value.GetArrayLength())
        {
            differences.Add($"{path}: {e.Value.GetRawText()} vs ours {a.Value.GetRawText()}");
            return;
        }
        for (int i = 0; i < e.Value.GetArrayLength(); i++)
        {
            var x = e.Value[i];
            var y = a.Value[i];
            if (vr == "SQ") CompareDataset(x, y, $"{path}[{i}].", differences);
            else if (!SameValue(x, y)) differences.Add($"{path}[{i}]: {x.GetRawText()} vs ours {y.GetRawText()}");
        }
    }

    private static bool IsEmpty(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.String => v.GetString()!.Length == 0,
        JsonValueKind.Object => v.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length == 0),
        _ => false,
    };

    private static bool SameValue(JsonElement x, JsonElement y)
    {
        if (IsEmpty(x) && IsEmpty(y)) return true;
        if (x.ValueKind == JsonValueKind.Number && y.ValueKind == JsonValueKind.Number) return x.GetDouble() == y.GetDouble();
        if (x.ValueKind != y.ValueKind) return false;
        if (x.ValueKind == JsonValueKind.Object)
        {
            var xs = x.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
            var ys = y.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToList();
            return xs.SequenceEqual(ys);
        }
        return x.GetRawText() == y.GetRawText() || x.ToString() == y.ToString();
    }
}

public class JsonCorpusTests(PydicomCorpus corpus) : IClassFixture<PydicomCorpus>
{
    private const string PaddedCs = "pydicom keeps the padding space of a component inside a multi-valued CS ('DERIVED \\SECONDARY'); " +
        "PS3.5 6.2 makes leading and trailing spaces of CS insignificant, so we trim every component";

    /// <summary>Known, justified differences: file, attribute path (as the comparer prints it), reason.</summary>
    internal static readonly (string File, string Path, string Reason)[] Exceptions =
    [
        ("693_J2KI.dcm", "00080008[0]", PaddedCs),
        ("SC_rgb_gdcm_KY.dcm", "00080008[0]", PaddedCs),
        ("SC_rgb_jpeg_lossy_gdcm.dcm", "00080008[0]", PaddedCs),
        ("693_J2KI.dcm", "7FE00010", EncapsulatedOb),
        ("MR_small_jp2klossless.dcm", "7FE00010", EncapsulatedOb),
        ("MR_small_jpeg_ls_lossless.dcm", "7FE00010", EncapsulatedOb),
        ("SC_rgb_rle_16bit.dcm", "7FE00010", EncapsulatedOb),
        ("SC_rgb_rle_16bit_2frame.dcm", "7FE00010", EncapsulatedOb),
        ("rtdose_rle.dcm", "7FE00010", EncapsulatedOb),
        ("rtdose_rle_1frame.dcm", "7FE00010", EncapsulatedOb),
        ("J2K_pixelrep_mismatch.dcm", "00090010", PrivateCreatorUn),
        ("J2K_pixelrep_mismatch.dcm", "00090011", PrivateCreatorUn),
        ("J2K_pixelrep_mismatch.dcm", "00190010", PrivateCreatorUn),
        ("MR_truncated.dcm", "read", "the file ends 62 bytes inside Pixel Data; pydicom defers the error to pixel access, our reader rejects the file with a clear message (issue 2: truly broken files may be rejected)"),
        ("rtplan_truncated.dcm", "read", "the file ends inside a sequence item; pydicom keeps what it parsed, our reader rejects it with a clear message (issue 2: truly broken files may be rejected)"),
    ];

    private const string PrivateUn = "explicit UN private element: pydicom resolves its VR through its private dictionary, our " +
        "reader (IO, not this module) keeps UN for private tags as DCMTK does";

    /// <summary>Known, justified differences in the character set corpus (same form as <see cref="Exceptions"/>).</summary>
    internal static readonly (string File, string Path, string Reason)[] CharsetExceptions =
    [
        .. from file in new[] { "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm", "chrKoreanMulti.dcm" }
           from tag in new[] { "00191010", "00191013", "00191015", "00191060", "00191062", "00191065", "00191070", "00191082", "00191093" }
           select (file, tag, PrivateUn),
    ];

    private const string EncapsulatedOb = "pydicom reports OW for encapsulated Pixel Data of 16/32-bit images although the file says OB, " +
        "and PS3.5 A.4 requires OB for encapsulated data (pydicom 2.3 resolves the dictionary's 'OB or OW' by Bits Allocated)";

    private const string PrivateCreatorUn = "explicit UN private creator: pydicom turns it into LO (PS3.5 7.8.1: creators are LO); our " +
        "reader (IO, not this module) only replaces UN for public tags so far";

    /// <summary>Removes the differences the exception list explains and returns those it does not.</summary>
    internal static List<string> Unexplained(string file, IEnumerable<string> differences, HashSet<(string, string)> used,
        (string File, string Path, string Reason)[]? exceptions = null)
    {
        var left = new List<string>();
        foreach (var d in differences)
        {
            var match = (exceptions ?? Exceptions).FirstOrDefault(x => x.File == file && d.StartsWith(x.Path + ":", StringComparison.Ordinal));
            if (match.File is null) left.Add($"{file}: {d}");
            else used.Add((match.File, match.Path));
        }
        return left;
    }

    [Fact]
    public void Pydicom_json_of_every_corpus_file_reads_into_a_dataset_that_writes_back_the_same_json()
    {
        var options = new DicomJsonReaderOptions { BulkDataResolver = (_, _, _) => DicomBuffer.From(new byte[] { 0, 0 }) };
        var report = new List<string>();
        int compared = 0;
        foreach (var entry in corpus.Entries.Values)
        {
            if (entry.Json is not { } reference) continue;
            var dataset = DicomJsonReader.Read(reference.GetRawText(), options);
            var ours = JsonDocument.Parse(DicomJsonWriter.WriteToString(dataset)).RootElement;
            report.AddRange(Unexplained(entry.File, DicomJsonComparer.Compare(reference, ours), []));
            compared++;
        }
        Assert.True(compared >= 60, $"only {compared} reference files");
        Assert.True(report.Count == 0, string.Join('\n', report.Take(60)));
    }

    [Fact]
    public void Our_json_of_every_file_pydicom_reads_equals_pydicom_to_json_dict_for_all_non_bulk_elements()
        => CompareWithPydicom(corpus.Entries.Values, minimum: 60, Exceptions);

    [Fact]
    public void Our_json_of_every_character_set_file_equals_pydicom_to_json_dict()
        => CompareWithPydicom(corpus.CharsetEntries.Values, minimum: 15, CharsetExceptions);

    private static void CompareWithPydicom(IEnumerable<PydicomCorpus.Entry> entries, int minimum, (string File, string Path, string Reason)[] exceptions)
    {
        var report = new List<string>();
        var used = new HashSet<(string, string)>();
        var notCompared = new List<string>();
        int compared = 0;
        foreach (var entry in entries.Where(e => e.PydicomReads))
        {
            if (entry.Json is not { } reference)
            {
                notCompared.Add($"{entry.File}: pydicom reads it but its to_json_dict fails ({entry.JsonError})");
                continue;
            }
            DicomFile file;
            try { file = DicomFile.Open(entry.Path); }
            catch (DicomFormatException e)
            {
                report.AddRange(Unexplained(entry.File, [$"read: pydicom reads it, we reject it: {e.Message}"], used, exceptions));
                continue;
            }
            var ours = JsonDocument.Parse(DicomJsonWriter.WriteToString(file.Dataset)).RootElement;
            report.AddRange(Unexplained(entry.File, DicomJsonComparer.Compare(reference, ours), used, exceptions));
            compared++;
        }
        report.AddRange(exceptions.Where(x => !used.Contains((x.File, x.Path))).Select(x => $"stale exception {x.File} {x.Path}"));
        Assert.True(compared >= minimum, $"only {compared} files compared; not compared: {string.Join("; ", notCompared)}");
        Assert.True(report.Count == 0, $"{report.Count} differences in {compared} files:\n" + string.Join('\n', report.Take(80)));
    }

    [Fact]
    public void Our_json_of_every_corpus_file_reads_back_into_a_dataset_that_writes_the_same_text()
    {
        var options = new DicomJsonOptions();
        var report = new List<string>();
        int compared = 0;
        foreach (var path in Directory.GetFiles(PydicomCorpus.CorpusFolder, "*.dcm").Order(StringComparer.Ordinal))
        {
            DicomFile file;
            try { file = DicomFile.Open(path); }
            catch (DicomFormatException) { continue; }
            var first = DicomJsonWriter.WriteToString(file.Dataset, options);
            var again = DicomJsonWriter.WriteToString(DicomJsonReader.Read(first), options);
            if (first != again)
            {
                int at = Enumerable.Range(0, Math.Min(first.Length, again.Length)).FirstOrDefault(i => first[i] != again[i]);
                report.Add($"{Path.GetFileName(path)} at {at}: ...{first.Substring(Math.Max(0, at - 60), Math.Min(120, first.Length - Math.Max(0, at - 60)))}... vs ...{again.Substring(Math.Max(0, at - 60), Math.Min(120, again.Length - Math.Max(0, at - 60)))}...");
            }
            compared++;
        }
        Assert.True(compared >= 60, $"compared {compared}");
        Assert.True(report.Count == 0, string.Join('\n', report));
    }
}
