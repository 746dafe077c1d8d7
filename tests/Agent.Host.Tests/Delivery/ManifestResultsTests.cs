using Agent.Host.Delivery;
using Agent.Inference.Packages;

namespace Agent.Host.Tests.Delivery;

public sealed class ManifestResultsTests
{
    [Fact]
    public void The_bundled_abdomen_labels_become_seg_segments_with_their_codes_laterality_and_colour()
    {
        var segments = AbdomenLabels.All.Select(ManifestResults.Segment).ToList();
        Assert.Equal(["liver", "spleen", "kidney_left", "kidney_right"], segments.Select(s => s.Label));
        Assert.Equal(("SCT", "91723000"), (segments[0].Category.Scheme, segments[0].Category.Value));
        Assert.Equal("10200004", segments[0].Type.Value);
        Assert.Null(segments[0].TypeModifier);
        Assert.Equal("7771000", segments[2].TypeModifier?.Value);
        Assert.Equal(new byte[] { 221, 130, 101 }, segments[0].Rgb);
    }
}
