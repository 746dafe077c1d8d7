using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// Modality Performed Procedure Step SCP (PS3.4 F.7): N-CREATE starts a step IN PROGRESS, N-SET updates it until it is
/// COMPLETED or DISCONTINUED, after which it may no longer be updated. Every decision is made against what the
/// provider has stored; the provider stores what was accepted.
/// </summary>
internal sealed class MppsHandler(IMppsProvider provider, ILogger logger) : NRequestHandler(logger)
{
    protected override ValueTask<NResponse> AnswerAsync(ReceivedRequest request, DicomDataset? dataSet, CancellationToken cancellationToken)
        => request.Command.CommandField == CommandField.NCreateRequest
            ? CreateAsync(request, dataSet, cancellationToken)
            : SetAsync(request, dataSet, cancellationToken);

    private async ValueTask<NResponse> CreateAsync(ReceivedRequest request, DicomDataset? attributes, CancellationToken cancellationToken)
    {
        // PS3.7 10.1.5.1.4: an N-CREATE without an instance UID gets one from the SCP, returned in the response.
        var uid = request.Command.AffectedSopInstanceUid ?? DicomUidGenerator.Create();
        if (attributes is null) return Answer(request, new NServiceResult(DimseStatus.MissingAttribute, "N-CREATE without an attribute list"), uid);
        if (MppsRules.CheckCreate(attributes) is { } violation) return Answer(request, violation.Result, uid, violation.OffendingElements);
        if (await provider.FindAsync(uid, cancellationToken).ConfigureAwait(false) is not null)
            return Answer(request, NServiceResult.DuplicateInstance(uid), uid);
        var summary = MppsSummary.Parse(uid, attributes);
        var result = await provider.CreateAsync(new MppsCreate
        {
            Association = request.Association, SopInstanceUid = uid, Attributes = attributes, Summary = summary,
        }, cancellationToken).ConfigureAwait(false);
        if (result.Status.IsSuccess) NetLog.MppsAccepted(Logger, uid, "created", summary.Status.ToCode(), summary.Series.Count);
        return Answer(request, result, uid);
    }

    private async ValueTask<NResponse> SetAsync(ReceivedRequest request, DicomDataset? modifications, CancellationToken cancellationToken)
    {
        var uid = request.Command.RequestedSopInstanceUid!;
        modifications ??= new DicomDataset();
        if (await provider.FindAsync(uid, cancellationToken).ConfigureAwait(false) is not { } stored)
            return Answer(request, new NServiceResult(DimseStatus.NoSuchSopInstance, $"no performed procedure step {uid}"), uid);
        // F.7.2.2.3: only a step IN PROGRESS takes an N-SET; a finished one answers 0110 with the specific comment (F.7.2.2.4).
        if (!PerformedProcedureStepStatusText.TryParse(stored.GetString(DicomTags.PerformedProcedureStepStatus), out var previous)
            || previous != PerformedProcedureStepStatus.InProgress)
            return Answer(request, MppsResults.MayNoLongerBeUpdated, uid);
        if (MppsRules.CheckStatus(modifications, out var next) is { } badStatus) return Answer(request, badStatus.Result, uid, badStatus.OffendingElements);
        if (MppsRules.CheckCharacterSet(stored, modifications) is { } badCharset) return Answer(request, badCharset.Result, uid, badCharset.OffendingElements);
        var merged = MppsRules.Merge(stored, modifications, tag => NetLog.MppsCreateOnlyIgnored(Logger, uid, tag.ToString()));
        var status = next ?? previous;
        if (status != PerformedProcedureStepStatus.InProgress && MppsRules.CheckFinal(merged, status) is { } notFinal)
            return Answer(request, notFinal.Result, uid, notFinal.OffendingElements);
        var summary = MppsSummary.Parse(uid, merged);
        var result = await provider.UpdateAsync(new MppsUpdate
        {
            Association = request.Association, SopInstanceUid = uid, Modifications = modifications, Attributes = merged,
            PreviousStatus = previous, Summary = summary,
        }, cancellationToken).ConfigureAwait(false);
        if (result.Status.IsSuccess) NetLog.MppsAccepted(Logger, uid, "updated", summary.Status.ToCode(), summary.Series.Count);
        return Answer(request, result, uid);
    }
}
