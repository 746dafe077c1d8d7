using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Server;

namespace Agent.Dicom.Network.Tests;

/// <summary>The BCP 195 profile on our TLS port: which protocol versions and cipher suites a peer can get.</summary>
public sealed class TlsProfileTests
{
    private static Task<TestServer> StartTlsServerAsync(X509Certificate2 cert) =>
        TestServer.StartAsync(o => o with { Tls = new DicomTlsOptions { Port = 0, ServerCertificate = cert, RequireClientCertificate = false } });

    /// <summary>openssl s_client with stdin closed, so it handshakes and exits; exit code 0 means the handshake worked.</summary>
    private static Task<ProcessResult> SClientAsync(int port, params string[] options) =>
        Tools.RunAsync("sh", ["-c", "openssl s_client -connect 127.0.0.1:\"$0\" \"$@\" </dev/null", port.ToString(CultureInfo.InvariantCulture), .. options],
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_tls_1_2_client_offering_only_a_bcp195_aead_suite_gets_it()
    {
        using var cert = AccessControlAndTlsTests.SelfSigned("localhost", server: true);
        await using var server = await StartTlsServerAsync(cert);
        var r = await SClientAsync(server.Server.TlsPort, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("ECDHE-ECDSA-AES128-GCM-SHA256", r.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ECDHE-ECDSA-AES256-SHA384")]   // CBC: .NET's default list on Linux accepts it (checked), BCP 195 does not
    [InlineData("ECDHE-ECDSA-AES128-SHA256")]   // CBC with SHA-256
    public async Task A_tls_1_2_client_offering_only_a_cbc_suite_is_refused(string suite)
    {
        using var cert = AccessControlAndTlsTests.SelfSigned("localhost", server: true);
        await using var server = await StartTlsServerAsync(cert);
        var r = await SClientAsync(server.Server.TlsPort, "-tls1_2", "-cipher", suite);
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.True((await DicomClient.EchoAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" })).IsSuccess);
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task A_client_speaking_only_tls_1_0_or_1_1_is_refused(string version)
    {
        using var cert = AccessControlAndTlsTests.SelfSigned("localhost", server: true);
        await using var server = await StartTlsServerAsync(cert);
        // SECLEVEL=0 lifts the client's own refusal of old versions, so only the server can be the one saying no.
        var r = await SClientAsync(server.Server.TlsPort, version, "-cipher", "ALL:@SECLEVEL=0");
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.DoesNotContain("BEGIN CERTIFICATE", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dcmtk_storescu_over_tls_stores_a_file_on_our_tls_port()
    {
        using var folder = new TempFolder();
        using var serverCert = AccessControlAndTlsTests.SelfSigned("localhost", server: true);
        using var clientCert = AccessControlAndTlsTests.SelfSigned("storescu", server: false);
        await File.WriteAllTextAsync(folder.Combine("client.key"), clientCert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(folder.Combine("client.crt"), clientCert.ExportCertificatePem());
        await File.WriteAllTextAsync(folder.Combine("server.crt"), serverCert.ExportCertificatePem());
        await using var server = await TestServer.StartAsync(o => o with
        {
            Tls = new DicomTlsOptions { Port = 0, ServerCertificate = serverCert, RequireClientCertificate = true, TrustedClientCertificates = [clientCert] },
        });
        // liver_1frame has no trailing padding item (DCMTK drops it when it re-encodes).
        var source = Tools.TestFile("liver_1frame.dcm");
        var r = await Tools.RunAsync("storescu", ["-aet", "STORESCU", "-aec", "AGENT", "-R", "--propose-little", "+tls", folder.Combine("client.key"), folder.Combine("client.crt"),
            "+cf", folder.Combine("server.crt"), "127.0.0.1", server.Server.TlsPort.ToString(CultureInfo.InvariantCulture), source]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var stored = Assert.Single(server.Stored);
        Assert.True(stored.Request.Association.IsTls);
        Assert.Equal("CN=storescu", stored.Request.Association.ClientCertificateSubject);
        // storescu re-encodes sequences with explicit lengths on its TLS path, so compare elements (pydicom), not bytes.
        var same = await Tools.RunAsync("/usr/bin/python3", ["-c", "import sys, pydicom; a, b = (pydicom.dcmread(p) for p in sys.argv[1:]); sys.exit(0 if a == b else 1)", source, stored.Path]);
        Assert.True(same.ExitCode == 0, same.ToString());
    }
}
