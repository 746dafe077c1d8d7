using System.Net;
using Agent.Dicom;
using Agent.Dicom.Network.Server;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Tests;

/// <summary>Agent:Dicom access control, transfer syntaxes and TLS: defaults, validation messages and the mapping onto the server.</summary>
public sealed class DicomAccessConfigurationTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("agent-dicomcfg-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private IReadOnlyList<string> Errors(params (string Key, string Value)[] env) =>
        AgentOptionsRegistration.Validate(AgentConfiguration.Build(_home, null, env.ToDictionary(p => p.Key, p => (string?)p.Value)));

    private DicomOptions Bind(params (string Key, string Value)[] env) =>
        AgentSettings.From(AgentConfiguration.Build(_home, null, env.ToDictionary(p => p.Key, p => (string?)p.Value)), _home).Dicom;

    [Fact]
    public void By_default_only_our_own_ae_title_is_accepted_everyone_may_connect_and_tls_is_off()
    {
        Assert.Empty(Errors());
        var dicom = Bind();
        var server = DicomServerService.ServerOptions(dicom, IPAddress.Loopback);
        Assert.Equal(["AGENT"], server.AcceptedCalledAeTitles);
        Assert.Empty(server.AllowedPeers);
        Assert.Equal(DicomServerOptions.DefaultTransferSyntaxes, server.TransferSyntaxes);
        Assert.Null(server.Tls);
        Assert.Equal(2762, dicom.Tls.Port);
        Assert.Equal(1024u * 1024, server.Association.MaxReceivePduLength);
    }

    [Fact]
    public void The_shipped_appsettings_file_matches_the_new_dicom_defaults()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(shipped).Build();
        Assert.Empty(ConfigurationShape.Check(configuration).Errors);
        var fromFile = AgentSettings.From(configuration, _home).Dicom;
        var fromCode = new DicomOptions();
        Assert.Equal(fromCode.AcceptedCalledAeTitles, fromFile.AcceptedCalledAeTitles);
        Assert.Empty(fromFile.AllowedPeers);
        Assert.Equal(fromCode.TransferSyntaxes, fromFile.TransferSyntaxes);
        Assert.Equal(fromCode.MaxPduLength, fromFile.MaxPduLength);
        Assert.Equal(fromCode.Tls.Enabled, fromFile.Tls.Enabled);
        Assert.Equal(fromCode.Tls.Port, fromFile.Tls.Port);
        Assert.Equal(fromCode.Tls.CertificateFile, fromFile.Tls.CertificateFile);
        Assert.Equal(fromCode.Tls.RequireClientCertificate, fromFile.Tls.RequireClientCertificate);
        Assert.Equal(fromCode.Tls.TrustedClientCertificateFiles, fromFile.Tls.TrustedClientCertificateFiles);
    }

    [Fact]
    public void A_star_accepts_any_called_ae_title_and_allow_list_entries_and_syntaxes_reach_the_server()
    {
        var dicom = Bind(
            ("AGENT__Dicom__AcceptedCalledAeTitles__0", "*"),
            ("AGENT__Dicom__AllowedPeers__0__AeTitle", "PACS"),
            ("AGENT__Dicom__AllowedPeers__0__Network", "10.0.0.0/8"),
            ("AGENT__Dicom__AllowedPeers__1__AeTitle", "*"),
            ("AGENT__Dicom__AllowedPeers__1__Network", "::1"),
            ("AGENT__Dicom__TransferSyntaxes__0", DicomTransferSyntax.ImplicitVRLittleEndian.Uid),
            ("AGENT__Dicom__TransferSyntaxes__1", DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
        Assert.Empty(AgentOptionsRegistration.Validate(AgentConfiguration.Build(_home, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__AllowedPeers__0__AeTitle"] = "PACS", ["AGENT__Dicom__AllowedPeers__0__Network"] = "10.0.0.0/8",
        })));
        var server = DicomServerService.ServerOptions(dicom, IPAddress.Loopback);
        Assert.Empty(server.AcceptedCalledAeTitles);
        Assert.Equal([AllowedPeer.Parse("PACS", "10.0.0.0/8"), AllowedPeer.Parse("*", "::1")], server.AllowedPeers);
        Assert.Equal([DicomTransferSyntax.ImplicitVRLittleEndian.Uid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid], server.TransferSyntaxes);
    }

    [Fact]
    public void Bad_allow_list_entries_unknown_syntaxes_and_bad_called_titles_are_reported_with_their_keys()
    {
        var errors = Errors(
            ("AGENT__Dicom__AcceptedCalledAeTitles__0", "A\\B"),
            ("AGENT__Dicom__AllowedPeers__0__AeTitle", "PACS"),
            ("AGENT__Dicom__AllowedPeers__0__Network", "10.0.0.0/33"),
            ("AGENT__Dicom__AllowedPeers__1__Network", "pacs.hospital.local"),
            ("AGENT__Dicom__AllowedPeers__2__AeTitle", "WAY_TOO_LONG_AE_TITLE"),
            ("AGENT__Dicom__AllowedPeers__2__Network", "127.0.0.1"),
            ("AGENT__Dicom__AllowedPeers__3__Ae", "PACS"),
            ("AGENT__Dicom__TransferSyntaxes__0", "1.2.840.10008.1.2.1"),
            ("AGENT__Dicom__TransferSyntaxes__1", "1.2.3.4"),
            ("AGENT__Dicom__MaxPduLength", "100"));
        Assert.Contains("Agent:Dicom:AcceptedCalledAeTitles:0 may only hold printable ASCII without backslash, got 'A\\B'", errors);
        Assert.Contains("Agent:Dicom:AllowedPeers:0:Network is not a CIDR network: '10.0.0.0/33' has an invalid prefix length (0-32)", errors);
        Assert.Contains("Agent:Dicom:AllowedPeers:1:Network is not a CIDR network: 'pacs.hospital.local' is not an IP address or CIDR network", errors);
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:AllowedPeers:2:AeTitle must be at most 16 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:AllowedPeers:3:Ae is not a known setting (known: AeTitle, Network)", StringComparison.Ordinal));
        Assert.Contains("Agent:Dicom:TransferSyntaxes:1 is not a known transfer syntax UID: '1.2.3.4'", errors);
        Assert.Contains("Agent:Dicom:MaxPduLength must be 4096-16777216 bytes, got 100", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("Agent:Dicom:TransferSyntaxes:0", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_problems_name_their_keys_missing_files_a_colliding_port_and_an_unloadable_certificate()
    {
        var garbage = Path.Combine(_home, "garbage.crt");
        File.WriteAllText(garbage, "not a certificate");
        var errors = Errors(
            ("AGENT__Dicom__Port", "11112"),
            ("AGENT__Dicom__Tls__Enabled", "true"),
            ("AGENT__Dicom__Tls__Port", "11112"),
            ("AGENT__Dicom__Tls__CertificateFile", garbage),
            ("AGENT__Dicom__Tls__KeyFile", Path.Combine(_home, "missing.key")),
            ("AGENT__Dicom__Tls__TrustedClientCertificateFiles__0", "relative/ca.crt"),
            ("AGENT__Dicom__Tls__TrustedClientCertificateFiles__1", garbage),
            ("AGENT__Dicom__Tls__Prot", "1"));
        Assert.Contains("Agent:Dicom:Tls:Port must differ from Agent:Dicom:Port (both are 11112)", errors);
        Assert.Contains($"Agent:Dicom:Tls:KeyFile file not found: '{Path.Combine(_home, "missing.key")}'", errors);
        Assert.Contains("Agent:Dicom:Tls:TrustedClientCertificateFiles:0 must be an absolute path, got 'relative/ca.crt'", errors);
        Assert.Contains(errors, e => e.StartsWith($"Agent:Dicom:Tls:TrustedClientCertificateFiles:1 '{garbage}' is not a PEM or DER certificate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:Tls:Prot is not a known setting", StringComparison.Ordinal));

        errors = Errors(("AGENT__Dicom__Tls__Enabled", "true"), ("AGENT__Dicom__Tls__CertificateFile", garbage));
        Assert.Contains(errors, e => e.StartsWith($"Agent:Dicom:Tls:CertificateFile '{garbage}' could not be loaded as a certificate with its private key", StringComparison.Ordinal));

        errors = Errors(("AGENT__Dicom__Tls__Enabled", "true"));
        Assert.Contains("Agent:Dicom:Tls:CertificateFile must be set when TLS is enabled", errors);
    }

    [Fact]
    public void A_pem_certificate_without_its_key_is_refused_and_with_its_key_reaches_the_server()
    {
        var (crt, key) = TestCertificates.WritePem(_home, "server", server: true);
        var (client, _) = TestCertificates.WritePem(_home, "client", server: false);
        var errors = Errors(("AGENT__Dicom__Tls__Enabled", "true"), ("AGENT__Dicom__Tls__CertificateFile", crt));
        Assert.Contains(errors, e => e.StartsWith($"Agent:Dicom:Tls:CertificateFile '{crt}' could not be loaded", StringComparison.Ordinal));

        var env = new[]
        {
            ("AGENT__Dicom__Tls__Enabled", "true"), ("AGENT__Dicom__Tls__Port", "0"), ("AGENT__Dicom__Tls__CertificateFile", crt),
            ("AGENT__Dicom__Tls__KeyFile", key), ("AGENT__Dicom__Tls__RequireClientCertificate", "true"),
            ("AGENT__Dicom__Tls__TrustedClientCertificateFiles__0", client),
        };
        Assert.Empty(Errors(env));
        var tls = DicomServerService.ServerOptions(Bind(env), IPAddress.Loopback).Tls;
        Assert.NotNull(tls);
        using var certificate = tls.ServerCertificate;
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=server", certificate.Subject);
        Assert.True(tls.RequireClientCertificate);
        Assert.Equal("CN=client", Assert.Single(tls.TrustedClientCertificates).Subject);
        tls.TrustedClientCertificates[0].Dispose();
    }

    [Fact]
    public void A_password_protected_pkcs12_certificate_loads_with_its_password_and_is_refused_without_it()
    {
        var (crt, key) = TestCertificates.WritePem(_home, "server", server: true);
        using (var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(crt, key))
            File.WriteAllBytes(Path.Combine(_home, "server.pfx"), pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "s3cret"));
        var pfx = Path.Combine(_home, "server.pfx");

        var errors = Errors(("AGENT__Dicom__Tls__Enabled", "true"), ("AGENT__Dicom__Tls__CertificateFile", pfx));
        Assert.Contains(errors, e => e.StartsWith($"Agent:Dicom:Tls:CertificateFile '{pfx}' could not be loaded", StringComparison.Ordinal));

        var env = new[] { ("AGENT__Dicom__Tls__Enabled", "true"), ("AGENT__Dicom__Tls__CertificateFile", pfx), ("AGENT__Dicom__Tls__CertificatePassword", "s3cret") };
        Assert.Empty(Errors(env));
        using var certificate = Bind(env).Tls.LoadServerCertificate();
        Assert.True(certificate.HasPrivateKey);
    }
}
