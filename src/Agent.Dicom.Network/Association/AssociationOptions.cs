namespace Agent.Dicom.Network.Association;

/// <summary>Limits and timers of one association (either side).</summary>
public sealed record AssociationOptions
{
    /// <summary>Largest P-DATA-TF this side accepts (advertised in the maximum length sub-item).</summary>
    public uint MaxReceivePduLength { get; init; } = 1024 * 1024;

    /// <summary>Upper bound on PDUs this side sends, even when the peer allows more (or advertises 0, unlimited).</summary>
    public uint MaxSendPduLength { get; init; } = 1024 * 1024;

    /// <summary>ARTIM (PS3.8 9.1.5): how long to wait for an A-ASSOCIATE-RQ/AC and for the peer to close after release or abort.</summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an established association may stay silent between PDUs before it is aborted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the rest of a PDU may take once its header arrived (defeats slow senders).</summary>
    public TimeSpan PduBodyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an SCU waits for each response (pending ones included).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest data set held in memory (C-FIND identifiers; C-STORE data sets are streamed, never buffered).</summary>
    public int MaxBufferedDataSetLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest C-STORE data set accepted; bigger ones are drained and answered with A700 (out of resources).</summary>
    public long MaxStoreDataSetLength { get; init; } = 8L * 1024 * 1024 * 1024;
}
