using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agent.Dicom;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Dicom.Network.Client;

/// <summary>
/// An SCU association: connect (negotiating the presentation contexts the requests need), then
/// <c>await foreach (var rsp in client.SendAsync(request, ct))</c> for each request, then <see cref="ReleaseAsync"/>
/// (or <see cref="AbortAsync"/>). Cancelling a C-FIND/C-MOVE/C-GET sends C-CANCEL.
/// </summary>
public sealed partial class DicomClient : IAsyncDisposable
{
    private static readonly string[] UncompressedSyntaxes = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>Common storage classes proposed with the SCP role for C-GET (the instances come back on this association).</summary>
    private static readonly string[] CGetStorageClasses = new[]
    {
        DicomUids.CTImageStorage, DicomUids.MRImageStorage, DicomUids.EnhancedCTImageStorage, DicomUids.EnhancedMRImageStorage,
        DicomUids.SecondaryCaptureImageStorage, DicomUids.SegmentationStorage, DicomUids.ComprehensiveSRStorage,
        DicomUids.Comprehensive3DSRStorage, DicomUids.EnhancedSRStorage, DicomUids.BasicTextSRStorage,
        DicomUids.PositronEmissionTomographyImageStorage, DicomUids.RTStructureSetStorage, DicomUids.ComputedRadiographyImageStorage,
        DicomUids.DigitalXRayImageStorageForPresentation, DicomUids.UltrasoundImageStorage, DicomUids.NuclearMedicineImageStorage,
        DicomUids.XRayAngiographicImageStorage, DicomUids.RTImageStorage, DicomUids.RTDoseStorage,
    }.Select(u => u.Uid).ToArray();

    private readonly DicomConnection _connection;
    private readonly DimseService _dimse;
    private readonly DicomClientOptions _options;
    private readonly Task _loop;
    private int _nextMessageId;

    private DicomClient(DicomConnection connection, DimseService dimse, DicomClientOptions options, Task loop)
    {
        _connection = connection;
        _dimse = dimse;
        _options = options;
        _loop = loop;
    }

    public AssociationInfo Association => _connection.Info!;

    /// <summary>True until the association is released or aborted.</summary>
    public bool IsConnected => _connection.State is State.Sta6Established;

    /// <summary>Connects and negotiates contexts suited to <paramref name="requests"/> (store requests propose their files' syntaxes).</summary>
    public static Task<DicomClient> ConnectForAsync(DicomClientOptions options, IEnumerable<DicomRequest> requests, DicomServices? services = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
        => ConnectAsync(options, ContextsFor(requests), services, logger, cancellationToken);

    /// <summary>The presentation contexts a set of requests needs.</summary>
    public static IReadOnlyList<PresentationContextRequest> ContextsFor(IEnumerable<DicomRequest> requests)
    {
        var list = new List<PresentationContextRequest>();
        var seen = new HashSet<(string, string)>();
        foreach (var r in requests)
        {
            switch (r)
            {
                case CStoreRequest s:
                    if (seen.Add((s.StoreSopClassUid, s.TransferSyntaxUid)))
                        list.Add(new PresentationContextRequest(s.StoreSopClassUid, [s.TransferSyntaxUid]));
                    break;
                case CGetRequest g:
                    if (seen.Add((g.SopClassUid, ""))) list.Add(new PresentationContextRequest(g.SopClassUid, UncompressedSyntaxes));
                    foreach (var storage in CGetStorageClasses)
                    {
                        if (seen.Add((storage, "get")))
                            list.Add(new PresentationContextRequest(storage, DicomServerOptions.DefaultTransferSyntaxes) { ProposeScpRole = true });
                    }
                    break;
                default:
                    if (seen.Add((r.SopClassUid, ""))) list.Add(new PresentationContextRequest(r.SopClassUid, UncompressedSyntaxes));
                    break;
            }
        }
        if (list.Count > StoreBatches.MaxPresentationContexts)
            throw new ArgumentException($"{list.Count} presentation contexts needed; at most {StoreBatches.MaxPresentationContexts} fit in one association", nameof(requests));
        return list;
    }

    public static async Task<DicomClient> ConnectAsync(DicomClientOptions options, IReadOnlyList<PresentationContextRequest> contexts,
        DicomServices? services = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        if (contexts.Count is 0 or > StoreBatches.MaxPresentationContexts)
            throw new ArgumentException($"propose between 1 and {StoreBatches.MaxPresentationContexts} presentation contexts", nameof(contexts));
        logger ??= NullLogger.Instance;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(options.Host, options.Port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DicomNetworkException($"connecting to {options.Host}:{options.Port} timed out after {options.ConnectTimeout.TotalSeconds:0} s");
            }
            catch (SocketException ex)
            {
                throw new DicomNetworkException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", ex);
            }
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                try
                {
                    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? options.Host,
                        EnabledSslProtocols = Bcp195.Protocols,
                        CipherSuitesPolicy = Bcp195.Policy,
                        ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, cert, _, errors) => TlsValidation.IsTrusted(cert, errors, tls.TrustedServerCertificates),
                    }, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AuthenticationException or IOException)
                {
                    await ssl.DisposeAsync().ConfigureAwait(false);
                    throw new DicomNetworkException($"TLS handshake with {options.Host}:{options.Port} failed: {ex.Message}", ex);
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new DicomConnection(stream, isRequestor: true, options.Association, logger);
        // Requests the peer sends us (C-STORE sub-operations of a C-GET) are answered by the same DIMSE layer as an SCP's.
        var dimse = DimseService.Attach(connection, services ?? new DicomServices(), options.Association, logger);
        var proposals = new List<PresentationContextProposal>(contexts.Count);
        for (int i = 0; i < contexts.Count; i++)
            proposals.Add(new PresentationContextProposal((byte)(2 * i + 1), contexts[i].AbstractSyntax, contexts[i].TransferSyntaxes));
        var roles = contexts.Where(c => c.ProposeScpRole).Select(c => new RoleSelection(c.AbstractSyntax, false, true)).ToList();
        var rq = new AssociateRequestPdu
        {
            CalledAeTitle = options.CalledAeTitle, CallingAeTitle = options.CallingAeTitle, PresentationContexts = proposals,
            UserInformation = new UserInformation
            {
                MaximumLength = options.Association.MaxReceivePduLength, ImplementationClassUid = DicomImplementation.ClassUid,
                ImplementationVersionName = DicomImplementation.VersionName, RoleSelections = roles, UserIdentity = options.UserIdentity,
                ExtendedNegotiations = options.ExtendedNegotiations,
            },
        };
        var stop = new CancellationTokenSource();
        try
        {
            await connection.SendAssociateRequestAsync(rq, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            throw new DicomNetworkException($"sending A-ASSOCIATE-RQ to {options.Host}:{options.Port} failed: {ex.Message}", ex);
        }
        var loop = Task.Run(() => connection.RunAsync(CancellationToken.None, stop.Token), CancellationToken.None);
        DicomPdu answer;
        try
        {
            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            artim.CancelAfter(options.Association.ArtimTimeout);
            answer = await connection.AssociateAnswer.WaitAsync(artim.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await connection.AbortAsync("no association answer").ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw new DicomNetworkException($"no A-ASSOCIATE-AC from {options.Host}:{options.Port}: {ex.Message}", ex);
        }
        if (answer is AssociateRejectPdu rj)
        {
            await loop.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            stop.Dispose();
            throw new DicomAssociationRejectedException(rj);
        }
        var ac = (AssociateAcceptPdu)answer;
        var accepted = new Dictionary<byte, AcceptedPresentationContext>();
        foreach (var r in ac.PresentationContexts)
        {
            var p = proposals.FirstOrDefault(x => x.Id == r.Id);
            if (p is not null && r.Result == PresentationContextResultCode.Acceptance)
                accepted[r.Id] = new AcceptedPresentationContext(r.Id, p.AbstractSyntax, r.TransferSyntax);
        }
        connection.SetInfo(new AssociationInfo
        {
            Id = AssociationIds.Next(), CallingAeTitle = options.CallingAeTitle, CalledAeTitle = options.CalledAeTitle,
            RemoteEndPoint = socket.RemoteEndPoint as System.Net.IPEndPoint, IsTls = options.Tls is not null,
            RemoteImplementationClassUid = ac.UserInformation.ImplementationClassUid, RemoteImplementationVersionName = ac.UserInformation.ImplementationVersionName,
            PresentationContexts = accepted, RoleSelections = ac.UserInformation.RoleSelections, PeerMaxPduLength = ac.UserInformation.MaximumLength,
            LocalMaxPduLength = options.Association.MaxReceivePduLength, AsyncOperations = ac.UserInformation.AsyncOperations,
            ExtendedNegotiations = ac.UserInformation.ExtendedNegotiations, UserIdentity = options.UserIdentity,
        });
        var client = new DicomClient(connection, dimse, options, loop);
        client._stopOwned = stop;
        return client;
    }

    private CancellationTokenSource? _stopOwned;

    /// <summary>The accepted context for a request, or null when the peer accepted none that fits.</summary>
    public AcceptedPresentationContext? FindContext(DicomRequest request)
    {
        foreach (var pc in Association.PresentationContexts.Values.OrderBy(p => p.Id))
        {
            if (pc.AbstractSyntax != request.SopClassUid) continue;
            if (request is CStoreRequest s && pc.TransferSyntax != s.TransferSyntaxUid) continue;
            return pc;
        }
        return null;
    }

    /// <summary>
    /// Sends a request and yields its responses: one for C-ECHO/C-STORE, pending ones then a final one for
    /// C-FIND/C-MOVE/C-GET. Cancelling sends C-CANCEL and waits briefly for the final response before throwing.
    /// </summary>
    public async IAsyncEnumerable<DicomResponse> SendAsync(DicomRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pc = FindContext(request) ?? throw new DicomNetworkException(request is CStoreRequest s
            ? $"the peer accepted no presentation context for {s.StoreSopClassUid} in transfer syntax {s.TransferSyntaxUid}"
            : $"the peer accepted no presentation context for {request.SopClassUid}");
        var id = NextMessageId();
        var command = request.BuildCommand(id);
        var responses = _dimse.RegisterPending(id);
        try
        {
            switch (request)
            {
                case CStoreRequest store:
                    {
                        var (data, length) = store.OpenDataSet();
                        await using (data.ConfigureAwait(false))
                            await _dimse.SendAsync(pc.Id, command, data, length, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                default:
                    await _dimse.SendAsync(pc, command, request.DataSet, cancellationToken).ConfigureAwait(false);
                    break;
            }

            bool cancelSent = false;
            while (true)
            {
                DicomResponse? response;
                using (var timeout = new CancellationTokenSource(_options.Association.ResponseTimeout))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancelSent ? CancellationToken.None : cancellationToken))
                {
                    try
                    {
                        if (!await responses.WaitToReadAsync(linked.Token).ConfigureAwait(false)) yield break;
                        response = responses.TryRead(out var r) ? r : null;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !cancelSent && request.IsCancellable)
                    {
                        cancelSent = true;
                        await SendCancelAsync(pc.Id, id).ConfigureAwait(false);
                        continue;
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                        await _connection.AbortAsync($"no response to {request.CommandField} within {_options.Association.ResponseTimeout}").ConfigureAwait(false);
                        throw new DicomNetworkException($"no response to {request.CommandField} within {_options.Association.ResponseTimeout}; association aborted");
                    }
                }
                if (response is null) continue;
                if (!cancelSent && cancellationToken.IsCancellationRequested && request.IsCancellable && !response.Status.IsFinal)
                {
                    cancelSent = true;
                    await SendCancelAsync(pc.Id, id).ConfigureAwait(false);
                }
                if (cancelSent)
                {
                    // Cancelled: drain what the peer still sends until its final response, then report the cancellation.
                    if (response.Status.IsFinal) cancellationToken.ThrowIfCancellationRequested();
                    continue;
                }
                yield return response;
                if (response.Status.IsFinal) yield break;
            }
        }
        finally
        {
            _dimse.Unregister(id);
        }
    }

    private async ValueTask SendCancelAsync(byte pcId, ushort messageId)
    {
        var cancel = new DimseCommand { CommandField = CommandField.CCancelRequest, MessageIdBeingRespondedTo = messageId, HasDataSet = false };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _dimse.SendAsync(pcId, cancel, null, 0, timeout.Token).ConfigureAwait(false);
    }

    private ushort NextMessageId()
    {
        while (true)
        {
            var id = (ushort)Interlocked.Increment(ref _nextMessageId);
            if (id != 0) return id;
        }
    }

    /// <summary>Sends a request and returns its final response (pending ones are skipped).</summary>
    public async Task<DicomResponse> SendForFinalAsync(DicomRequest request, CancellationToken cancellationToken = default)
    {
        DicomResponse? last = null;
        await foreach (var r in SendAsync(request, cancellationToken).ConfigureAwait(false)) last = r;
        return last ?? throw new DicomAssociationAbortedException($"association ended before the final response to {request.CommandField}");
    }

    /// <summary>
    /// Sends a DIMSE-N request (N-CREATE, N-SET, N-GET, N-ACTION, N-EVENT-REPORT, N-DELETE) and returns its one response,
    /// whatever its status: a refusal is an answer, not an exception.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(NRequest<TResponse> request, CancellationToken cancellationToken = default) where TResponse : NResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendForFinalAsync(request, cancellationToken).ConfigureAwait(false);
        return request.ReadResponse(response);
    }

    /// <summary>Orderly release (A-RELEASE-RQ/RP).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await _connection.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>A-ABORT: ends the association at once; outstanding requests fail.</summary>
    public async Task AbortAsync()
    {
        await _connection.AbortAsync("aborted by the local user").ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Releases if still established (aborting if the release does not complete), then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsConnected)
        {
            try { await ReleaseAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) when (ex is DicomNetworkException or IOException or OperationCanceledException) { }
        }
        if (_stopOwned is { } stop) await stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stopOwned?.Dispose();
    }

    /// <summary>C-ECHO in its own association.</summary>
    public static async Task<DimseStatus> EchoAsync(DicomClientOptions options, CancellationToken cancellationToken = default)
    {
        var echo = new CEchoRequest();
        var client = await ConnectForAsync(options, [echo], cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var rsp = await client.SendForFinalAsync(echo, cancellationToken).ConfigureAwait(false);
            await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return rsp.Status;
        }
    }
}
