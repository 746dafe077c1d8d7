using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Agent.Host.Tests;

/// <summary>DCMTK storescp as a real peer, on a free loopback port, writing into its own folder.</summary>
public sealed class DcmtkStorescp : IAsyncDisposable
{
    private readonly Process _process;

    private DcmtkStorescp(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }
    public string Folder { get; }

    public static async Task<DcmtkStorescp> StartAsync(string folder, string aeTitle = "STORESCP")
    {
        Directory.CreateDirectory(folder);
        // storescp cannot report an ephemeral port: take a free one from the OS and hand it over.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var info = new ProcessStartInfo("storescp", ["-aet", aeTitle, "-od", folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(info)!;
        // Ready when it accepts TCP connections.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        return new DcmtkStorescp(process, port, folder);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
