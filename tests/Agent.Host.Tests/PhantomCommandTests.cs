using Agent.Dicom;
using Agent.Host.Cli;

namespace Agent.Host.Tests;

public sealed class PhantomCommandTests
{
    [Fact]
    public async Task Phantom_writes_a_reproducible_ct_series_with_labels()
    {
        using var home = new TempHome();
        var outputs = new List<string>();
        foreach (var name in new[] { "a", "b" })
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = await CliApp.RunAsync(["phantom", Path.Combine(home.Path, name), "--seed", "7", "--matrix", "64"],
                new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?>() }, CancellationToken.None);
            Assert.True(code == ExitCodes.Ok, error.ToString());
            outputs.Add(output.ToString());
        }
        var files = Directory.GetFiles(Path.Combine(home.Path, "a", "dicom"), "*.dcm");
        Assert.NotEmpty(files);
        Assert.True(File.Exists(Path.Combine(home.Path, "a", "labels.nii.gz")));
        var first = DicomFile.Open(files[0]).Dataset;
        Assert.Equal("CT", first.GetString(DicomTags.Modality));
        Assert.Equal(64, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(((DicomElement)first.GetItem(DicomTags.Rows)!).Buffer.Span));
        Assert.Equal(outputs[0], outputs[1].Replace(Path.Combine(home.Path, "b"), Path.Combine(home.Path, "a"), StringComparison.Ordinal)); // same seed, same study
    }
}
