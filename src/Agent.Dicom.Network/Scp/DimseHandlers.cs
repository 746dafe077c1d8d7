using Agent.Dicom;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// Which handler answers which request on an association, from the providers it was given. A new SCP role is a
/// provider interface on <see cref="DicomServices"/> plus one line here; C-* services are found by command, DIMSE-N
/// services by command and the presentation context's SOP class (N-CREATE serves both MPPS and IAN). Requests without
/// a handler are answered 0211H Unrecognized Operation.
/// </summary>
internal sealed class DimseHandlers(DicomServices services, AssociationOptions options, ILogger logger)
{
    private static readonly string Mpps = DicomUids.ModalityPerformedProcedureStep.Uid;
    private static readonly string InstanceAvailability = DicomUids.InstanceAvailabilityNotification.Uid;
    private static readonly string StorageCommitment = DicomUids.StorageCommitmentPushModel.Uid;

    private readonly EchoHandler _echo = new(services.Echo);
    private readonly StoreHandler _store = new(services.Store, options, logger);
    private readonly CancelHandler _cancel = new();
    private readonly MppsHandler? _mpps = services.Mpps is { } p ? new(p, logger) : null;
    private readonly InstanceAvailabilityHandler? _ian = services.InstanceAvailability is { } p ? new(p, logger) : null;
    private readonly StorageCommitmentReportHandler? _commitmentReports = services.StorageCommitmentReports is { } p ? new(p, logger) : null;

    public DimseRequestHandler? Find(CommandField command, string abstractSyntax) => command switch
    {
        CommandField.CEchoRequest => _echo,
        CommandField.CStoreRequest => _store,
        CommandField.CCancelRequest => _cancel,
        CommandField.NCreateRequest or CommandField.NSetRequest when abstractSyntax == Mpps => _mpps,
        CommandField.NCreateRequest when abstractSyntax == InstanceAvailability => _ian,
        CommandField.NEventReportRequest when abstractSyntax == StorageCommitment => _commitmentReports,
        _ => null,
    };
}
