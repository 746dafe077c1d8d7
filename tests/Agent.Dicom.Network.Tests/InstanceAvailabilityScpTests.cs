using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using static Agent.Dicom.Network.Tests.NServiceData;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// The Instance Availability Notification SCP (PS3.4 R) through a real socket; our own SCU sends the notifications
/// (pynetdicom, which has one, is not packaged here).
/// </summary>
public sealed class InstanceAvailabilityScpTests : IAsyncLifetime
{
    private static readonly string IanClass = DicomUids.InstanceAvailabilityNotification.Uid;
    private readonly RecordingIanProvider _provider = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(services: s => s with { InstanceAvailability = _provider });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<DicomClient> ConnectAsync() => DicomClient.ConnectAsync(
        new DicomClientOptions { Host = "127.0.0.1", Port = _server.Port, CalledAeTitle = "AGENT", CallingAeTitle = "PACS" },
        [new PresentationContextRequest(IanClass, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);

    [Fact]
    public async Task A_notification_of_several_series_reaches_the_provider_as_a_typed_summary()
    {
        var (study, mpps, uid) = (Uid(), Uid(), Uid());
        var (s1, s2, s3) = (Uid(), Uid(), Uid());
        var ct = new[] { Uid(), Uid(), Uid() };
        var (seg, sr) = (Uid(), Uid());
        await using var client = await ConnectAsync();
        var rsp = await client.NotifyInstanceAvailabilityAsync(uid, Ian(study, mpps,
            IanSeries(s1, ct.Select(i => Available(CtImage, i, "ONLINE", "PACS", "PACS_WADO")).ToArray()),
            IanSeries(s2, Available("1.2.840.10008.5.1.4.1.1.66.4", seg, "NEARLINE")),
            IanSeries(s3, Available("1.2.840.10008.5.1.4.1.1.88.34", sr, "OFFLINE"))));
        Assert.Equal((DimseStatus.Success, uid), (rsp.Status, rsp.AffectedSopInstanceUid));
        await client.ReleaseAsync();

        var n = Assert.Single(_provider.Received);
        Assert.Equal((uid, study, "PACS"), (n.Summary.SopInstanceUid, n.Summary.StudyInstanceUid, n.Association.CallingAeTitle));
        Assert.Equal([new SopReference("1.2.840.10008.3.1.2.3.3", mpps)], n.Summary.PerformedProcedureSteps);
        Assert.Equal([s1, s2, s3], n.Summary.Series.Select(s => s.SeriesInstanceUid));
        Assert.Equal(ct, n.Summary.Series[0].Instances.Select(i => i.Sop.SopInstanceUid));
        Assert.All(n.Summary.Series[0].Instances, i => Assert.Equal((CtImage, InstanceAvailability.Online, "PACS\\PACS_WADO"),
            (i.Sop.SopClassUid, i.Availability, string.Join('\\', i.RetrieveAeTitles))));
        Assert.Equal([InstanceAvailability.Nearline, InstanceAvailability.Offline], n.Summary.Series.Skip(1).Select(s => Assert.Single(s.Instances).Availability));
    }

    [Fact]
    public async Task A_notification_without_a_performed_procedure_step_is_accepted_with_none()
    {
        await using var client = await ConnectAsync();
        Assert.Equal(DimseStatus.Success, (await client.NotifyInstanceAvailabilityAsync(Uid(), Ian(Uid(), null, IanSeries(Uid(), Available(CtImage, Uid()))))).Status);
        Assert.Empty(Assert.Single(_provider.Received).Summary.PerformedProcedureSteps);
    }

    public static TheoryData<string, DicomDataset, ushort, DicomTag[]> BadNotifications => new()
    {
        { "no study", RemoveFrom(Ian(Uid(), null, IanSeries(Uid(), Available(CtImage, Uid()))), DicomTags.StudyInstanceUID), 0x0120, [DicomTags.StudyInstanceUID] },
        { "no series", Ian(Uid(), null), 0x0121, [DicomTags.ReferencedSeriesSequence] },
        { "series without instances", Ian(Uid(), null, IanSeries(Uid())), 0x0121, [DicomTags.ReferencedSeriesSequence, DicomTags.ReferencedSOPSequence] },
        { "instance without availability", Ian(Uid(), null, IanSeries(Uid(), RemoveFrom(Available(CtImage, Uid()), DicomTags.InstanceAvailability))), 0x0120,
            [DicomTags.ReferencedSeriesSequence, DicomTags.ReferencedSOPSequence, DicomTags.InstanceAvailability] },
        { "availability not an enumerated value", Ian(Uid(), null, IanSeries(Uid(), Available(CtImage, Uid(), "SOON"))), 0x0106,
            [DicomTags.ReferencedSeriesSequence, DicomTags.ReferencedSOPSequence, DicomTags.InstanceAvailability] },
    };

    private static DicomDataset RemoveFrom(DicomDataset ds, DicomTag tag)
    {
        ds.Remove(tag);
        return ds;
    }

    [Theory]
    [MemberData(nameof(BadNotifications))]
    public async Task A_notification_breaking_a_type_1_rule_is_refused_naming_the_offending_element(string why, DicomDataset attributes, ushort status, DicomTag[] offending)
    {
        await using var client = await ConnectAsync();
        var refused = await client.NotifyInstanceAvailabilityAsync(Uid(), attributes);
        Assert.True(new DimseStatus(status) == refused.Status, $"{why}: {refused}");
        Assert.Equal(offending, refused.OffendingElements);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task The_providers_refusal_is_the_answer()
    {
        var uid = Uid();
        _provider.Answer = n => NServiceResult.DuplicateInstance(n.SopInstanceUid);
        await using var client = await ConnectAsync();
        var refused = await client.NotifyInstanceAvailabilityAsync(uid, Ian(Uid(), null, IanSeries(Uid(), Available(CtImage, Uid()))));
        Assert.Equal((DimseStatus.DuplicateSopInstance, $"{uid} exists already"), (refused.Status, refused.ErrorComment));
    }
}
