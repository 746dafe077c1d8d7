using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

/// <summary>Our SCP against DCMTK's SCUs and our SCU against DCMTK's storescp, on loopback.</summary>
public sealed class InteropWithDcmtkTests
{
    [Fact]
    public async Task Echoscu_gets_a_successful_echo_from_our_server()
    {
        await using var server = await TestServer.StartAsync();
        var r = await Tools.RunAsync("echoscu", ["-aet", "ECHOSCU", "-aec", "AGENT", "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Theory]
    [InlineData("CT_small.dcm", "--propose-little")]
    [InlineData("MR_small_RLE.dcm", "--propose-rle")]
    [InlineData("liver_1frame.dcm", "--propose-little")]
    [InlineData("SC_rgb_rle_2frame.dcm", "--propose-rle")]
    [InlineData("MR_small_jp2klossless.dcm", "--propose-j2k-lossless")]
    [InlineData("test-SR.dcm", "--propose-little")]
    public async Task Storescu_stores_a_file_and_we_keep_its_elements_and_transfer_syntax(string name, string propose)
    {
        await using var server = await TestServer.StartAsync();
        var source = Tools.TestFile(name);
        var r = await Tools.RunAsync("storescu", ["-aet", "STORESCU", "-aec", "AGENT", "-R", propose, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), source]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var stored = Assert.Single(server.Stored);
        Assert.Equal(DicomFileMeta.ReadHeader(source).TransferSyntaxUid, stored.Request.TransferSyntaxUid);
        Assert.Equal(await Dcmdump.DataSetAsync(source), await Dcmdump.DataSetAsync(stored.Path));
    }

    [Theory]
    [InlineData("--propose-implicit", "1.2.840.10008.1.2")]
    [InlineData("--propose-little", "1.2.840.10008.1.2.1")]
    [InlineData("--propose-big", "1.2.840.10008.1.2.2")]
    [InlineData("--propose-deflated", "1.2.840.10008.1.2.1.99")]
    public async Task Storescu_converts_to_the_one_syntax_our_server_is_configured_to_accept(string propose, string syntax)
    {
        await using var server = await TestServer.StartAsync(o => o with { TransferSyntaxes = [syntax] });
        var source = Tools.TestFile("CT_small.dcm");
        var r = await Tools.RunAsync("storescu", ["-aet", "STORESCU", "-aec", "AGENT", "-R", propose, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), source]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var stored = Assert.Single(server.Stored);
        Assert.Equal(syntax, stored.Request.TransferSyntaxUid);
        Assert.Equal(syntax, DicomFileMeta.ReadHeader(stored.Path).TransferSyntaxUid);
        Assert.Equal(await Dcmdump.DataSetAsync(source), await Dcmdump.DataSetAsync(stored.Path));
    }

    [Theory]
    [InlineData("4096")]
    [InlineData("131072")]
    public async Task Storescu_with_small_and_big_pdus_stores_many_files(string maxPdu)
    {
        await using var server = await TestServer.StartAsync();
        var files = new[] { "CT_small.dcm", "MR_small.dcm", "rtdose.dcm", "liver_1frame.dcm", "rtplan.dcm" }.Select(Tools.TestFile).ToArray();
        var r = await Tools.RunAsync("storescu", ["-aet", "STORESCU", "-aec", "AGENT", "-R", "--max-pdu", maxPdu, "--max-send-pdu", maxPdu, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(files.Length, server.Stored.Count);
        var storedDumps = new HashSet<string>();
        foreach (var s in server.Stored) storedDumps.Add(await Dcmdump.DataSetAsync(s.Path));
        foreach (var f in files) Assert.Contains(await Dcmdump.DataSetAsync(f), storedDumps);
    }

    [Fact]
    public async Task Our_client_stores_to_dcmtk_storescp_which_writes_the_same_data_set()
    {
        using var folder = new TempFolder();
        var port = Tools.FreePort();
        using var storescp = Tools.Start("storescp", ["-aet", "STORESCP", "--output-directory", folder.Path, "+xa", "--max-pdu", "131072", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            await Tools.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
            var files = new[] { "CT_small.dcm", "liver_1frame.dcm", "MR_small_jpeg_ls_lossless.dcm" }.Select(Tools.TestFile).ToArray();
            var requests = files.Select(CStoreRequest.FromFile).ToList();
            var options = new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "STORESCP" };
            await using (var client = await DicomClient.ConnectForAsync(options, requests))
            {
                Assert.Equal(131072u, client.Association.PeerMaxPduLength);
                foreach (var rq in requests)
                {
                    var rsp = await client.SendForFinalAsync(rq);
                    Assert.True(rsp.Status.IsSuccess, rsp.ToString());
                }
                await client.ReleaseAsync();
            }
            foreach (var f in files)
            {
                var uid = DicomFileMeta.ReadHeader(f).SopInstanceUid;
                var written = Directory.GetFiles(folder.Path).Single(p => DicomFileMeta.ReadHeader(p).SopInstanceUid == uid);
                Assert.Equal(DicomFileMeta.ReadHeader(f).TransferSyntaxUid, DicomFileMeta.ReadHeader(written).TransferSyntaxUid);
                Assert.Equal(await Dcmdump.DataSetAsync(f), await Dcmdump.DataSetAsync(written));
            }
        }
        finally
        {
            storescp.Kill();
        }
    }

    [Fact]
    public async Task Our_client_echoes_dcmtk_storescp()
    {
        var port = Tools.FreePort();
        using var storescp = Tools.Start("storescp", ["-aet", "STORESCP", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            await Tools.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
            var status = await DicomClient.EchoAsync(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "STORESCP" });
            Assert.True(status.IsSuccess);
        }
        finally
        {
            storescp.Kill();
        }
    }

    /// <summary>The data set bytes after the meta information are identical: nothing was transcoded.</summary>
    internal static void AssertSameDataSet(string expectedFile, string actualFile)
    {
        var a = DicomFileMeta.ReadHeader(expectedFile);
        var b = DicomFileMeta.ReadHeader(actualFile);
        Assert.Equal(a.TransferSyntaxUid, b.TransferSyntaxUid);
        Assert.Equal(a.SopInstanceUid, b.SopInstanceUid);
        var x = File.ReadAllBytes(expectedFile).AsSpan((int)a.DataSetOffset);
        var y = File.ReadAllBytes(actualFile).AsSpan((int)b.DataSetOffset);
        Assert.True(x.SequenceEqual(y), $"data set of {actualFile} differs from {expectedFile} ({x.Length} vs {y.Length} bytes)");
    }
}

public sealed class StoreSenderTests
{
    [Fact]
    public async Task Sending_a_folder_stores_every_dicom_file_and_reports_the_others()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "CT_small.dcm", "liver_1frame.dcm", "MR_small_RLE.dcm" })
            File.Copy(Tools.TestFile(name), folder.Combine(name));
        await File.WriteAllTextAsync(folder.Combine("notes.txt"), "not DICOM");
        await using var server = await TestServer.StartAsync();
        var progress = new List<Agent.Dicom.Network.Client.StoreProgress>();
        var results = await Agent.Dicom.Network.Client.DicomStoreSender.SendAsync(
            new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" }, [folder.Path],
            new SynchronousProgress(progress.Add));
        Assert.Equal(4, results.Count);
        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.Contains(results, r => r.Path.EndsWith("notes.txt", StringComparison.Ordinal) && r.Error is not null);
        Assert.Equal(4, progress[^1].Done);
        foreach (var s in server.Stored)
            InteropWithDcmtkTests.AssertSameDataSet(folder.Combine(Path.GetFileName(results.Single(r => r.SopInstanceUid == s.Request.SopInstanceUid).Path)), s.Path);
    }

    private sealed class SynchronousProgress(Action<Agent.Dicom.Network.Client.StoreProgress> report) : IProgress<Agent.Dicom.Network.Client.StoreProgress>
    {
        public void Report(Agent.Dicom.Network.Client.StoreProgress value) => report(value);
    }
}
