using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// Which handler answers which request command on an association, from the providers it was given. A new SCP role
/// is a provider interface on <see cref="DicomServices"/> plus one line here; commands without a handler are answered
/// 0211H Unrecognized Operation.
/// </summary>
internal sealed class DimseHandlers(DicomServices services, AssociationOptions options, ILogger logger)
{
    private readonly EchoHandler _echo = new(services.Echo);
    private readonly StoreHandler _store = new(services.Store, options, logger);
    private readonly CancelHandler _cancel = new();

    public DimseRequestHandler? Find(CommandField command) => command switch
    {
        CommandField.CEchoRequest => _echo,
        CommandField.CStoreRequest => _store,
        CommandField.CCancelRequest => _cancel,
        _ => null,
    };
}
