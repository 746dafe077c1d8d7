using System.Globalization;
using System.Text.Json;

namespace Agent.Imaging.Phantom;

/// <summary>One case of an MSD dataset: the image and (for training cases) the label file, as full paths.</summary>
public sealed record MsdCase(string Id, string ImagePath, string? LabelPath);

/// <summary>
/// A Medical Segmentation Decathlon dataset read from its <c>dataset.json</c>. Paths in the file must stay inside
/// the dataset folder; anything else (or malformed JSON) raises <see cref="InvalidDataException"/>.
/// </summary>
public sealed class MsdDataset
{
    private MsdDataset(string root, string name, IReadOnlyDictionary<int, string> modality, IReadOnlyDictionary<byte, string> labels,
        IReadOnlyList<MsdCase> training, IReadOnlyList<MsdCase> test)
    {
        Root = root;
        Name = name;
        Modality = modality;
        Labels = labels;
        Training = training;
        Test = test;
    }

    public string Root { get; }
    public string Name { get; }
    public IReadOnlyDictionary<int, string> Modality { get; }
    public IReadOnlyDictionary<byte, string> Labels { get; }
    public IReadOnlyList<MsdCase> Training { get; }
    public IReadOnlyList<MsdCase> Test { get; }

    public static MsdDataset Read(string root)
    {
        var full = Path.GetFullPath(root);
        var jsonPath = Path.Combine(full, "dataset.json");
        if (!File.Exists(jsonPath)) throw new InvalidDataException($"{jsonPath} does not exist");
        if (new FileInfo(jsonPath).Length > 64 << 20) throw new InvalidDataException("dataset.json is larger than 64 MB");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath), new JsonDocumentOptions { MaxDepth = 16 });
            var r = doc.RootElement;
            var name = r.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileName(full);
            var modality = new Dictionary<int, string>();
            if (r.TryGetProperty("modality", out var m) && m.ValueKind == JsonValueKind.Object)
                foreach (var p in m.EnumerateObject()) modality[int.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetString() ?? "";
            var labels = new Dictionary<byte, string>();
            if (r.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
                foreach (var p in l.EnumerateObject()) labels[byte.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetString() ?? "";
            var training = new List<MsdCase>();
            if (r.TryGetProperty("training", out var t) && t.ValueKind == JsonValueKind.Array)
                foreach (var e in t.EnumerateArray())
                {
                    var image = Resolve(full, e.GetProperty("image").GetString());
                    training.Add(new MsdCase(CaseId(image), image, Resolve(full, e.GetProperty("label").GetString())));
                }
            var test = new List<MsdCase>();
            if (r.TryGetProperty("test", out var te) && te.ValueKind == JsonValueKind.Array)
                foreach (var e in te.EnumerateArray())
                {
                    var image = Resolve(full, e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetProperty("image").GetString());
                    test.Add(new MsdCase(CaseId(image), image, null));
                }
            return new MsdDataset(full, name, modality, labels, training, test);
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{jsonPath} is not a valid MSD dataset.json: {e.Message}", e);
        }
    }

    private static string Resolve(string root, string? relative)
    {
        if (string.IsNullOrEmpty(relative)) throw new InvalidDataException("a case entry has an empty path");
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"case path '{relative}' leaves the dataset folder");
        return path;
    }

    private static string CaseId(string imagePath)
    {
        var name = Path.GetFileName(imagePath);
        foreach (var ext in new[] { ".nii.gz", ".nii" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return name[..^ext.Length];
        return name;
    }
}
