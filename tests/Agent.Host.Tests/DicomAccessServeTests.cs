using System.Diagnostics;
using System.Globalization;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests;

/// <summary>The running agent enforces Agent:Dicom access control and serves TLS, checked with DCMTK echoscu.</summary>
public sealed class DicomAccessServeTests
{
    private static async Task<(int ExitCode, string Output)> EchoscuAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("echoscu") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string S(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_calling_ae_outside_the_allow_list_and_a_wrong_called_ae_are_rejected_while_an_allowed_peer_is_served()
    {
        using var home = new TempHome();
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Dicom__AllowedPeers__0__AeTitle"] = "PACS",
            ["AGENT__Dicom__AllowedPeers__0__Network"] = "127.0.0.0/8",
        });
        Assert.Empty(AgentOptionsRegistration.Validate(configuration));
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            var port = S(host.Services.GetRequiredService<DicomServerService>().Port);

            var intruder = await EchoscuAsync("-aet", "INTRUDER", "-aec", "AGENT", "127.0.0.1", port);
            Assert.NotEqual(0, intruder.ExitCode);
            Assert.Contains("Calling AE Title Not Recognized", intruder.Output, StringComparison.Ordinal);

            var misaddressed = await EchoscuAsync("-aet", "PACS", "-aec", "OTHERNODE", "127.0.0.1", port);
            Assert.NotEqual(0, misaddressed.ExitCode);
            Assert.Contains("Called AE Title Not Recognized", misaddressed.Output, StringComparison.Ordinal);

            var allowed = await EchoscuAsync("-aet", "PACS", "-aec", "AGENT", "127.0.0.1", port);
            Assert.True(allowed.ExitCode == 0, allowed.Output);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Serve_with_tls_enabled_listens_on_its_own_port_and_dcmtk_echoscu_with_a_trusted_client_certificate_gets_through()
    {
        using var home = new TempHome();
        var (serverCrt, serverKey) = TestCertificates.WritePem(home.Path, "server", server: true);
        var (clientCrt, clientKey) = TestCertificates.WritePem(home.Path, "client", server: false);
        var (strangerCrt, strangerKey) = TestCertificates.WritePem(home.Path, "stranger", server: false);
        await using var agent = AgentProcess.Start(home.Path, new Dictionary<string, string>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Dicom__Tls__Enabled"] = "true",
            ["AGENT__Dicom__Tls__Port"] = "0",
            ["AGENT__Dicom__Tls__CertificateFile"] = serverCrt,
            ["AGENT__Dicom__Tls__KeyFile"] = serverKey,
            ["AGENT__Dicom__Tls__RequireClientCertificate"] = "true",
            ["AGENT__Dicom__Tls__TrustedClientCertificateFiles__0"] = clientCrt,
        });
        var plainPort = await agent.ListeningPortAsync(TimeSpan.FromMinutes(5));
        var match = System.Text.RegularExpressions.Regex.Match(agent.Output, @"Listening for DICOM over TLS on 127\.0\.0\.1:(\d+) \(client certificate required\)");
        Assert.True(match.Success, agent.Output);
        var tlsPort = match.Groups[1].Value;
        Assert.NotEqual(S(plainPort), tlsPort);

        var trusted = await EchoscuAsync("-aec", "AGENT", "+tls", clientKey, clientCrt, "+cf", serverCrt, "127.0.0.1", tlsPort);
        Assert.True(trusted.ExitCode == 0, trusted.Output);

        var stranger = await EchoscuAsync("-aec", "AGENT", "+tls", strangerKey, strangerCrt, "+cf", serverCrt, "127.0.0.1", tlsPort);
        Assert.NotEqual(0, stranger.ExitCode);

        var plain = await EchoscuAsync("-aec", "AGENT", "127.0.0.1", S(plainPort));
        Assert.True(plain.ExitCode == 0, plain.Output);

        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromMinutes(3)));
    }
}
