using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

/// <summary>A temp folder deleted at the end of the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("agent-net-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

public sealed record ProcessResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}: {Output}";
}

/// <summary>Runs real DICOM tools (DCMTK) with TCP_NODELAY=1 and a hard timeout.</summary>
public static class Tools
{
    public const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static string TestFile(string name) => System.IO.Path.Combine(PydicomFiles, name);

    public static async Task<ProcessResult> RunAsync(string exe, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish");
        }
        return new ProcessResult(p.ExitCode, await stdout + await stderr);
    }

    public static Process Start(string exe, IEnumerable<string> args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on the port (a started peer is ready).</summary>
    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>A server on an ephemeral loopback port writing received instances to a temp folder.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(DicomServer server, FileStoreProvider store, TempFolder folder)
    {
        Server = server;
        Store = store;
        Folder = folder;
    }

    public DicomServer Server { get; }
    public FileStoreProvider Store { get; }
    public TempFolder Folder { get; }
    public int Port => Server.Port;
    public List<StoredInstance> Stored { get; } = [];

    /// <param name="services">Adds providers (MPPS, IAN, commitment reports) to the store every test server has.</param>
    public static async Task<TestServer> StartAsync(Func<DicomServerOptions, DicomServerOptions>? configure = null, IAssociationAuthorizer? authorizer = null, bool durable = false,
        Func<DicomServices, DicomServices>? services = null)
    {
        var folder = new TempFolder();
        TestServer? self = null;
        var store = new FileStoreProvider(folder.Combine("in"), durable, (s, _) =>
        {
            lock (self!.Stored) self.Stored.Add(s);
            return ValueTask.CompletedTask;
        });
        var options = new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0, AeTitle = "AGENT" };
        if (configure is not null) options = configure(options);
        var all = new DicomServices { Store = store };
        var server = new DicomServer(options, services is null ? all : services(all), authorizer);
        self = new TestServer(server, store, folder);
        await server.StartAsync(CancellationToken.None);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
