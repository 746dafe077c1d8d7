using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using static Agent.Dicom.Network.Tests.NServiceData;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// The MPPS SCP (PS3.4 F) through a real socket: our own SCU (DCMTK has no MPPS SCU) creates and sets steps on our
/// server, whose provider keeps them in memory.
/// </summary>
public sealed class MppsScpTests : IAsyncLifetime
{
    private static readonly string Mpps = DicomUids.ModalityPerformedProcedureStep.Uid;
    private readonly MemoryMppsProvider _provider = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(services: s => s with { Mpps = _provider });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<DicomClient> ConnectAsync() => DicomClient.ConnectAsync(
        new DicomClientOptions { Host = "127.0.0.1", Port = _server.Port, CalledAeTitle = "AGENT", CallingAeTitle = "CT01" },
        [new PresentationContextRequest(Mpps, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]), new PresentationContextRequest(DicomUids.Verification.Uid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);

    /// <summary>A step created IN PROGRESS on its own association, as modalities do at the first image.</summary>
    private async Task<string> CreatedStepAsync()
    {
        var uid = Uid();
        await using var client = await ConnectAsync();
        Assert.Equal(DimseStatus.Success, (await client.CreateMppsAsync(uid, MppsCreate(Uid()))).Status);
        await client.ReleaseAsync();
        return uid;
    }

    [Fact]
    public async Task Create_then_set_completed_gives_the_provider_the_performed_series_with_their_instances()
    {
        var (study, uid, ct1, ct2) = (Uid(), Uid(), Uid(), Uid());
        var images = new[] { Uid(), Uid(), Uid() };
        await using var client = await ConnectAsync();

        var created = await client.CreateMppsAsync(uid, MppsCreate(study));
        Assert.Equal((DimseStatus.Success, uid, Mpps), (created.Status, created.AffectedSopInstanceUid, created.AffectedSopClassUid));
        var create = Assert.Single(_provider.Created);
        Assert.Equal((uid, PerformedProcedureStepStatus.InProgress, "CT01", "PID-7"),
            (create.Summary.SopInstanceUid, create.Summary.Status, create.Association.CallingAeTitle, create.Summary.PatientId));
        Assert.Equal([study], create.Summary.StudyInstanceUids);
        Assert.Empty(create.Summary.Series);

        // The second series lists no images: it happens, and the summary keeps the series with none.
        var set = await client.SetMppsAsync(uid, MppsFinal("COMPLETED", PerformedSeries(ct1, images), PerformedSeries(ct2)));
        Assert.Equal((DimseStatus.Success, uid), (set.Status, set.AffectedSopInstanceUid));
        await client.ReleaseAsync();

        var update = Assert.Single(_provider.Updated);
        Assert.Equal((PerformedProcedureStepStatus.InProgress, PerformedProcedureStepStatus.Completed, true),
            (update.PreviousStatus, update.Summary.Status, update.Summary.IsFinal));
        Assert.Equal([ct1, ct2], update.Summary.Series.Select(s => s.SeriesInstanceUid));
        Assert.Equal(images.Select(i => new SopReference(CtImage, i)), update.Summary.Series[0].Instances);
        Assert.Empty(update.Summary.Series[1].Instances);
        // What the provider stores is the whole step: the N-CREATE's attributes with the N-SET's applied.
        var stored = _provider.Stored(uid)!;
        Assert.Equal(("COMPLETED", "Müller^Anna", "103000"), (stored.GetString(DicomTags.PerformedProcedureStepStatus),
            stored.GetString(DicomTags.PatientName), stored.GetString(DicomTags.PerformedProcedureStepEndTime)));
    }

    [Fact]
    public async Task Setting_a_final_state_twice_is_refused_0110_with_the_annex_f_comment_and_error_id_a710()
    {
        var uid = await CreatedStepAsync();
        await using var client = await ConnectAsync();
        Assert.Equal(DimseStatus.Success, (await client.SetMppsAsync(uid, MppsFinal("COMPLETED", PerformedSeries(Uid(), Uid())))).Status);

        foreach (var again in new[] { MppsFinal("DISCONTINUED"), MppsFinal("COMPLETED", PerformedSeries(Uid())), new DicomDataset().AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, "IN PROGRESS") })
        {
            var refused = await client.SetMppsAsync(uid, again);
            Assert.Equal((DimseStatus.ProcessingFailure, "Performed Procedure Step Object may no longer be updated", (ushort?)0xA710),
                (refused.Status, refused.ErrorComment, refused.ErrorId));
        }
        await client.ReleaseAsync();
        Assert.Single(_provider.Updated);
        Assert.Equal("COMPLETED", _provider.Stored(uid)!.GetString(DicomTags.PerformedProcedureStepStatus));
    }

    [Fact]
    public async Task Two_associations_finishing_one_step_at_once_get_one_success_and_one_0110()
    {
        var uid = await CreatedStepAsync();
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();
        // Whichever is checked second sees COMPLETED, or loses the provider's compare-and-set: nothing here decides by order.
        var answers = await Task.WhenAll(
            first.SetMppsAsync(uid, MppsFinal("COMPLETED", PerformedSeries(Uid(), Uid()))),
            second.SetMppsAsync(uid, MppsFinal("DISCONTINUED")));
        Assert.Equal(1, answers.Count(a => a.Status.IsSuccess));
        var refused = Assert.Single(answers, a => !a.Status.IsSuccess);
        Assert.Equal((DimseStatus.ProcessingFailure, (ushort?)0xA710), (refused.Status, refused.ErrorId));
        Assert.Single(_provider.Updated);
    }

    [Fact]
    public async Task An_n_set_of_a_step_nobody_created_is_refused_0112()
    {
        await using var client = await ConnectAsync();
        var refused = await client.SetMppsAsync(Uid(), MppsFinal("COMPLETED", PerformedSeries(Uid())));
        Assert.Equal(DimseStatus.NoSuchSopInstance, refused.Status);
        Assert.Empty(_provider.Updated);
    }

    [Fact]
    public async Task An_n_create_of_a_step_that_exists_is_refused_0111()
    {
        var uid = await CreatedStepAsync();
        await using var client = await ConnectAsync();
        Assert.Equal(DimseStatus.DuplicateSopInstance, (await client.CreateMppsAsync(uid, MppsCreate(Uid()))).Status);
        Assert.Single(_provider.Created);
    }

    [Fact]
    public async Task An_n_create_without_an_instance_uid_gets_one_from_the_scp_in_the_response()
    {
        await using var client = await ConnectAsync();
        var created = await client.CreateMppsAsync(null, MppsCreate(Uid()));
        Assert.True(created.Status.IsSuccess, created.ToString());
        Assert.True(DicomUid.IsValid(created.AffectedSopInstanceUid), created.AffectedSopInstanceUid);
        Assert.Equal(created.AffectedSopInstanceUid, Assert.Single(_provider.Created).SopInstanceUid);
    }

    public static TheoryData<string, Func<DicomDataset, DicomDataset>, ushort, DicomTag[]> BadCreates => new()
    {
        { "status COMPLETED", ds => ds.AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, "COMPLETED"), 0x0106, [DicomTags.PerformedProcedureStepStatus] },
        { "no status", ds => { ds.Remove(DicomTags.PerformedProcedureStepStatus); return ds; }, 0x0120, [DicomTags.PerformedProcedureStepStatus] },
        { "no station AE title", ds => { ds.Remove(DicomTags.PerformedStationAETitle); return ds; }, 0x0120, [DicomTags.PerformedStationAETitle] },
        { "empty modality", ds => ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, ""), 0x0121, [DicomTags.Modality] },
        { "empty start date", ds => ds.AddOrUpdate(DicomTags.PerformedProcedureStepStartDate, DicomVR.DA, ""), 0x0121, [DicomTags.PerformedProcedureStepStartDate] },
        { "no scheduled step", ds => ds.AddOrUpdate(new DicomSequence(DicomTags.ScheduledStepAttributesSequence)), 0x0121, [DicomTags.ScheduledStepAttributesSequence] },
        { "scheduled step without study", ds => ds.AddOrUpdate(DicomTags.ScheduledStepAttributesSequence, new DicomDataset()), 0x0120,
            [DicomTags.ScheduledStepAttributesSequence, DicomTags.StudyInstanceUID] },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task An_n_create_breaking_a_type_1_rule_is_refused_naming_the_offending_element(string why, Func<DicomDataset, DicomDataset> spoil, ushort status, DicomTag[] offending)
    {
        await using var client = await ConnectAsync();
        var refused = await client.CreateMppsAsync(Uid(), spoil(MppsCreate(Uid())));
        Assert.True(new DimseStatus(status) == refused.Status, $"{why}: {refused}");
        Assert.Equal(offending, refused.OffendingElements);
        Assert.Empty(_provider.Created);
        // The association goes on after a refusal.
        Assert.True((await client.SendForFinalAsync(new CEchoRequest())).Status.IsSuccess);
    }

    public static TheoryData<string, DicomDataset, ushort, DicomTag[]> BadFinalStates => new()
    {
        { "completed without series", MppsFinal("COMPLETED"), 0x0121, [DicomTags.PerformedSeriesSequence] },
        { "no end time", RemoveFrom(MppsFinal("COMPLETED", PerformedSeries(Uid())), DicomTags.PerformedProcedureStepEndTime), 0x0121, [DicomTags.PerformedProcedureStepEndTime] },
        { "series without its UID", MppsFinal("COMPLETED", RemoveFrom(PerformedSeries(Uid()), DicomTags.SeriesInstanceUID)), 0x0120,
            [DicomTags.PerformedSeriesSequence, DicomTags.SeriesInstanceUID] },
        { "image reference without its class", MppsFinal("COMPLETED", PerformedSeries(Uid()).AddOrUpdate(DicomTags.ReferencedImageSequence,
            new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3"))), 0x0120,
            [DicomTags.PerformedSeriesSequence, DicomTags.ReferencedImageSequence, DicomTags.ReferencedSOPClassUID] },
        { "status not a defined term", new DicomDataset().AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, "DONE"), 0x0106, [DicomTags.PerformedProcedureStepStatus] },
        { "another character set", MppsFinal("COMPLETED", PerformedSeries(Uid())).AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"), 0x0106,
            [DicomTags.SpecificCharacterSet] },
    };

    private static DicomDataset RemoveFrom(DicomDataset ds, DicomTag tag)
    {
        ds.Remove(tag);
        return ds;
    }

    [Theory]
    [MemberData(nameof(BadFinalStates))]
    public async Task An_n_set_that_would_leave_a_step_invalid_is_refused_and_the_step_stays_in_progress(string why, DicomDataset modifications, ushort status, DicomTag[] offending)
    {
        var uid = await CreatedStepAsync();
        await using var client = await ConnectAsync();
        var refused = await client.SetMppsAsync(uid, modifications);
        Assert.True(new DimseStatus(status) == refused.Status, $"{why}: {refused}");
        Assert.Equal(offending, refused.OffendingElements);
        Assert.Empty(_provider.Updated);
        Assert.Equal("IN PROGRESS", _provider.Stored(uid)!.GetString(DicomTags.PerformedProcedureStepStatus));
    }

    [Fact]
    public async Task A_step_may_be_updated_in_progress_and_discontinued_without_series()
    {
        var uid = await CreatedStepAsync();
        await using var client = await ConnectAsync();
        var progress = new DicomDataset().AddOrUpdate(DicomTags.PerformedProcedureStepDescription, DicomVR.LO, "CT abdomen, contrast");
        Assert.Equal(DimseStatus.Success, (await client.SetMppsAsync(uid, progress)).Status);
        Assert.Equal(DimseStatus.Success, (await client.SetMppsAsync(uid, MppsFinal("DISCONTINUED"))).Status);
        Assert.Equal([PerformedProcedureStepStatus.InProgress, PerformedProcedureStepStatus.Discontinued], _provider.Updated.Select(u => u.Summary.Status));
        Assert.Equal("CT abdomen, contrast", _provider.Stored(uid)!.GetString(DicomTags.PerformedProcedureStepDescription));
    }

    [Fact]
    public async Task Attributes_only_n_create_may_set_are_kept_as_created_and_unknown_ones_are_passed_on()
    {
        var uid = Uid();
        var create = MppsCreate(Uid());
        create.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "VENDOR");
        create.AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.LO, "private value");
        await using var client = await ConnectAsync();
        Assert.Equal(DimseStatus.Success, (await client.CreateMppsAsync(uid, create)).Status);
        // Modalities that send their whole data set with each N-SET: the patient and start are kept as created.
        var set = MppsFinal("COMPLETED", PerformedSeries(Uid())).AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Other^Name")
            .AddOrUpdate(DicomTags.PerformedProcedureStepStartTime, DicomVR.TM, "000000");
        Assert.Equal(DimseStatus.Success, (await client.SetMppsAsync(uid, set)).Status);

        Assert.Equal("private value", Assert.Single(_provider.Created).Attributes.GetString(new DicomTag(0x0009, 0x1001)));
        var stored = _provider.Stored(uid)!;
        Assert.Equal(("Müller^Anna", "101500", "private value"), (stored.GetString(DicomTags.PatientName),
            stored.GetString(DicomTags.PerformedProcedureStepStartTime), stored.GetString(new DicomTag(0x0009, 0x1001))));
        Assert.Equal("Other^Name", Assert.Single(_provider.Updated).Modifications.GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task A_provider_that_fails_refuses_the_request_0110_and_the_association_goes_on()
    {
        _provider.Failure = new InvalidOperationException("database unavailable");
        await using var client = await ConnectAsync();
        var refused = await client.CreateMppsAsync(Uid(), MppsCreate(Uid()));
        Assert.Equal(DimseStatus.ProcessingFailure, refused.Status);
        Assert.Contains("database unavailable", refused.ErrorComment, StringComparison.Ordinal);
        Assert.True((await client.SendForFinalAsync(new CEchoRequest())).Status.IsSuccess);
        await client.ReleaseAsync();
    }

    [Fact]
    public async Task Without_an_mpps_provider_or_with_it_turned_off_the_sop_class_is_not_accepted()
    {
        await using var none = await TestServer.StartAsync();
        await using var off = await TestServer.StartAsync(o => o with { AcceptMpps = false }, services: s => s with { Mpps = _provider });
        foreach (var port in new[] { none.Port, off.Port })
        {
            await using var client = await DicomClient.ConnectAsync(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = "AGENT" },
                [new PresentationContextRequest(Mpps, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]), new PresentationContextRequest(DicomUids.Verification.Uid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);
            Assert.Equal([DicomUids.Verification.Uid], client.Association.PresentationContexts.Values.Select(p => p.AbstractSyntax));
            await client.ReleaseAsync();
        }
    }
}
