using Agent.Storage.Provenance;

namespace Agent.Storage.Tests;

public sealed class InstanceIndexTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static int _uid;

    private static string Uid() => "1.2.826.0.1.3680043.10.1." + Interlocked.Increment(ref _uid).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Sha(char c) => new(c, 64);

    private static InstanceRecord Record(string study, string series, string sop, char sha = 'a', long? association = null) => new()
    {
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        SopInstanceUid = sop,
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
        FilePath = $"/store/{study}/{series}/{sop}-{sha}.dcm",
        FileSize = 1000 + sha,
        Sha256 = Sha(sha),
        PatientId = "P1",
        PatientName = "Doe^Jane",
        PatientBirthDate = new DateOnly(1970, 1, 2),
        StudyDate = new DateOnly(2026, 11, 27),
        Modality = "CT",
        BodyPartExamined = "ABDOMEN",
        SeriesDescription = "Abdomen 1.0 mm",
        SeriesNumber = 3,
        InstanceNumber = 1,
        AttributesJson = """{"SliceThickness":"1.0"}""",
        AssociationId = association,
    };

    [Fact]
    public async Task A_new_instance_creates_its_study_series_and_instance_rows()
    {
        var index = new InstanceIndex(DataSource);
        var associations = new AssociationRepository(DataSource);
        var assoc = await associations.StartAsync(new AssociationStart("PACS", "AGENT", "127.0.0.1", 40000, false, "node-a"), default);
        var (study, series, sop) = (Uid(), Uid(), Uid());

        var result = await index.IndexInstanceAsync(Record(study, series, sop, association: assoc), DuplicatePolicy.KeepFirst, default);

        Assert.Equal(IndexOutcome.Inserted, result.Outcome);
        var row = await index.FindInstanceAsync(sop, default);
        Assert.NotNull(row);
        Assert.Equal(series, row.SeriesInstanceUid);
        Assert.Equal(study, row.StudyInstanceUid);
        Assert.Equal(assoc, row.AssociationId);
        Assert.Contains("SliceThickness", row.AttributesJson, StringComparison.Ordinal);
        var s = await index.FindSeriesAsync(series, default);
        Assert.NotNull(s);
        Assert.Equal(("CT", "ABDOMEN", 1, new DateTime(2026, 11, 27)), (s.Modality, s.BodyPartExamined, s.InstanceCount, s.StudyDate));
        Assert.Equal(1L, await index.CountInstancesAsync(assoc, default));
    }

    [Fact]
    public async Task The_same_instance_received_twice_is_an_idempotent_success()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series, sop) = (Uid(), Uid(), Uid());

        var first = await index.IndexInstanceAsync(Record(study, series, sop), DuplicatePolicy.KeepFirst, default);
        var again = await index.IndexInstanceAsync(Record(study, series, sop), DuplicatePolicy.KeepFirst, default);

        Assert.Equal(IndexOutcome.IdenticalDuplicate, again.Outcome);
        Assert.Equal(first.InstanceId, again.InstanceId);
        var s = await index.FindSeriesAsync(series, default);
        Assert.Equal(1, s!.InstanceCount);
        Assert.Equal(1, (await index.FindInstanceAsync(sop, default))!.DuplicateCount);
    }

    [Fact]
    public async Task Different_content_under_a_known_uid_keeps_the_first_by_default()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series, sop) = (Uid(), Uid(), Uid());
        var first = await index.IndexInstanceAsync(Record(study, series, sop, 'a'), DuplicatePolicy.KeepFirst, default);

        var second = await index.IndexInstanceAsync(Record(study, series, sop, 'b'), DuplicatePolicy.KeepFirst, default);

        Assert.Equal(IndexOutcome.ConflictKeptFirst, second.Outcome);
        Assert.Equal(first.FilePath, second.FilePath);
        Assert.Equal(Sha('a'), (await index.FindInstanceAsync(sop, default))!.Sha256);
        Assert.Equal("conflict_kept_first", await ScalarAsync("SELECT outcome FROM instance_duplicates"));
    }

    [Fact]
    public async Task Different_content_under_a_known_uid_replaces_the_row_with_the_overwrite_policy()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series, sop) = (Uid(), Uid(), Uid());
        await index.IndexInstanceAsync(Record(study, series, sop, 'a'), DuplicatePolicy.Overwrite, default);

        var second = await index.IndexInstanceAsync(Record(study, series, sop, 'c'), DuplicatePolicy.Overwrite, default);

        Assert.Equal(IndexOutcome.ConflictOverwritten, second.Outcome);
        var row = await index.FindInstanceAsync(sop, default);
        Assert.Equal((Sha('c'), second.FilePath), (row!.Sha256, row.FilePath));
        Assert.Equal(1, (await index.FindSeriesAsync(series, default))!.InstanceCount);
    }

    [Fact]
    public async Task Concurrent_receivers_of_one_series_index_every_instance_once()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series) = (Uid(), Uid());
        var sops = Enumerable.Range(0, 200).Select(_ => Uid()).ToArray();

        // Every instance is sent twice, from 8 concurrent "associations".
        await Parallel.ForEachAsync(
            sops.Concat(sops),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (sop, ct) => await index.IndexInstanceAsync(Record(study, series, sop), DuplicatePolicy.KeepFirst, ct));

        Assert.Equal(200, (await index.FindSeriesAsync(series, default))!.InstanceCount);
        Assert.Equal(200, (await index.GetSeriesInstancesAsync(series, default)).Count);
        Assert.Equal(200L, await ScalarAsync($"SELECT count(*) FROM instance_duplicates d JOIN instances i ON i.id = d.instance_id JOIN series s ON s.id = i.series_id WHERE s.series_instance_uid = '{series}'"));
    }

    [Fact]
    public async Task A_later_instance_does_not_rename_the_patient()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series) = (Uid(), Uid());
        await index.IndexInstanceAsync(Record(study, series, Uid()), DuplicatePolicy.KeepFirst, default);
        var renamed = new InstanceRecord
        {
            StudyInstanceUid = study, SeriesInstanceUid = series, SopInstanceUid = Uid(), SopClassUid = "1.2.3",
            TransferSyntaxUid = "1.2.840.10008.1.2", FilePath = "/x", FileSize = 1, Sha256 = Sha('d'), PatientName = "Other^Name",
        };
        await index.IndexInstanceAsync(renamed, DuplicatePolicy.KeepFirst, default);

        Assert.Equal("Doe^Jane", (await index.FindSeriesAsync(series, default))!.PatientName);
    }

    [Fact]
    public async Task A_uid_with_path_characters_is_refused_before_touching_the_database()
    {
        var index = new InstanceIndex(DataSource);
        var bad = Record(Uid(), Uid(), "../../etc/passwd");

        await Assert.ThrowsAsync<ArgumentException>(() => index.IndexInstanceAsync(bad, DuplicatePolicy.KeepFirst, default));
    }

    [Fact]
    public async Task A_quiet_series_is_offered_for_routing_once_and_again_after_a_late_instance()
    {
        var index = new InstanceIndex(DataSource);
        var (study, series) = (Uid(), Uid());
        await index.IndexInstanceAsync(Record(study, series, Uid()), DuplicatePolicy.KeepFirst, default);
        await ExecAsync("UPDATE instances SET received_at = now() - interval '1 hour'");

        var quiet = await index.GetQuietUnroutedSeriesAsync(TimeSpan.FromMinutes(1), 10, default);
        var s = Assert.Single(quiet, x => x.SeriesInstanceUid == series);
        Assert.True(await index.MarkSeriesRoutedAsync(s.Id, default));
        Assert.False(await index.MarkSeriesRoutedAsync(s.Id, default));
        Assert.DoesNotContain(await index.GetQuietUnroutedSeriesAsync(TimeSpan.FromMinutes(1), 10, default), x => x.SeriesInstanceUid == series);

        await index.IndexInstanceAsync(Record(study, series, Uid()), DuplicatePolicy.KeepFirst, default);
        Assert.Null((await index.FindSeriesAsync(series, default))!.RoutedAt);
    }

    [Fact]
    public async Task Associations_record_their_end_and_orphans_of_a_killed_process_are_closed_with_real_counts()
    {
        var associations = new AssociationRepository(DataSource);
        var index = new InstanceIndex(DataSource);
        var ended = await associations.StartAsync(new AssociationStart("A", "AGENT", "10.0.0.1", 1, true, "node-x"), default);
        var orphan = await associations.StartAsync(new AssociationStart("B", "AGENT", "10.0.0.2", 2, false, "node-x"), default);
        await index.IndexInstanceAsync(Record(Uid(), Uid(), Uid(), association: orphan), DuplicatePolicy.KeepFirst, default);

        Assert.True(await associations.EndAsync(ended, new AssociationEnd("released", 5, 1, 12345), default));
        Assert.False(await associations.EndAsync(ended, new AssociationEnd("released", 5, 1, 12345), default));
        Assert.Equal(1, await associations.CloseOrphansAsync("node-x", default));

        Assert.Equal(1, await ScalarAsync($"SELECT instances_received FROM associations WHERE id = {orphan}"));
        Assert.Equal(true, await ScalarAsync($"SELECT tls FROM associations WHERE id = {ended}"));
    }
}
