using System.Text.Json;
using Agent.Dicom;
using Agent.Imaging.Nifti;
using Agent.Imaging.Phantom;
using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Phantom;

public sealed class PhantomFilesTests
{
    private static PhantomCase Small(int seed, PatientPosition position, ContrastPhase phase) => PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = seed, Position = position, Phase = phase, Matrix = 96, PixelSpacing = 4.2, SliceSpacing = 5,
    });

    [Theory]
    [InlineData(PatientPosition.FFS, ContrastPhase.PortalVenous)]
    [InlineData(PatientPosition.HFS, ContrastPhase.NonContrast)]
    public async Task Written_slices_pass_dciodvfy_as_CT_images(PatientPosition position, ContrastPhase phase)
    {
        using var tmp = new TempFolder();
        var phantom = Small(21, position, phase);
        var files = await PhantomWriter.WriteDicomAsync(phantom, tmp.Path, CancellationToken.None);

        var (_, output) = await Tool.RunAsync("dciodvfy", files[0]);

        Assert.Contains("CTImage", output, StringComparison.Ordinal);
        var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 0, output);
    }

    [Fact]
    public async Task Files_read_back_in_directory_order_rebuild_the_phantom_volume()
    {
        using var tmp = new TempFolder();
        var phantom = Small(22, PatientPosition.FFS, ContrastPhase.NonContrast);
        var files = await PhantomWriter.WriteAsync(phantom, tmp.Path, CancellationToken.None);

        var names = Directory.GetFiles(Path.Combine(tmp.Path, "dicom")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files.Count, names.Length);
        var instanceNumbers = names.Select(n => DicomFile.Open(n).Dataset.GetNumber<int>(new DicomTag(0x00200013))!.Value).ToArray();
        Assert.NotEqual(instanceNumbers.Order(), instanceNumbers); // the names do not give away the slice order

        var series = SeriesVolumeBuilder.Build(names.Select(n => DicomFile.Open(n).Dataset));
        Assert.Empty(series.Report.Issues);
        Assert.Equal(phantom.Image.Voxels, series.Volume!.Voxels);

        var labels = NiftiFile.ReadLabels(Path.Combine(tmp.Path, "labels.nii.gz"));
        Assert.Equal(phantom.Labels.Labels, labels.Labels);
        Assert.Equal(phantom.Labels.Geometry.Origin.Z, labels.Geometry.Origin.Z, 3);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tmp.Path, "phantom.json")));
        Assert.Equal("FFS", json.RootElement.GetProperty("patientPosition").GetString());
    }

    [Fact]
    public async Task Pydicom_decodes_the_same_Hounsfield_units_and_position()
    {
        using var tmp = new TempFolder();
        var phantom = Small(23, PatientPosition.HFS, ContrastPhase.PortalVenous);
        var files = await PhantomWriter.WriteDicomAsync(phantom, tmp.Path, CancellationToken.None);
        var file = files[0];
        var ds = DicomFile.Open(file).Dataset;
        var sop = ds.GetString(new DicomTag(0x00080018));
        var acquisitionIndex = phantom.Slices.Select((s, i) => (s, i)).Single(t => t.s.GetString(new DicomTag(0x00080018)) == sop).i;
        int k = phantom.Image.Geometry.Size.Z - 1 - acquisitionIndex; // HFS: acquisition runs head to feet, the normal points to the head

        var json = await Python.RunAsync("""
            import sys, json, pydicom, numpy as np
            d = pydicom.dcmread(sys.argv[1])
            hu = d.pixel_array.astype(np.float64) * float(d.RescaleSlope) + float(d.RescaleIntercept)
            print(json.dumps({"ipp": [float(v) for v in d.ImagePositionPatient], "hu": [hu[10, 20], hu[50, 40]]}))
            """, file);

        using var doc = JsonDocument.Parse(json);
        var ipp = phantom.Image.Geometry.IndexToPatient(0, 0, k);
        var got = doc.RootElement.GetProperty("ipp").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(ipp.X, got[0], 4);
        Assert.Equal(ipp.Y, got[1], 4);
        Assert.Equal(ipp.Z, got[2], 4);
        var hu = doc.RootElement.GetProperty("hu").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(phantom.Image.At(20, 10, k), hu[0]);
        Assert.Equal(phantom.Image.At(40, 50, k), hu[1]);
    }

    [Fact]
    public async Task MSD_dataset_has_image_label_pairs_and_a_dataset_json_listing_them()
    {
        using var tmp = new TempFolder();
        await MsdDatasetWriter.WritePhantomsAsync(tmp.Path, [1, 2], new PhantomOptions { Matrix = 64, PixelSpacing = 6, SliceSpacing = 6 }, null, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(tmp.File("dataset.json")));
        Assert.Equal(2, json.RootElement.GetProperty("numTraining").GetInt32());
        Assert.Equal("kidney_left", json.RootElement.GetProperty("labels").GetProperty("3").GetString());
        foreach (var entry in json.RootElement.GetProperty("training").EnumerateArray())
        {
            var image = NiftiFile.Read(Path.Combine(tmp.Path, entry.GetProperty("image").GetString()!));
            var label = NiftiFile.ReadLabels(Path.Combine(tmp.Path, entry.GetProperty("label").GetString()!));
            Assert.Equal(image.Geometry.Size, label.Geometry.Size);
            Assert.Contains(label.Labels, l => l == PhantomLabels.Spleen);
        }
        Assert.True(File.Exists(tmp.File("imagesTr/phantom_0002.nii.gz")));
    }
}
