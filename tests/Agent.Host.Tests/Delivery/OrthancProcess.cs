using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Agent.Host.Tests.Delivery;

/// <summary>A throw-away Orthanc on loopback with ephemeral ports; can be stopped and restarted on the same storage.</summary>
internal sealed class OrthancProcess : IAsyncDisposable
{
    private Process? _process;

    public OrthancProcess(string folder)
    {
        Folder = folder;
        DicomPort = FreePort();
        HttpPort = FreePort();
        Directory.CreateDirectory(folder);
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Name"] = "test", ["HttpPort"] = HttpPort, ["DicomPort"] = DicomPort, ["DicomAet"] = "ORTHANC",
            ["StorageDirectory"] = Path.Combine(folder, "storage"), ["IndexDirectory"] = Path.Combine(folder, "index"),
            ["RemoteAccessAllowed"] = false, ["AuthenticationEnabled"] = false, ["DicomCheckCalledAet"] = false,
            ["DicomAlwaysAllowStore"] = true, ["Plugins"] = Array.Empty<string>(), ["HttpServerEnabled"] = true,
        }));
    }

    public string Folder { get; }
    public int DicomPort { get; }
    public int HttpPort { get; }
    private string ConfigPath => Path.Combine(Folder, "orthanc.json");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("/usr/sbin/Orthanc") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ConfigPath);
        psi.Environment["TCP_NODELAY"] = "1";
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var r = await Http.GetAsync(Url("/system"));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (_process.HasExited) throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode}");
            await Task.Delay(200);
        }
        throw new TimeoutException("Orthanc did not answer within 60 s");
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public string Url(string path) => $"http://127.0.0.1:{HttpPort}{path}";

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var text = await Http.GetStringAsync(Url(path));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PostJsonAsync(string path, string body)
    {
        var r = await Http.PostAsync(Url(path), new StringContent(body));
        r.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }
}
