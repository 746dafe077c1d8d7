using Agent.Dicom;

namespace Agent.Host.Routing;

/// <summary>The DICOM files of one series found in a folder, with the header rules look at.</summary>
public sealed record FolderSeries(string SeriesInstanceUid, string? StudyInstanceUid, DicomDataset Header, IReadOnlyList<string> Files);

/// <summary>Groups the DICOM files under a folder by Series Instance UID; files that are not DICOM are counted, not fatal.</summary>
public static class FolderScanner
{
    private static readonly DicomTag SeriesUid = new(0x0020000E);
    private static readonly DicomTag StudyUid = new(0x0020000D);

    /// <summary>At most this many files are looked at (a dry run over a whole archive is not what this is for).</summary>
    public const int MaxFiles = 200_000;

    public static (IReadOnlyList<FolderSeries> Series, int Skipped) Scan(string path, CancellationToken cancellationToken)
    {
        var files = File.Exists(path)
            ? [path]
            : Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Take(MaxFiles + 1).ToList();
        if (files.Count > MaxFiles) throw new IOException($"{path} holds more than {MaxFiles} files");
        var bySeries = new Dictionary<string, (DicomDataset Header, List<string> Files)>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            DicomDataset header;
            try
            {
                header = RoutingFacts.ReadHeader(file, cancellationToken);
            }
            catch (Exception e) when (e is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                skipped++;
                continue;
            }
            var uid = header.GetString(SeriesUid);
            if (string.IsNullOrEmpty(uid))
            {
                skipped++;
                continue;
            }
            if (bySeries.TryGetValue(uid, out var entry)) entry.Files.Add(file);
            else bySeries[uid] = (header, [file]);
        }
        var series = bySeries.Select(kv => new FolderSeries(kv.Key, kv.Value.Header.GetString(StudyUid), kv.Value.Header, kv.Value.Files)).ToList();
        return (series, skipped);
    }
}
