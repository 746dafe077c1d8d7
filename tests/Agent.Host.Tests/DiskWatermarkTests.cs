using System.Diagnostics;
using System.Globalization;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Host.Tests;

public sealed class DiskWatermarkTests
{
    [Fact]
    public void Associations_are_refused_below_the_free_space_watermark_and_accepted_above_it()
    {
        var free = 500L * 1024 * 1024;
        var watermark = new DiskWatermark("/tmp", 1024, NullLogger<DiskWatermark>.Instance, _ => free);
        Assert.Equal("only 500 MB free for received data (minimum 1024 MB)", watermark.Refusal("PACS"));
        free = 2048L * 1024 * 1024;
        Assert.Null(watermark.Refusal("PACS"));
    }

    [Fact]
    public async Task A_low_disk_rejection_is_transient_so_senders_retry_later()
    {
        var watermark = new DiskWatermark("/tmp", 1024, NullLogger<DiskWatermark>.Instance, _ => 0);
        var request = new AssociateRequestPdu { CallingAeTitle = "PACS", CalledAeTitle = "AGENT" };
        var result = await watermark.AuthorizeAsync(new AssociationRequestInfo("PACS", "AGENT", null, null, request, null), CancellationToken.None);
        Assert.False(result.Accepted);
        Assert.True(result.Transient);
    }

    [Fact]
    public async Task A_real_sender_is_rejected_when_the_data_folder_is_below_the_watermark()
    {
        using var home = new TempHome();
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Storage__MinFreeSpaceMB"] = "1000000000", // a petabyte: no disk here has that much free
            ["AGENT__Jobs__Workers"] = "0",
        });
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            var port = host.Services.GetRequiredService<DicomServerService>().Port;
            var files = TestInstances.WriteSeries(Path.Combine(home.Path, "s"), 1);
            var storescu = Storescu.Start(port, "MODALITY", files);
            Assert.NotEqual(0, await storescu.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("Association Rejected", storescu.Log, StringComparison.Ordinal);
            Assert.Contains("Rejected Transient", storescu.Log, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(home.Path, "data", "instances"), "*", SearchOption.AllDirectories));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
