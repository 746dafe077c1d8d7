using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// Instance Availability Notification SCP (PS3.4 R): one N-CREATE per notification. The attribute list must name the
/// study and, for each series, its instances with their availability (PS3.3 C.4.23, type 1); the Referenced Performed
/// Procedure Step Sequence (type 2) may be empty, Retrieve AE Title (1C) absent; anything else is passed on unread.
/// </summary>
internal sealed class InstanceAvailabilityHandler(IInstanceAvailabilityProvider provider, ILogger logger) : NRequestHandler(logger)
{
    protected override async ValueTask<NResponse> AnswerAsync(ReceivedRequest request, DicomDataset? attributes, CancellationToken cancellationToken)
    {
        var uid = request.Command.AffectedSopInstanceUid ?? DicomUidGenerator.Create();
        if (attributes is null) return Answer(request, new NServiceResult(DimseStatus.MissingAttribute, "N-CREATE without an attribute list"), uid);
        if (Check(attributes) is { } violation) return Answer(request, violation.Result, uid, violation.OffendingElements);
        var summary = InstanceAvailabilitySummary.Parse(uid, attributes);
        var result = await provider.OnNotificationAsync(new InstanceAvailabilityNotification
        {
            Association = request.Association, SopInstanceUid = uid, Attributes = attributes, Summary = summary,
        }, cancellationToken).ConfigureAwait(false);
        if (result.Status.IsSuccess)
            NetLog.IanAccepted(Logger, uid, summary.StudyInstanceUid, summary.Series.Count, summary.Series.Sum(s => s.Instances.Count));
        return Answer(request, result, uid);
    }

    private static RuleViolation? Check(DicomDataset attributes)
    {
        if (NRules.Required(attributes, DicomTags.StudyInstanceUID) is { } noStudy) return noStudy;
        if (NRules.Required(attributes, DicomTags.ReferencedSeriesSequence) is { } noSeries) return noSeries;
        foreach (var series in Sequences.Items(attributes, DicomTags.ReferencedSeriesSequence))
        {
            if (NRules.Required(series, DicomTags.SeriesInstanceUID, DicomTags.ReferencedSeriesSequence) is { } noUid) return noUid;
            if (NRules.Required(series, DicomTags.ReferencedSOPSequence, DicomTags.ReferencedSeriesSequence) is { } noSops) return noSops;
            foreach (var sop in Sequences.Items(series, DicomTags.ReferencedSOPSequence))
            {
                DicomTag[] path = [DicomTags.ReferencedSeriesSequence, DicomTags.ReferencedSOPSequence];
                if (NRules.Required(sop, DicomTags.ReferencedSOPClassUID, path) is { } noClass) return noClass;
                if (NRules.Required(sop, DicomTags.ReferencedSOPInstanceUID, path) is { } noInstance) return noInstance;
                if (NRules.Required(sop, DicomTags.InstanceAvailability, path) is { } noAvailability) return noAvailability;
                var availability = sop.GetString(DicomTags.InstanceAvailability);
                if (!InstanceAvailabilityText.TryParse(availability, out _))
                    return NRules.Invalid(DicomTags.InstanceAvailability, $"availability '{availability}' is not ONLINE, NEARLINE, OFFLINE or UNAVAILABLE", path);
            }
        }
        return null;
    }
}
