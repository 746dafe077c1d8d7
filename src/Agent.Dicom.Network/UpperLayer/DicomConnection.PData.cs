using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.UpperLayer;

internal sealed partial class DicomConnection
{
    private readonly List<PresentationDataValue> _pdvs = new(4);
    private byte[] _sendBuffer = [];
    private int _sendPduLength;

    /// <summary>
    /// P-DATA request (Evt9, DT-1): sends one DIMSE message, its encoded command set then the data set if any, as
    /// P-DATA-TF PDUs of one PDV each, no larger than the peer accepts. The data set is read straight into the PDU
    /// buffer behind the header <see cref="PduCodec.WriteSinglePdvHeader"/> writes, so sending a file costs one copy.
    /// </summary>
    /// <param name="what">Names the message in the error raised when the association cannot carry data.</param>
    public async ValueTask SendPDataAsync(byte presentationContextId, ReadOnlyMemory<byte> command, Stream? dataSet, long dataSetLength,
        string what, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var t = Fire(Event.Evt9PDataRequestLocal);
            if (t.Action is not (UpperLayerAction.DT1 or UpperLayerAction.AR7))
                throw new DicomNetworkException($"cannot send {what}: association is in state {State}, not established");
            var buffer = SendBuffer();
            int maxValue = _sendPduLength - PduCodec.PdvHeaderLength;
            for (int offset = 0; offset < command.Length;)
            {
                var n = Math.Min(maxValue, command.Length - offset);
                command.Slice(offset, n).CopyTo(buffer.AsMemory(PduCodec.SinglePdvHeaderLength));
                offset += n;
                await WritePdvAsync(buffer, presentationContextId, n, isCommand: true, isLast: offset == command.Length, cancellationToken).ConfigureAwait(false);
            }
            if (dataSet is not null)
            {
                long left = dataSetLength;
                do
                {
                    var want = (int)Math.Min(maxValue, left);
                    var n = want == 0 ? 0 : await dataSet.ReadAtLeastAsync(buffer.AsMemory(PduCodec.SinglePdvHeaderLength, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (n < want) throw new IOException($"data set source ended {left - n} bytes early");
                    left -= n;
                    await WritePdvAsync(buffer, presentationContextId, n, isCommand: false, isLast: left == 0, cancellationToken).ConfigureAwait(false);
                }
                while (left > 0);
            }
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private ValueTask WritePdvAsync(byte[] buffer, byte presentationContextId, int length, bool isCommand, bool isLast, CancellationToken cancellationToken)
    {
        PduCodec.WriteSinglePdvHeader(buffer, presentationContextId, length, isCommand, isLast);
        return _stream.WriteAsync(buffer.AsMemory(0, PduCodec.SinglePdvHeaderLength + length), cancellationToken);
    }

    /// <summary>One PDU buffer for the association, sized to the largest PDU both sides allow (at least 1 KiB).</summary>
    private byte[] SendBuffer()
    {
        if (_sendBuffer.Length > 0) return _sendBuffer;
        uint peer = Info?.PeerMaxPduLength ?? 16384;
        uint max = peer == 0 ? _options.MaxSendPduLength : Math.Min(peer, _options.MaxSendPduLength);
        max = Math.Max(max, 1024);
        _sendBuffer = new byte[(int)max + PduCodec.HeaderLength];
        _sendPduLength = (int)max;
        return _sendBuffer;
    }

    /// <summary>
    /// P-DATA indication (DT-2): splits a P-DATA-TF into its PDVs and hands each to the user, after checking it names
    /// an accepted presentation context. Anything malformed is a <see cref="DicomFormatException"/> (then A-ABORT).
    /// </summary>
    private async ValueTask OnPDataAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        _pdvs.Clear();
        PduCodec.DecodePdvs(body, _pdvs);
        var contexts = Info?.PresentationContexts ?? throw new DicomFormatException("P-DATA-TF before association");
        var user = _user ?? throw new InvalidOperationException("P-DATA-TF received on a connection without a user");
        foreach (var pdv in _pdvs)
        {
            if (!contexts.TryGetValue(pdv.PresentationContextId, out var pc))
                throw new DicomFormatException($"PDV on presentation context {pdv.PresentationContextId}, which was not accepted");
            await user.OnPDataAsync(pdv, pc, cancellationToken).ConfigureAwait(false);
        }
    }
}
