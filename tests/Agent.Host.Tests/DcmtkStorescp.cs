using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Agent.Host.Tests;

/// <summary>DCMTK storescp as a real peer, on a free loopback port, writing into its own folder.</summary>
public sealed class DcmtkStorescp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log;

    private DcmtkStorescp(Process process, int port, string folder, List<string> log)
    {
        _process = process;
        _log = log;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }
    public string Folder { get; }

    /// <summary>Its verbose (<c>-v</c>) output so far, e.g. one "Association Received" line per association.</summary>
    public IReadOnlyList<string> Log
    {
        get { lock (_log) return [.. _log]; }
    }

    /// <summary>A loopback port that was free a moment ago (storescp cannot report an ephemeral port).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <param name="folder">Where received files go.</param>
    /// <param name="aeTitle">Its AE title.</param>
    /// <param name="port">A given port (e.g. to restart a peer where it was); default a free one.</param>
    public static async Task<DcmtkStorescp> StartAsync(string folder, string aeTitle = "STORESCP", int? port = null)
    {
        Directory.CreateDirectory(folder);
        port ??= FreePort();
        var info = new ProcessStartInfo("storescp", ["-v", "-aet", aeTitle, "-od", folder, port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["TCP_NODELAY"] = "1";
        var process = new Process { StartInfo = info };
        var log = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.Add(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.Add(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Ready when it accepts TCP connections.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port.Value);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        return new DcmtkStorescp(process, port.Value, folder, log);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
