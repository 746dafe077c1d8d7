using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// A raw peer misbehaving at the wire level: each case must end in A-ABORT (or a closed connection), and the server
/// must then serve the next association.
/// </summary>
public sealed class HostileInputTests
{
    private static Task<TestServer> StartAsync() => TestServer.StartAsync(o => o with
    {
        Association = new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(1), PduBodyTimeout = TimeSpan.FromSeconds(1), MaxReceivePduLength = 16384 },
    });

    private static async Task AssertServerStillServesAsync(TestServer server)
        => Assert.True((await DicomClient.EchoAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" })).IsSuccess);

    private static byte[] Header(byte type, uint length)
    {
        var h = new byte[6];
        h[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(2), length);
        return h;
    }

    [Fact]
    public async Task An_unknown_pdu_type_is_answered_with_an_abort()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            await peer.WriteRawAsync(Header(0x55, 4).Concat(new byte[4]).ToArray());
            var abort = await peer.ExpectAbortAsync();
            Assert.Equal(AbortSource.ServiceProvider, abort!.Source);
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_pdu_longer_than_the_negotiated_maximum_is_answered_with_an_abort_before_it_is_read()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            await peer.WriteRawAsync(Header(4, 100_000_000));
            var abort = await peer.ExpectAbortAsync();
            Assert.Equal(AbortReason.InvalidPduParameterValue, abort!.Reason);
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_pdv_longer_than_its_pdu_is_answered_with_an_abort()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            var pdu = Header(4, 8).Concat(new byte[] { 0, 0, 0x10, 0, 1, 3, 0, 0 }).ToArray();
            await peer.WriteRawAsync(pdu);
            Assert.NotNull(await peer.ExpectAbortAsync());
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_truncated_pdu_followed_by_a_closed_connection_leaves_the_server_serving()
    {
        await using var server = await StartAsync();
        var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.WriteRawAsync(Header(4, 1000).Concat(new byte[10]).ToArray());
        peer.Socket.Shutdown(SocketShutdown.Send);
        Assert.Null(await peer.ExpectAbortAsync());
        await peer.DisposeAsync();
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_garbage_command_set_is_answered_with_an_abort()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            var garbage = new byte[] { 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 };
            await peer.SendAsync((new DataTransferPdu([new PresentationDataValue(1, true, true, garbage)])));
            Assert.NotNull(await peer.ExpectAbortAsync());
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_second_association_request_on_an_established_association_is_answered_with_an_abort()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            await peer.SendAsync((PduCodecTests.FullRequest()));
            var abort = await peer.ExpectAbortAsync();
            Assert.Equal(AbortSource.ServiceProvider, abort!.Source);
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_data_fragment_on_a_presentation_context_that_was_not_accepted_is_answered_with_an_abort()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            await peer.SendAsync((new DataTransferPdu([new PresentationDataValue(99, false, true, new byte[] { 1, 2 })])));
            Assert.NotNull(await peer.ExpectAbortAsync());
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_silent_connection_is_closed_when_the_artim_timer_expires()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.ConnectAsync(server.Port))
            Assert.Null(await peer.ReadAsync());
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_slow_loris_sender_is_aborted_when_its_pdu_does_not_complete_in_time()
    {
        await using var server = await StartAsync();
        await using (var peer = await WirePeer.AssociateAsync(server.Port))
        {
            await peer.WriteRawAsync(Header(4, 1000));
            // A byte every 100 ms for up to 60 s (600 bytes: the PDU never completes). A timeout that each byte restarted
            // would never fire while we trickle; the whole-PDU deadline (1 s here) must end it while we still do.
            const int MaxBytes = 600;
            int sent = 0;
            while (sent < MaxBytes && peer.Socket.Connected && peer.Socket.Available == 0)
            {
                try { await peer.WriteRawAsync(new byte[1]); }
                catch (IOException) { break; }
                sent++;
                await Task.Delay(100);
            }
            Assert.NotNull(await peer.ExpectAbortAsync());
            Assert.True(sent < MaxBytes, "the server let a PDU trickle in for 60 s");
        }
        await AssertServerStillServesAsync(server);
    }

    [Fact]
    public async Task A_million_element_data_set_is_streamed_to_disk_without_buffering_and_answered()
    {
        await using var server = await TestServer.StartAsync();
        // One million (0009,xxxx)-style private elements of 4 bytes each: 12 MB of tiny elements.
        const int count = 1_000_000;
        var data = new byte[count * 12];
        for (int i = 0; i < count; i++)
        {
            var s = data.AsSpan(i * 12);
            BinaryPrimitives.WriteUInt16LittleEndian(s, 0x0011);
            BinaryPrimitives.WriteUInt16LittleEndian(s[2..], (ushort)(0x1000 + (i % 0xE000)));
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 4);
        }
        var store = CStoreRequest.FromDataSetBytes(DicomUids.CTImageStorage.Uid, "1.2.3.4.5.6", "1.2.840.10008.1.2", data);
        await using var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" }, [store]);
        var rsp = await client.SendForFinalAsync(store);
        Assert.True(rsp.Status.IsSuccess, rsp.ToString());
        var stored = Assert.Single(server.Stored);
        Assert.Equal(data.Length, stored.DataSetLength);
        Assert.Equal(data.Length, new FileInfo(stored.Path).Length - DicomFileMeta.ReadHeader(stored.Path).DataSetOffset);
        await client.ReleaseAsync();
    }
}
