using Agent.Dicom;
using Agent.Results.KeyImages;
using SkiaSharp;

namespace Agent.Results.Tests;

public sealed class KeyImageTests
{
    private static readonly KeyImageOptions Options = new() { Algorithm = Fixtures.Algorithm };

    [Fact]
    public async Task Dciodvfy_reports_no_errors_for_the_key_images_and_they_are_flagged_as_burned_in()
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 9);
        var images = KeyImageWriter.Write(phantom.Image, phantom.Labels, source, Fixtures.Segments, Options);
        Assert.InRange(images.Count, 1, Fixtures.Segments.Count);
        using var tmp = new TempFolder();
        foreach (var (file, i) in images.Select((f, i) => (f, i)))
        {
            Assert.Equal("YES", file.Dataset.GetString(DicomTags.BurnedInAnnotation));
            var path = tmp.File($"ki{i}.dcm");
            file.Save(path);
            var (_, output) = await Tool.RunAsync("dciodvfy", path);
            Assert.True(!output.Split('\n').Any(l => l.StartsWith("Error", StringComparison.Ordinal)), output);
        }
    }

    [Fact]
    public void Each_segment_gets_a_key_slice_where_it_is_largest()
    {
        var (phantom, _, _) = Fixtures.Phantom(seed: 9);
        var slices = KeyImageWriter.RepresentativeSlices(phantom.Labels, Fixtures.Segments);
        var (nx, ny, nz) = phantom.Labels.Geometry.Size;
        var liverAreas = Enumerable.Range(0, nz).Select(k => phantom.Labels.Labels.AsSpan(k * nx * ny, nx * ny).Count((byte)1)).ToArray();
        Assert.Equal(Array.IndexOf(liverAreas, liverAreas.Max()), slices[0]);
    }

    [Fact]
    public void The_rendered_slice_shows_segment_outlines_in_their_colours()
    {
        var (phantom, _, _) = Fixtures.Phantom(seed: 9);
        var k = KeyImageWriter.RepresentativeSlices(phantom.Labels, Fixtures.Segments)[0];
        var (rgb, width, height) = KeyImageWriter.Render(phantom.Image, phantom.Labels, Fixtures.Segments, k, Options);
        Assert.True(width >= 512 && height >= 512);
        var liver = Fixtures.Segments[0].Rgb;
        int liverPixels = 0;
        for (int p = 0; p < rgb.Length; p += 3) if (rgb[p] == liver[0] && rgb[p + 1] == liver[1] && rgb[p + 2] == liver[2]) liverPixels++;
        Assert.True(liverPixels > 100, $"{liverPixels} liver-coloured pixels");
        var png = Environment.GetEnvironmentVariable("AGENT_KEY_IMAGE_PNG");
        if (png is not null) SavePng(rgb, width, height, png);
    }

    private static void SavePng(byte[] rgb, int width, int height, string path)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int p = (y * width + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(rgb[p], rgb[p + 1], rgb[p + 2]));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 90);
        File.WriteAllBytes(path, data.ToArray());
    }
}
