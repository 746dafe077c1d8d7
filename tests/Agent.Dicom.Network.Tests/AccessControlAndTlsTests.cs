using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Tests;

public sealed class AccessControlAndTlsTests
{
    private static DicomClientOptions To(int port, string calling = "SENDER", string called = "AGENT") =>
        new() { Host = "127.0.0.1", Port = port, CallingAeTitle = calling, CalledAeTitle = called };

    [Fact]
    public async Task A_wrong_called_ae_title_is_rejected_with_reason_called_ae_not_recognized()
    {
        await using var server = await TestServer.StartAsync(o => o with { AcceptedCalledAeTitles = ["AGENT"] });
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(To(server.Port, called: "OTHER")));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAeNotRecognized), ex.Reject);
        Assert.True((await DicomClient.EchoAsync(To(server.Port))).IsSuccess);
    }

    [Fact]
    public async Task A_calling_ae_title_outside_the_allow_list_is_rejected_with_reason_calling_ae_not_recognized()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowedPeers = [AllowedPeer.Parse("PACS", "127.0.0.0/8")] });
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(To(server.Port, calling: "INTRUDER")));
        Assert.Equal(RejectReasons.CallingAeNotRecognized, ex.Reject.Reason);
        Assert.True((await DicomClient.EchoAsync(To(server.Port, calling: "PACS"))).IsSuccess);
    }

    [Fact]
    public async Task An_allowed_ae_title_from_a_network_outside_the_allow_list_is_rejected()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowedPeers = [AllowedPeer.Parse("PACS", "10.0.0.0/8")] });
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(To(server.Port, calling: "PACS")));
        Assert.Equal(RejectReasons.CallingAeNotRecognized, ex.Reject.Reason);
    }

    [Theory]
    [InlineData("10.1.2.3", "10.0.0.0/8", true)]
    [InlineData("11.1.2.3", "10.0.0.0/8", false)]
    [InlineData("192.168.1.77", "192.168.1.64/26", true)]
    [InlineData("192.168.1.128", "192.168.1.64/26", false)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", true)]
    [InlineData("fe80::1", "fe80::/10", true)]
    [InlineData("127.0.0.1", "::1/128", false)]
    public void Cidr_networks_match_the_addresses_inside_them(string address, string cidr, bool expected)
        => Assert.Equal(expected, IpNetwork.Parse(cidr).Contains(IPAddress.Parse(address)));

    [Fact]
    public async Task Associations_beyond_the_limit_are_rejected_as_transient_local_limit_exceeded()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxAssociations = 1 });
        await using var first = await DicomClient.ConnectForAsync(To(server.Port), [new CEchoRequest()]);
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(To(server.Port)));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded), ex.Reject);
        await first.ReleaseAsync();
        await WaitUntilAsync(() => server.Server.ActiveAssociations == 0);
        Assert.True((await DicomClient.EchoAsync(To(server.Port))).IsSuccess);
    }

    [Fact]
    public async Task User_identity_reaches_the_authorizer_which_can_refuse_it()
    {
        var authorizer = new PasswordAuthorizer();
        await using var server = await TestServer.StartAsync(authorizer: authorizer);
        var good = To(server.Port) with { UserIdentity = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "s3cret"u8.ToArray()) };
        var bad = To(server.Port) with { UserIdentity = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, "alice"u8.ToArray(), "guess"u8.ToArray()) };
        Assert.True((await DicomClient.EchoAsync(good)).IsSuccess);
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(bad));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.NoReasonGiven), ex.Reject);
    }

    [Fact]
    public async Task An_authorizer_can_reject_transiently_so_the_sender_may_retry_later()
    {
        var authorizer = new SwitchAuthorizer { Refusing = true };
        await using var server = await TestServer.StartAsync(authorizer: authorizer);
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.EchoAsync(To(server.Port)));
        Assert.Equal(new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceUser, RejectReasons.NoReasonGiven), ex.Reject);
        authorizer.Refusing = false;
        Assert.True((await DicomClient.EchoAsync(To(server.Port))).IsSuccess);
    }

    [Fact]
    public async Task Dcmtk_echoscu_reports_a_transient_authorizer_rejection_as_rejected_transient()
    {
        await using var server = await TestServer.StartAsync(authorizer: new SwitchAuthorizer { Refusing = true });
        var result = await Tools.RunAsync("echoscu", ["-d", "-aet", "SENDER", "-aec", "AGENT", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Rejected Transient", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class SwitchAuthorizer : IAssociationAuthorizer
    {
        public volatile bool Refusing;

        public ValueTask<AuthorizationResult> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
            => ValueTask.FromResult(Refusing ? AuthorizationResult.RejectTransient("disk full") : AuthorizationResult.Accept);
    }

    private sealed class PasswordAuthorizer : IAssociationAuthorizer
    {
        public ValueTask<AuthorizationResult> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
            => ValueTask.FromResult(request.UserIdentity is { } id && id.PrimaryField.Span.SequenceEqual("alice"u8) && id.SecondaryField.Span.SequenceEqual("s3cret"u8)
                ? AuthorizationResult.Accept : AuthorizationResult.Reject("bad credentials"));
    }

    internal static X509Certificate2 SelfSigned(string cn, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task Tls_with_a_required_client_certificate_accepts_a_trusted_client_and_refuses_others()
    {
        using var serverCert = SelfSigned("localhost", server: true);
        using var clientCert = SelfSigned("modality", server: false);
        using var stranger = SelfSigned("stranger", server: false);
        await using var server = await TestServer.StartAsync(o => o with
        {
            Tls = new DicomTlsOptions { Port = 0, ServerCertificate = serverCert, RequireClientCertificate = true, TrustedClientCertificates = [clientCert] },
        });
        var tlsOptions = new DicomClientOptions
        {
            Host = "127.0.0.1", Port = server.Server.TlsPort, CalledAeTitle = "AGENT",
            Tls = new DicomClientTlsOptions { TargetHost = "localhost", ClientCertificate = clientCert, TrustedServerCertificates = [serverCert] },
        };
        var store = CStoreRequest.FromFile(Tools.TestFile("CT_small.dcm"));
        await using (var client = await DicomClient.ConnectForAsync(tlsOptions, [store]))
        {
            Assert.True(client.Association.IsTls);
            Assert.True((await client.SendForFinalAsync(store)).Status.IsSuccess);
            await client.ReleaseAsync();
        }
        InteropWithDcmtkTests.AssertSameDataSet(Tools.TestFile("CT_small.dcm"), Assert.Single(server.Stored).Path);
        Assert.Equal("CN=modality", server.Stored[0].Request.Association.ClientCertificateSubject);

        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => DicomClient.EchoAsync(tlsOptions with { Tls = tlsOptions.Tls with { ClientCertificate = stranger } }));
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => DicomClient.EchoAsync(tlsOptions with { Tls = tlsOptions.Tls with { TrustedServerCertificates = [] } }));
        Assert.True((await DicomClient.EchoAsync(To(server.Port))).IsSuccess);
    }

    [Fact]
    public async Task Dcmtk_echoscu_over_tls_reaches_our_tls_port()
    {
        using var folder = new TempFolder();
        using var serverCert = SelfSigned("localhost", server: true);
        using var clientCert = SelfSigned("echoscu", server: false);
        await File.WriteAllTextAsync(folder.Combine("client.key"), clientCert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(folder.Combine("client.crt"), clientCert.ExportCertificatePem());
        await File.WriteAllTextAsync(folder.Combine("server.crt"), serverCert.ExportCertificatePem());
        await using var server = await TestServer.StartAsync(o => o with
        {
            Tls = new DicomTlsOptions { Port = 0, ServerCertificate = serverCert, RequireClientCertificate = true, TrustedClientCertificates = [clientCert] },
        });
        var r = await Tools.RunAsync("echoscu", ["-aec", "AGENT", "+tls", folder.Combine("client.key"), folder.Combine("client.crt"),
            "-ic", "+cf", folder.Combine("server.crt"), "127.0.0.1", server.Server.TlsPort.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(20, cts.Token);
    }
}
