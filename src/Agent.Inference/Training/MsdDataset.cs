using System.Text.Json;
using Agent.Imaging.Nifti;

namespace Agent.Inference.Training;

/// <summary>
/// A Medical Segmentation Decathlon dataset: <c>dataset.json</c> (labels, modality, <c>training</c> list of
/// image/label NIfTI pairs under imagesTr/ and labelsTr/). Paths are resolved inside the dataset folder only.
/// </summary>
public sealed class MsdDataset
{
    private const long MaxJsonBytes = 16 * 1024 * 1024;

    private MsdDataset(string root, string name, string modality, IReadOnlyDictionary<int, string> labels, IReadOnlyList<(string Id, string Image, string Label)> training)
    {
        Root = root;
        Name = name;
        Modality = modality;
        Labels = labels;
        Training = training;
    }

    public string Root { get; }
    public string Name { get; }

    /// <summary>Channel 0's modality ("CT", "MRI", ...).</summary>
    public string Modality { get; }

    /// <summary>Label value to name, background included.</summary>
    public IReadOnlyDictionary<int, string> Labels { get; }

    public IReadOnlyList<(string Id, string Image, string Label)> Training { get; }

    /// <exception cref="InvalidDataException">A malformed dataset.json or a path leaving the dataset folder.</exception>
    public static MsdDataset Open(string root)
    {
        root = Path.GetFullPath(root);
        var jsonPath = Path.Combine(root, "dataset.json");
        var info = new FileInfo(jsonPath);
        if (!info.Exists) throw new InvalidDataException($"{jsonPath}: missing (not an MSD dataset folder)");
        if (info.Length > MaxJsonBytes) throw new InvalidDataException($"{jsonPath}: larger than {MaxJsonBytes} bytes");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath), new JsonDocumentOptions { MaxDepth = 16 });
            var r = doc.RootElement;
            string name = r.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            string modality = r.TryGetProperty("modality", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("0", out var m0) ? m0.GetString() ?? "" : "";
            var labels = new SortedDictionary<int, string>();
            foreach (var p in r.GetProperty("labels").EnumerateObject())
            {
                if (!int.TryParse(p.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) || v > 255)
                    throw new InvalidDataException($"{jsonPath}: labels: key '{p.Name}' is not a label value 0-255");
                labels[v] = p.Value.GetString() ?? "";
            }
            var training = new List<(string, string, string)>();
            foreach (var e in r.GetProperty("training").EnumerateArray())
            {
                var image = Inside(root, e.GetProperty("image").GetString(), jsonPath);
                var label = Inside(root, e.GetProperty("label").GetString(), jsonPath);
                var id = Path.GetFileName(image);
                id = id.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase) ? id[..^7] : Path.GetFileNameWithoutExtension(id);
                training.Add((id, image, label));
            }
            return new MsdDataset(root, name, modality, labels, training);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{jsonPath}: {e.Message}", e);
        }
    }

    /// <summary>Reads one case's image and labels (a few hundred MB at most for a CT; read cases one at a time).</summary>
    public TrainingCase Load(int index)
    {
        var (id, image, label) = Training[index];
        var volume = NiftiFile.ReadVolume(image);
        var labels = NiftiFile.ReadLabels(label);
        if (volume.Geometry.Size != labels.Geometry.Size)
            throw new InvalidDataException($"{id}: image {volume.Geometry.Size} and labels {labels.Geometry.Size} differ in size");
        // The label map is taken on the image's grid: MSD pairs share it, and small header rounding must not shift it.
        return new TrainingCase(id, volume, new Agent.Imaging.LabelVolume(volume.Geometry, labels.Labels));
    }

    /// <summary>
    /// Deterministic split: every <paramref name="every"/>-th case (by sorted id) is held out for validation.
    /// </summary>
    public (IReadOnlyList<int> Train, IReadOnlyList<int> Validation) Split(int every = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 2);
        var order = Enumerable.Range(0, Training.Count).OrderBy(i => Training[i].Id, StringComparer.Ordinal).ToArray();
        var val = order.Where((_, k) => k % every == every - 1).ToArray();
        return (order.Except(val).ToArray(), val);
    }

    private static string Inside(string root, string? relative, string jsonPath)
    {
        if (string.IsNullOrEmpty(relative)) throw new InvalidDataException($"{jsonPath}: training entry without a path");
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{jsonPath}: '{relative}' points outside the dataset folder");
        return full;
    }
}
