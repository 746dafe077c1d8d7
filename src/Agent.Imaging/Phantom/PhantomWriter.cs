using System.Globalization;
using System.Text.Json;
using Agent.Dicom;
using Agent.Imaging.Nifti;

namespace Agent.Imaging.Phantom;

/// <summary>Writes a phantom the way a scanner export looks: DICOM files in shuffled order and names, plus NIfTI truth.</summary>
public static class PhantomWriter
{
    /// <summary>
    /// Writes <c>dicom/*.dcm</c> (Explicit VR Little Endian; file names and write order shuffled so neither reveals slice
    /// order), <c>labels.nii.gz</c>, <c>image.nii.gz</c> and <c>phantom.json</c> (the drawn parameters and organ centres).
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(PhantomCase phantom, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        Directory.CreateDirectory(folder);
        var files = await WriteDicomAsync(phantom, Path.Combine(folder, "dicom"), cancellationToken).ConfigureAwait(false);
        NiftiFile.Write(Path.Combine(folder, "labels.nii.gz"), phantom.Labels);
        NiftiFile.Write(Path.Combine(folder, "image.nii.gz"), phantom.Image, NiftiDataType.Int16);
        await File.WriteAllTextAsync(Path.Combine(folder, "phantom.json"), Describe(phantom), cancellationToken).ConfigureAwait(false);
        return files;
    }

    public static async Task<IReadOnlyList<string>> WriteDicomAsync(PhantomCase phantom, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        if (phantom.Slices.Count == 0) throw new InvalidOperationException("the phantom was generated without DICOM slices (CreateDicom = false)");
        Directory.CreateDirectory(folder);
        var order = Enumerable.Range(0, phantom.Slices.Count).ToArray();
        new Random(phantom.Scan.Seed ^ 0x51ced).Shuffle(order);
        var written = new List<string>(order.Length);
        for (int n = 0; n < order.Length; n++)
        {
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"IM{n:D5}.dcm"));
            var file = new DicomFile(phantom.Slices[order[n]], DicomTransferSyntax.ExplicitVRLittleEndian);
            await file.SaveAsync(path, null, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }
        return written;
    }

    private static string Describe(PhantomCase phantom)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            var s = phantom.Scan;
            w.WriteStartObject();
            w.WriteNumber("seed", s.Seed);
            w.WriteString("patientPosition", s.Position.ToString());
            w.WriteString("phase", s.Phase.ToString());
            w.WriteNumber("pixelSpacingMm", s.PixelSpacing);
            w.WriteNumber("sliceSpacingMm", s.SliceSpacing);
            w.WriteNumber("matrix", s.Matrix);
            w.WriteNumber("slices", s.SliceCount);
            w.WriteNumber("noiseHu", s.NoiseHu);
            w.WriteString("studyInstanceUid", s.StudyInstanceUid);
            w.WriteString("seriesInstanceUid", s.SeriesInstanceUid);
            w.WriteStartObject("labels");
            foreach (var (value, name) in PhantomLabels.Names) w.WriteString(value.ToString(CultureInfo.InvariantCulture), name);
            w.WriteEndObject();
            w.WriteStartObject("organCentresLps");
            foreach (var (label, c) in phantom.OrganCentres)
            {
                w.WriteStartArray(PhantomLabels.Names[label]);
                w.WriteNumberValue(c.X); w.WriteNumberValue(c.Y); w.WriteNumberValue(c.Z);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
