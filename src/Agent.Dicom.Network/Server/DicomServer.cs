using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Dicom.Network.Server;

/// <summary>
/// The DICOM SCP: listens on a plain port and optionally a TLS port, runs each association on its own task with a
/// logging scope, enforces the association limit and access control, and on stop lets in-flight C-STOREs finish.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly DicomServices _services;
    private readonly AssociationNegotiator _negotiator;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly ConcurrentDictionary<Task, byte> _associations = new();
    private readonly List<(TcpListener Listener, bool Tls, Task Loop)> _listeners = [];
    private int _active;

    public DicomServer(DicomServerOptions options, DicomServices services, IAssociationAuthorizer? authorizer = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _services = services;
        _negotiator = new AssociationNegotiator(options, services, authorizer);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Agent.Dicom.Network.Server");
    }

    /// <summary>The bound plain port (resolved when configured as 0), or 0 when disabled.</summary>
    public int Port { get; private set; }

    /// <summary>The bound TLS port, or 0 when TLS is off.</summary>
    public int TlsPort { get; private set; }

    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Raised when an association ends (accepted ones only), for provenance records.</summary>
    public event Action<AssociationInfo, string?>? AssociationClosed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_options.Port is { } port) Port = Listen(port, tls: false);
        if (_options.Tls is { } tls) TlsPort = Listen(tls.Port, tls: true);
        if (_listeners.Count == 0) throw new InvalidOperationException("neither a plain nor a TLS port is configured");
        return Task.CompletedTask;
    }

    private int Listen(int port, bool tls)
    {
        var listener = new TcpListener(_options.BindAddress, port);
        // "::" means every address: accept IPv4 peers too (as ::ffff:a.b.c.d), as most servers do.
        if (_options.BindAddress.Equals(IPAddress.IPv6Any)) listener.Server.DualMode = true;
        listener.Server.NoDelay = true;
        listener.Start(backlog: 128);
        var bound = ((IPEndPoint)listener.LocalEndpoint).Port;
        NetLog.Listening(_logger, listener.LocalEndpoint.ToString() ?? "", tls);
        _listeners.Add((listener, tls, AcceptLoopAsync(listener, tls)));
        return bound;
    }

    private async Task AcceptLoopAsync(TcpListener listener, bool tls)
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            socket.NoDelay = true;
            var task = Task.Run(() => RunAssociationAsync(socket, tls));
            _associations.TryAdd(task, 0);
            _ = task.ContinueWith(t => _associations.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunAssociationAsync(Socket socket, bool tls)
    {
        var id = AssociationIds.Next();
        var remote = socket.RemoteEndPoint as IPEndPoint;
        // On a dual-stack listener IPv4 peers arrive IPv4-mapped; logs and provenance show them as plain IPv4.
        if (remote is { Address.IsIPv4MappedToIPv6: true }) remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
        var scope = new AssociationLogScope(id, remote?.Address.ToString() ?? "?");
        using var logScope = _logger.BeginScope(scope);
        var overLimit = Interlocked.Increment(ref _active) > _options.MaxAssociations;
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            string? clientSubject = null;
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                try
                {
                    using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(_hardStop.Token);
                    handshakeTimeout.CancelAfter(_options.Association.ArtimTimeout);
                    await ssl.AuthenticateAsServerAsync(ServerTlsOptions(_options.Tls!), handshakeTimeout.Token).ConfigureAwait(false);
                    clientSubject = ssl.RemoteCertificate?.Subject;
                }
                catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
                {
                    NetLog.TlsFailed(_logger, remote?.ToString(), ex.Message);
                    await ssl.DisposeAsync().ConfigureAwait(false);
                    return;
                }
            }
            var connection = new DicomConnection(stream, isRequestor: false, _options.Association, _logger)
            {
                Negotiate = async (rq, ct) =>
                {
                    scope.CallingAeTitle = rq.CallingAeTitle;
                    scope.CalledAeTitle = rq.CalledAeTitle;
                    var outcome = await _negotiator.NegotiateAsync(rq, id, remote, tls, clientSubject, overLimit, ct).ConfigureAwait(false);
                    if (outcome.Info is { } info) NetLog.Accepted(_logger, rq.CallingAeTitle, rq.CalledAeTitle, remote?.ToString(), info.PresentationContexts.Count);
                    else NetLog.Rejected(_logger, rq.CallingAeTitle, rq.CalledAeTitle, remote?.ToString(), outcome.RejectReason ?? "");
                    return outcome;
                },
            };
            DimseService.Attach(connection, _services, _options.Association, _logger);
            await using (connection.ConfigureAwait(false))
            {
                await connection.RunAsync(_shutdown.Token, _hardStop.Token).ConfigureAwait(false);
                if (connection.Info is { } info) AssociationClosed?.Invoke(info, connection.AbortCause);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            NetLog.Unexpected(_logger, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private static SslServerAuthenticationOptions ServerTlsOptions(DicomTlsOptions tls) => new()
    {
        ServerCertificate = tls.ServerCertificate,
        EnabledSslProtocols = Bcp195.Protocols,
        CipherSuitesPolicy = Bcp195.Policy,
        ClientCertificateRequired = tls.RequireClientCertificate,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            !tls.RequireClientCertificate || TlsValidation.IsTrusted(certificate, errors, tls.TrustedClientCertificates),
    };

    /// <summary>
    /// Stops accepting, lets associations finish the message they are receiving (in-flight C-STOREs complete and are
    /// answered), aborts idle ones, and after the grace period aborts whatever is left.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        NetLog.Stopping(_logger, _associations.Count);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var (listener, _, _) in _listeners) listener.Stop();
        foreach (var (_, _, loop) in _listeners) await loop.ConfigureAwait(false);
        var all = Task.WhenAll(_associations.Keys);
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(_options.ShutdownGracePeriod);
            try { await all.WaitAsync(grace.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        await _hardStop.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shutdown.IsCancellationRequested) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _shutdown.Dispose();
        _hardStop.Dispose();
    }
}
