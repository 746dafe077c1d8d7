using Agent.Imaging.Phantom;
using Agent.Inference.Training;

namespace Agent.Inference.Tests;

public sealed class MsdDatasetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infer-msd-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_phantom_dataset_in_MSD_layout_opens_with_its_labels_and_cases()
    {
        var template = new PhantomOptions { Matrix = 48, PixelSpacing = 8, SliceSpacing = 10, NoiseHu = 10 };
        await MsdDatasetWriter.WritePhantomsAsync(folder, [3, 1, 2], template, null, CancellationToken.None);

        var dataset = MsdDataset.Open(folder);
        var first = dataset.Load(0);
        var (train, validation) = dataset.Split(every: 3);

        Assert.Equal("CT", dataset.Modality);
        Assert.Equal("kidney_left", dataset.Labels[3]);
        Assert.Equal(3, dataset.Training.Count);
        Assert.Equal(first.Image.Geometry, first.Labels.Geometry);
        Assert.Contains(first.Labels.Labels, l => l == 1);
        Assert.Single(validation);
        Assert.Equal(2, train.Count);
    }

    [Fact]
    public async Task A_dataset_json_pointing_outside_its_folder_is_refused()
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "dataset.json"),
            """{"labels": {"0": "background"}, "training": [{"image": "../../etc/passwd", "label": "./labelsTr/a.nii.gz"}]}""");
        var ex = Assert.Throws<InvalidDataException>(() => MsdDataset.Open(folder));
        Assert.Contains("outside the dataset folder", ex.Message, StringComparison.Ordinal);
    }
}
