using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Dicom;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Tests;

public sealed class PduCodecTests
{
    public static AssociateRequestPdu FullRequest() => new()
    {
        CalledAeTitle = "ARCHIVE", CallingAeTitle = "AGENT",
        PresentationContexts =
        [
            new PresentationContextProposal(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"]),
            new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.70"]),
        ],
        UserInformation = new UserInformation
        {
            MaximumLength = 65536, ImplementationClassUid = "1.2.3.4.5", ImplementationVersionName = "TEST_1",
            AsyncOperations = new AsyncOperationsWindow(4, 2),
            RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
            ExtendedNegotiations = [new ExtendedNegotiation("1.2.840.10008.5.1.4.1.2.2.1", new byte[] { 1, 1, 0 })],
            CommonExtendedNegotiations = [new CommonExtendedNegotiation("1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.4.2", ["1.2.840.10008.5.1.4.1.1.88.11"])],
            UserIdentity = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "secret"u8.ToArray()),
            Unknown = [new RawSubItem(0x5A, new byte[] { 9, 8, 7 })],
        },
    };

    public static IEnumerable<object[]> EveryPdu() =>
    [
        [FullRequest()],
        [new AssociateAcceptPdu
        {
            CalledAeTitle = "ARCHIVE", CallingAeTitle = "AGENT",
            PresentationContexts =
            [
                new PresentationContextResult(1, PresentationContextResultCode.Acceptance, "1.2.840.10008.1.2"),
                new PresentationContextResult(3, PresentationContextResultCode.TransferSyntaxesNotSupported, "1.2.840.10008.1.2.1"),
            ],
            UserInformation = new UserInformation
            {
                MaximumLength = 0, ImplementationClassUid = "1.2.3", AsyncOperations = new AsyncOperationsWindow(1, 1),
                RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
                UserIdentityResponse = new UserIdentityResponse("token"u8.ToArray()),
            },
        }],
        [new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded)],
        [new DataTransferPdu([new PresentationDataValue(1, true, true, new byte[] { 1, 2, 3, 4 }), new PresentationDataValue(3, false, false, new byte[] { 5, 6 })])],
        [new ReleaseRequestPdu()],
        [new ReleaseResponsePdu()],
        [new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)],
    ];

    [Theory]
    [MemberData(nameof(EveryPdu))]
    public void Every_pdu_type_round_trips_byte_exactly(DicomPdu pdu)
    {
        var bytes = PduCodec.Encode(pdu);
        var decoded = PduCodec.Decode(bytes);
        Assert.Equal(pdu, decoded);
        Assert.Equal(bytes, PduCodec.Encode(decoded));
    }

    [Fact]
    public void Release_and_abort_pdus_have_the_layout_of_ps3_8()
    {
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduCodec.Encode(new ReleaseRequestPdu()));
        Assert.Equal(new byte[] { 6, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduCodec.Encode(new ReleaseResponsePdu()));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, 2, 6 }, PduCodec.Encode(new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue)));
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 4, 0, 1, 1, 7 }, PduCodec.Encode(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, 7)));
    }

    [Fact]
    public async Task An_association_request_from_dcmtk_echoscu_decodes_and_re_encodes_to_the_same_bytes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var echo = Tools.RunAsync("echoscu", ["-aet", "CAPTURE", "-aec", "TARGET", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(20));
        using var acceptTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = await listener.AcceptSocketAsync(acceptTimeout.Token);
        await using var stream = new NetworkStream(socket);
        var header = new byte[6];
        await stream.ReadExactlyAsync(header);
        var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await stream.ReadExactlyAsync(body);
        socket.Close();
        await echo;
        var bytes = header.Concat(body).ToArray();
        var rq = Assert.IsType<AssociateRequestPdu>(PduCodec.Decode(bytes));
        Assert.Equal("CAPTURE", rq.CallingAeTitle);
        Assert.Equal("TARGET", rq.CalledAeTitle);
        Assert.Equal("1.2.840.10008.1.1", rq.PresentationContexts[0].AbstractSyntax);
        Assert.StartsWith("1.2.276.0.7230010.3", rq.UserInformation.ImplementationClassUid, StringComparison.Ordinal);
        // DCMTK sends 0xFF in a reserved byte of each presentation context item ("not tested" per PS3.8 9.3.2.2);
        // we send 0x00 there. Every other byte must be identical.
        for (int pos = 6 + 68; pos < bytes.Length;)
        {
            var len = bytes[pos + 2] << 8 | bytes[pos + 3];
            if (bytes[pos] == 0x20) bytes[pos + 6] = 0;
            pos += 4 + len;
        }
        Assert.Equal(bytes, PduCodec.Encode(rq));
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 10, 0, 1, 0, 0 })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 0xFF })]
    [InlineData(new byte[] { 3, 0, 0, 0, 0, 3, 0, 1, 1 })]
    [InlineData(new byte[] { 9, 0, 0, 0, 0, 4, 0, 0, 0, 0 })]
    public void Malformed_pdus_are_rejected_with_a_format_exception(byte[] bytes)
    {
        var ex = Record.Exception(() => PduCodec.Decode(bytes));
        Assert.IsType<DicomFormatException>(ex);
    }

    [Fact]
    public void Item_lengths_larger_than_the_pdu_are_rejected()
    {
        var bytes = PduCodec.Encode(FullRequest());
        // Presentation context item at offset 6+68+(4+21): bump its length past the end.
        int pos = 6 + 68;
        pos += 4 + (bytes[pos + 2] << 8 | bytes[pos + 3]);
        bytes[pos + 2] = 0x7F;
        Assert.Throws<DicomFormatException>(() => PduCodec.Decode(bytes));
    }

    [Fact]
    public void Every_truncation_of_an_association_request_is_a_format_exception_unless_it_falls_between_two_items()
    {
        var full = FullRequest();
        var bytes = PduCodec.Encode(full);
        // After the 74 bytes of fixed fields come items (type, reserved, 16-bit length): application context, the
        // presentation contexts, user information. A cut exactly after an item leaves a shorter, well-formed PDU.
        var itemsBefore = new Dictionary<int, int>();
        for (int pos = 74, items = 0; pos < bytes.Length;)
        {
            pos += 4 + System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(pos + 2));
            itemsBefore[pos] = ++items;
        }
        Assert.Equal(4, itemsBefore[bytes.Length]);
        int decoded = 0;
        for (int n = 6; n < bytes.Length; n++)
        {
            var cut = bytes[..n];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cut.AsSpan(2), (uint)(n - 6));
            if (!itemsBefore.TryGetValue(n, out var items))
            {
                Assert.Throws<DicomFormatException>(() => PduCodec.Decode(cut));
                continue;
            }
            // The application context, then the first (items - 1) presentation contexts, and no user information.
            var rq = Assert.IsType<AssociateRequestPdu>(PduCodec.Decode(cut));
            Assert.Equal((full.CalledAeTitle, full.CallingAeTitle, full.ApplicationContext), (rq.CalledAeTitle, rq.CallingAeTitle, rq.ApplicationContext));
            Assert.Equal(full.PresentationContexts.Take(items - 1).Select(p => (p.Id, p.AbstractSyntax)), rq.PresentationContexts.Select(p => (p.Id, p.AbstractSyntax)));
            Assert.Equal("", rq.UserInformation.ImplementationClassUid);
            decoded++;
        }
        Assert.Equal(3, decoded);
    }

    [Fact]
    public void A_single_pdv_header_written_in_place_is_the_bytes_the_codec_encodes()
    {
        var value = new byte[] { 1, 2, 3, 4, 5 };
        foreach (var (isCommand, isLast) in new[] { (true, true), (true, false), (false, true), (false, false) })
        {
            var inPlace = new byte[PduCodec.SinglePdvHeaderLength + value.Length];
            PduCodec.WriteSinglePdvHeader(inPlace, 7, value.Length, isCommand, isLast);
            value.CopyTo(inPlace, PduCodec.SinglePdvHeaderLength);
            Assert.Equal(PduCodec.Encode(new DataTransferPdu([new PresentationDataValue(7, isCommand, isLast, value)])), inPlace);
        }
    }

    [Fact]
    public void Ae_titles_are_space_padded_to_sixteen_bytes()
    {
        var bytes = PduCodec.Encode(FullRequest());
        Assert.Equal("ARCHIVE         ", Encoding.ASCII.GetString(bytes, 10, 16));
        Assert.Equal("AGENT           ", Encoding.ASCII.GetString(bytes, 26, 16));
    }
}
