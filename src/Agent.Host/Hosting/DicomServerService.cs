using System.Net;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Agent.Host.Configuration;
using Agent.Host.Ingest;
using Agent.Host.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Hosting;

/// <summary>
/// The DICOM SCP as a hosted service. Before listening it repairs the store/index after a crash; on stop the
/// server finishes in-flight C-STOREs, then pending association records are written (the database stops after this).
/// </summary>
internal sealed partial class DicomServerService : IHostedService, IAsyncDisposable
{
    private readonly AgentSettings _settings;
    private readonly DatabaseAccess _database;
    private readonly InstanceStore _store;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Routing.SeriesArrivals _arrivals;
    private DicomServer? _server;
    private AssociationTracker? _tracker;
    private List<System.Security.Cryptography.X509Certificates.X509Certificate2> _certificates = [];

    public DicomServerService(AgentSettings settings, DatabaseAccess database, InstanceStore store, TimeProvider time, ILoggerFactory loggers,
        Routing.SeriesArrivals arrivals)
    {
        _arrivals = arrivals;
        _settings = settings;
        _database = database;
        _store = store;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DicomServerService>();
    }

    /// <summary>The port actually listened on (resolves Agent:Dicom:Port = 0).</summary>
    public int Port => _server?.Port ?? 0;

    /// <summary>The TLS port actually listened on; 0 when TLS is off.</summary>
    public int TlsPort => _server?.TlsPort ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dicom = _settings.Dicom;
        var bind = IPAddress.Parse(dicom.BindAddress);
        var reader = new DicomHeaderReader();
        var index = new PostgresInstanceIndex(_database, _settings.Storage);
        _tracker = new AssociationTracker(_database, AssociationTracker.DefaultNode(bind, dicom.Port, dicom.AeTitle));

        var repaired = await new StoreReconciler(_store, reader, index, _database).ReconcileAsync(_tracker.Node, cancellationToken).ConfigureAwait(false);
        if (repaired > 0) Log.Reconciled(_logger, repaired);

        var pipeline = new IngestPipeline(_store, reader, new Routing.ArrivalNotifyingIndex(index, _arrivals), _settings.Storage.DuplicatePolicy, _time, _loggers.CreateLogger<IngestPipeline>());
        var watermark = new DiskWatermark(_store.DataFolder, _settings.Storage.MinFreeSpaceMB, _loggers.CreateLogger<DiskWatermark>());
        var options = ServerOptions(dicom, bind);
        if (options.Tls is { } tls) _certificates = [tls.ServerCertificate, .. tls.TrustedClientCertificates];
        _server = new DicomServer(options, new DicomServices { Store = new IngestStoreProvider(pipeline, _tracker) }, watermark, _loggers);
        _server.AssociationClosed += _tracker.Closed;
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        // Last line of start-up, the one to wait for: everything before it (data folder, database) is ready.
        Log.Database(_logger, _database.Description);
        if (dicom.Tls.Enabled) ListeningTls(_logger, dicom.BindAddress, _server.TlsPort, dicom.Tls.RequireClientCertificate ? "required" : "optional");
        Log.Listening(_logger, dicom.BindAddress, _server.Port, dicom.AeTitle.Trim());
    }

    /// <summary>The network library's options from <c>Agent:Dicom</c> (already validated, so certificate files load).</summary>
    internal static DicomServerOptions ServerOptions(DicomOptions dicom, IPAddress bind) => new()
    {
        BindAddress = bind,
        Port = dicom.Port,
        AeTitle = dicom.AeTitle.Trim(),
        MaxAssociations = dicom.MaxAssociations,
        AcceptedCalledAeTitles = dicom.EffectiveCalledAeTitles(),
        AllowedPeers = dicom.AllowedPeers.Select(p => AllowedPeer.Parse(p.AeTitle.Trim(), p.Network)).ToList(),
        TransferSyntaxes = dicom.TransferSyntaxes.Count == 0 ? DicomServerOptions.DefaultTransferSyntaxes : dicom.TransferSyntaxes.Select(t => t.Trim()).ToList(),
        Association = new AssociationOptions { MaxReceivePduLength = (uint)dicom.MaxPduLength, MaxSendPduLength = (uint)dicom.MaxPduLength },
        Tls = dicom.Tls.Enabled
            ? new DicomTlsOptions
            {
                Port = dicom.Tls.Port,
                ServerCertificate = dicom.Tls.LoadServerCertificate(),
                RequireClientCertificate = dicom.Tls.RequireClientCertificate,
                TrustedClientCertificates = dicom.Tls.LoadTrustedClientCertificates(),
            }
            : null,
    };

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information, Message = "Listening for DICOM over TLS on {Address}:{Port} (client certificate {ClientCertificate})")]
    private static partial void ListeningTls(ILogger logger, string address, int port, string clientCertificate);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        Log.Stopping(_logger);
        await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_tracker is not null) await _tracker.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        foreach (var certificate in _certificates) certificate.Dispose();
    }
}
