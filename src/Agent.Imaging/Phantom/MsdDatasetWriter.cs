using System.Globalization;
using System.Text.Json;
using Agent.Imaging.Nifti;

namespace Agent.Imaging.Phantom;

/// <summary>
/// A dataset in the Medical Segmentation Decathlon layout: <c>imagesTr/</c> and <c>labelsTr/</c> NIfTI pairs and
/// <c>dataset.json</c>. Cases are written as they are added, so a large dataset never sits in memory.
/// </summary>
public sealed class MsdDatasetWriter
{
    private readonly string _root;
    private readonly List<string> _cases = [];

    public MsdDatasetWriter(string root, string name, string description, string modality, IReadOnlyDictionary<byte, string> labels)
    {
        _root = root;
        Name = name;
        Description = description;
        Modality = modality;
        Labels = labels;
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
    }

    public string Name { get; }
    public string Description { get; }
    public string Modality { get; }
    public IReadOnlyDictionary<byte, string> Labels { get; }

    /// <summary>A dataset of phantoms: name, CT modality and the phantom's labels.</summary>
    public static MsdDatasetWriter ForPhantoms(string root)
        => new(root, "AbdomenPhantom", "Synthetic abdominal CT phantoms (liver, spleen, left and right kidney)", "CT", PhantomLabels.Names);

    /// <summary>
    /// Generates one phantom per seed from <paramref name="template"/> (its Seed is replaced; DICOM is not built) and
    /// writes them as an MSD dataset, one case in memory at a time. Case ids are <c>phantom_SEED</c>.
    /// </summary>
    public static async Task WritePhantomsAsync(string root, IEnumerable<int> seeds, PhantomOptions template, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(template);
        var writer = ForPhantoms(root);
        int done = 0;
        foreach (var seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var phantom = PhantomGenerator.Generate(template with { Seed = seed, CreateDicom = false });
            writer.Add(string.Create(CultureInfo.InvariantCulture, $"phantom_{seed:D4}"), phantom);
            progress?.Report(++done);
        }
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one case; <paramref name="caseId"/> becomes the file name and must be a plain name.</summary>
    public void Add(string caseId, Volume image, LabelVolume labels)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        if (caseId.Length == 0 || caseId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw new ArgumentException("case id must be letters, digits, '_' or '-'", nameof(caseId));
        if (image.Geometry.Size != labels.Geometry.Size) throw new ArgumentException("image and labels must share a grid", nameof(labels));
        // Int16 keeps CT exact (HU are integers) at half the size of float32.
        NiftiFile.Write(Path.Combine(_root, "imagesTr", caseId + ".nii.gz"), image, NiftiDataType.Int16);
        NiftiFile.Write(Path.Combine(_root, "labelsTr", caseId + ".nii.gz"), labels);
        _cases.Add(caseId);
    }

    public void Add(string caseId, PhantomCase phantom) => Add(caseId, phantom.Image, phantom.Labels);

    /// <summary>Writes dataset.json listing every case added so far.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", Name);
            w.WriteString("description", Description);
            w.WriteString("tensorImageSize", "3D");
            w.WriteString("licence", "CC0 (synthetic)");
            w.WriteStartObject("modality");
            w.WriteString("0", Modality);
            w.WriteEndObject();
            w.WriteStartObject("labels");
            foreach (var (value, label) in Labels.OrderBy(kv => kv.Key)) w.WriteString(value.ToString(CultureInfo.InvariantCulture), label);
            w.WriteEndObject();
            w.WriteNumber("numTraining", _cases.Count);
            w.WriteNumber("numTest", 0);
            w.WriteStartArray("training");
            foreach (var c in _cases)
            {
                w.WriteStartObject();
                w.WriteString("image", $"./imagesTr/{c}.nii.gz");
                w.WriteString("label", $"./labelsTr/{c}.nii.gz");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("test");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await File.WriteAllBytesAsync(Path.Combine(_root, "dataset.json"), ms.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
