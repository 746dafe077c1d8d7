using System.Net;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

public sealed class AssociationLoggingAndTimersTests
{
    /// <summary>Records each log line with the scope values active when it was written.</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly AsyncLocal<object?> _scope = new();
        public List<(string Message, string Scope)> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public bool IsEnabled(LogLevel logLevel) => true;

        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            var previous = _scope.Value;
            _scope.Value = state;
            return new Restore(() => _scope.Value = previous);
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = _scope.Value is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(' ', kv.Select(p => $"{p.Key}={p.Value}")) : "";
            lock (Lines) Lines.Add((formatter(state, exception), scope));
        }

        private sealed class Restore(System.Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    [Fact]
    public async Task Every_log_line_of_an_association_carries_its_id_remote_ip_and_ae_titles()
    {
        var logs = new CapturingLoggerFactory();
        using var folder = new TempFolder();
        var server = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0 },
            new DicomServices { Store = new FileStoreProvider(folder.Path, false) }, null, logs);
        await server.StartAsync(CancellationToken.None);
        var status = await DicomClient.EchoAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CallingAeTitle = "MODALITY", CalledAeTitle = "AGENT" });
        Assert.True(status.IsSuccess);
        await server.DisposeAsync();
        var accepted = Assert.Single(logs.Lines, l => l.Message.StartsWith("Association accepted", StringComparison.Ordinal));
        Assert.Contains("CallingAe=MODALITY", accepted.Scope, StringComparison.Ordinal);
        Assert.Contains("CalledAe=AGENT", accepted.Scope, StringComparison.Ordinal);
        Assert.Contains("RemoteIp=127.0.0.1", accepted.Scope, StringComparison.Ordinal);
        Assert.Contains("AssociationId=", accepted.Scope, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Message.Contains("CEchoRequest", StringComparison.Ordinal) && l.Scope.Contains("CallingAe=MODALITY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_established_association_that_stays_silent_past_the_idle_timeout_is_aborted()
    {
        await using var server = await TestServer.StartAsync(o => o with { Association = new AssociationOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) } });
        await using var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" }, [new CEchoRequest()]);
        Assert.True((await client.SendForFinalAsync(new CEchoRequest())).Status.IsSuccess);
        await AccessControlAndTlsTests.WaitUntilAsync(() => !client.IsConnected);
        await AccessControlAndTlsTests.WaitUntilAsync(() => server.Server.ActiveAssociations == 0);
    }
}
