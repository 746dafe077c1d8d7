using System.Net;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Server;

namespace Agent.Dicom.Network.Tests;

public sealed class DualStackTests
{
    [Fact]
    public async Task Binding_ipv6_any_serves_ipv6_and_ipv4_peers_and_reports_ipv4_peers_as_ipv4()
    {
        await using var server = await TestServer.StartAsync(o => o with { BindAddress = IPAddress.IPv6Any });
        Assert.True((await DicomClient.EchoAsync(new DicomClientOptions { Host = "::1", Port = server.Port, CalledAeTitle = "AGENT" })).IsSuccess);

        var store = Dimse.CStoreRequest.FromFile(Tools.TestFile("CT_small.dcm"));
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" };
        await using (var client = await DicomClient.ConnectForAsync(options, [store]))
        {
            Assert.True((await client.SendForFinalAsync(store)).Status.IsSuccess);
            await client.ReleaseAsync();
        }
        var remote = Assert.Single(server.Stored).Request.Association.RemoteEndPoint;
        Assert.Equal(IPAddress.Loopback, remote!.Address);
    }

    [Fact]
    public async Task The_default_bind_address_is_ipv4_only()
    {
        Assert.Equal(IPAddress.Any, new DicomServerOptions().BindAddress);
        await using var server = await TestServer.StartAsync(o => o with { BindAddress = IPAddress.Any });
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => DicomClient.EchoAsync(new DicomClientOptions { Host = "::1", Port = server.Port, CalledAeTitle = "AGENT" }));
    }
}
