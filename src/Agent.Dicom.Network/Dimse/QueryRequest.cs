using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>Common shape of C-FIND, C-MOVE and C-GET: a Q/R information model, a level and an identifier.</summary>
public abstract class QueryRequest : DicomRequest
{
    protected QueryRequest(QueryRetrieveLevel level, DicomDataset identifier, string sopClassUid)
    {
        Level = level;
        Identifier = identifier.Clone();
        Identifier.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, level.ToCode());
        QuerySopClassUid = sopClassUid;
    }

    public QueryRetrieveLevel Level { get; }
    public DicomDataset Identifier { get; }
    public string QuerySopClassUid { get; }
    public override string SopClassUid => QuerySopClassUid;
    internal override bool IsCancellable => true;
    internal override DicomDataset? DataSet => Identifier;

    internal DimseCommand BuildQueryCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, AffectedSopClassUid = QuerySopClassUid, Priority = Priority, HasDataSet = true,
    };
}

/// <summary>C-FIND: pending responses carry matches; the final one carries none.</summary>
public sealed class CFindRequest(QueryRetrieveLevel level, DicomDataset identifier, string? sopClassUid = null)
    : QueryRequest(level, identifier, sopClassUid ?? DicomUids.StudyRootQueryRetrieveInformationModelFind.Uid)
{
    public override CommandField CommandField => CommandField.CFindRequest;
    internal override DimseCommand BuildCommand(ushort messageId) => BuildQueryCommand(messageId);
}

/// <summary>C-MOVE: the archive sends matching instances by C-STORE to <see cref="Destination"/> (e.g. our own SCP).</summary>
public sealed class CMoveRequest(string destination, QueryRetrieveLevel level, DicomDataset identifier, string? sopClassUid = null)
    : QueryRequest(level, identifier, sopClassUid ?? DicomUids.StudyRootQueryRetrieveInformationModelMove.Uid)
{
    public string Destination { get; } = destination;
    public override CommandField CommandField => CommandField.CMoveRequest;

    internal override DimseCommand BuildCommand(ushort messageId)
    {
        var c = BuildQueryCommand(messageId);
        c.MoveDestination = Destination;
        return c;
    }
}

/// <summary>C-GET: matching instances arrive by C-STORE on the same association (the client's store provider receives them).</summary>
public sealed class CGetRequest(QueryRetrieveLevel level, DicomDataset identifier, string? sopClassUid = null)
    : QueryRequest(level, identifier, sopClassUid ?? DicomUids.StudyRootQueryRetrieveInformationModelGet.Uid)
{
    public override CommandField CommandField => CommandField.CGetRequest;
    internal override DimseCommand BuildCommand(ushort messageId) => BuildQueryCommand(messageId);
}
