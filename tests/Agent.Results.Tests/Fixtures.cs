using Agent.Dicom;
using Agent.Imaging.Phantom;
using Agent.Imaging.Series;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;

namespace Agent.Results.Tests;

/// <summary>A small phantom CT and the four abdominal segments, as the pipeline would hand them to the writers.</summary>
internal static class Fixtures
{
    public static AlgorithmIdentity Algorithm { get; } = new("abdomen-unet", "1.2.0");

    private static Code Anatomical { get; } = new("SCT", "91723000", "Anatomical Structure");

    public static IReadOnlyList<SegmentDefinition> Segments { get; } =
    [
        new(1, "liver", Anatomical, new("SCT", "10200004", "Liver"), [221, 130, 101]),
        new(2, "spleen", Anatomical, new("SCT", "78961009", "Spleen"), [157, 108, 162]),
        new(3, "kidney_left", Anatomical, new("SCT", "64033007", "Kidney"), [185, 102, 83]) { TypeModifier = new("SCT", "7771000", "Left") },
        new(4, "kidney_right", Anatomical, new("SCT", "64033007", "Kidney"), [212, 126, 151]) { TypeModifier = new("SCT", "24028007", "Right") },
    ];

    public static (PhantomCase Phantom, SeriesVolume Series, SegmentationSource Source) Phantom(int seed = 7, int matrix = 64, double sliceSpacing = 5)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Matrix = matrix, PixelSpacing = 420.0 / matrix, SliceSpacing = sliceSpacing, PatientName = "Phantom^Results", PatientId = "RES-1" });
        var series = SeriesVolumeBuilder.Build(phantom.Slices);
        Assert.True(series.IsUsable, "the phantom series must reconstruct");
        // The field of view covers the whole abdomen, so every organ is present.
        for (byte label = 1; label <= 4; label++) Assert.Contains(label, phantom.Labels.Labels);
        return (phantom, series, SegmentationSource.FromSeries(series, phantom.Slices));
    }

    public static SegmentationOptions SegOptions => new() { Algorithm = Algorithm };
}
