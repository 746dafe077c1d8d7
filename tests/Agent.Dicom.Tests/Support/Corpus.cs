namespace Agent.Dicom.Tests.Support;

/// <summary>pydicom's test files (python3-pydicom), the real-world corpus our reader must cope with.</summary>
public static class Corpus
{
    public const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>Every DICOM candidate in the corpus (the .dcm files and the DICOMDIR test tree), relative paths.</summary>
    /// <remarks>pydicom's character set and palette files are included too, as "../charset_files/..." and "../palettes/...".</remarks>
    public static IReadOnlyList<string> Files { get; } = Directory.Exists(Folder)
        ? new[] { Folder, System.IO.Path.Combine(Folder, "../charset_files"), System.IO.Path.Combine(Folder, "../palettes") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase)
                || System.IO.Path.GetFileName(f).StartsWith("DICOMDIR", StringComparison.Ordinal)
                || (f.Contains("/dicomdirtests/", StringComparison.Ordinal) && !System.IO.Path.HasExtension(f)))
            .Select(f => System.IO.Path.GetRelativePath(Folder, f))
            .Order(StringComparer.Ordinal)
            .ToArray()
        : [];

    public static string Path(string relative) => System.IO.Path.Combine(Folder, relative);

    public static TheoryData<string> AllFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Files) data.Add(f);
        return data;
    }
}
