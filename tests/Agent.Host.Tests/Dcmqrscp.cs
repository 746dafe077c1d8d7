using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Agent.Host.Tests;

/// <summary>DCMTK dcmqrscp: a small real Q/R archive (AE QRSCP) that can C-MOVE to one known destination.</summary>
public sealed class Dcmqrscp : IAsyncDisposable
{
    private readonly Process _process;

    private Dcmqrscp(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Dcmqrscp> StartAsync(string folder, string destinationAe, int destinationPort)
    {
        var db = Directory.CreateDirectory(Path.Combine(folder, "db")).FullName;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var config = Path.Combine(folder, "dcmqrscp.cfg");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            NetworkTCPPort  = {port}
            MaxPDUSize      = 65536
            MaxAssociations = 16
            HostTable BEGIN
            dest = ({destinationAe}, 127.0.0.1, {destinationPort})
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            QRSCP {db} RW (500, 1024mb) ANY
            AETable END

            """));
        var info = new ProcessStartInfo("dcmqrscp", ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["TCP_NODELAY"] = "1";
        var process = Process.Start(info)!;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
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
        return new Dcmqrscp(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
