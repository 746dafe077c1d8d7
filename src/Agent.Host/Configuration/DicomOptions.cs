namespace Agent.Host.Configuration;

/// <summary>The DICOM SCP this agent runs (section <c>Agent:Dicom</c>).</summary>
public sealed class DicomOptions
{
    public const string Section = "Agent:Dicom";

    /// <summary>Our AE title: what senders put in Called AE Title. 1-16 characters of the AE repertoire.</summary>
    public string AeTitle { get; set; } = "AGENT";

    /// <summary>TCP port of the plain DICOM listener; 0 picks a free port at start (the log says which).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Local address to listen on; 0.0.0.0 for every IPv4 interface.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>How many associations may be open at once; more are rejected (transient).</summary>
    public int MaxAssociations { get; set; } = 32;

    /// <summary>
    /// Called AE titles we answer to. Empty (the default) means only <see cref="AeTitle"/>: a sender that addresses
    /// another node by mistake is told so (A-ASSOCIATE-RJ "called AE title not recognized") instead of having its
    /// images silently filed here. A single "*" accepts any called AE title.
    /// </summary>
    /// <remarks>Lists default to empty because the configuration binder appends to, not replaces, pre-filled lists.</remarks>
    public List<string> AcceptedCalledAeTitles { get; set; } = [];

    /// <summary>Who may open associations (calling AE title + source network). Empty allows everyone.</summary>
    public List<DicomPeerOptions> AllowedPeers { get; set; } = [];

    /// <summary>Accepted transfer syntax UIDs in order of preference; empty uses the network library's default list.</summary>
    public List<string> TransferSyntaxes { get; set; } = [];

    /// <summary>
    /// Largest PDU we accept and send (bytes, 4096-16777216). Bigger PDUs mean fewer round trips for large images;
    /// the bound keeps one hostile peer from making us buffer more than this per PDU.
    /// </summary>
    public int MaxPduLength { get; set; } = 1024 * 1024;

    /// <summary>The optional TLS listener beside the plain one.</summary>
    public DicomTlsSettings Tls { get; set; } = new();

    /// <summary>The called AE titles the server is given; empty there means "any".</summary>
    public IReadOnlyList<string> EffectiveCalledAeTitles() =>
        AcceptedCalledAeTitles.Count == 0 ? [AeTitle.Trim()]
        : AcceptedCalledAeTitles.Any(t => t.Trim() == "*") ? []
        : AcceptedCalledAeTitles.Select(t => t.Trim()).ToList();
}
