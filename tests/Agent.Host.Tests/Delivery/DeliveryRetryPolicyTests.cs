using System.Net;
using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Agent.Host.Configuration;
using Agent.Host.Delivery;
using Agent.Storage.Queue;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Tests.Delivery;

/// <summary>
/// Which C-STORE failures are retried: all of them by default, up to the attempt limit (real archives answer 0xC000
/// or 0x0110 for passing faults), and at once only those a destination lists under PermanentStatuses.
/// </summary>
public sealed class DeliveryRetryPolicyTests
{
    private const string SegStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    [Fact]
    public async Task A_failure_status_is_retried_up_to_the_attempt_limit_unless_the_destination_lists_it_as_permanent()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        // A PACS answering 0xC000 for one instance and 0xA900 for the other, every time.
        await using var pacs = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0, AeTitle = "PACS" },
            new DicomServices { Store = new AnsweringStore(r => r.SopInstanceUid == "1.2.3.4.5" ? DimseStatus.CannotUnderstand : DimseStatus.DataSetDoesNotMatchSopClass) });
        await pacs.StartAsync(CancellationToken.None);
        var outbox = new DeliveryOutbox(db.DataSource);
        var retried = await outbox.EnqueueAsync(await db.RecordOutputAsync("SEG", SegStorage, "1.2.3.4.5", WriteSeg(db.Root, "1.2.3.4.5")), "lenient", 0, 3, CancellationToken.None);
        var refused = await outbox.EnqueueAsync(await db.RecordOutputAsync("SEG", SegStorage, "1.2.3.4.6", WriteSeg(db.Root, "1.2.3.4.6")), "strict", 0, 3, CancellationToken.None);
        var lenient = Destination(pacs.Port);
        var strict = Destination(pacs.Port);
        strict.PermanentStatuses.Add("0xA900");

        var lenientWorker = DeliveryService.CreateWorker(db.DataSource, "lenient", lenient, 0, db.Root);
        var strictWorker = DeliveryService.CreateWorker(db.DataSource, "strict", strict, 0, db.Root);
        while (await lenientWorker.RunOnceAsync(CancellationToken.None)) { }
        while (await strictWorker.RunOnceAsync(CancellationToken.None)) { }

        var a = (await outbox.GetAsync(retried.Id, CancellationToken.None))!;
        Assert.Equal((WorkState.Failed, 3, (int?)0xC000), (a.State, a.Attempts, a.LastDimseStatus));
        var b = (await outbox.GetAsync(refused.Id, CancellationToken.None))!;
        Assert.Equal((WorkState.Failed, 1, (int?)0xA900), (b.State, b.Attempts, b.LastDimseStatus));
    }

    [Fact]
    public void Permanent_statuses_bind_from_configuration_in_hex_with_or_without_0x()
    {
        var config = Config(("Agent:Destinations:pacs:PermanentStatuses:0", "0122"), ("Agent:Destinations:pacs:PermanentStatuses:1", "0xa900"));
        Assert.Empty(AgentOptionsRegistration.Validate(config));
        var bound = AgentOptionsRegistration.Bind<DestinationsOptions>(config, DestinationsOptions.Section);
        Assert.Equal(new HashSet<ushort> { 0x0122, 0xA900 }, bound["pacs"].PermanentStatusCodes());
    }

    [Fact]
    public void A_permanent_status_that_is_not_a_failure_code_is_refused_at_start_naming_its_key()
    {
        var errors = AgentOptionsRegistration.Validate(Config(
            ("Agent:Destinations:pacs:PermanentStatuses:0", "C0"), ("Agent:Destinations:pacs:PermanentStatuses:1", "0000"),
            ("Agent:Destinations:pacs:PermanentStatuses:2", "B000"), ("Agent:Destinations:pacs:PermanentStatuses:3", "C000")));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:PermanentStatuses:0: 'C0' is not a DIMSE status", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:PermanentStatuses:1: 0x0000 (Success) is not a failure status", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:PermanentStatuses:2: 0xB000 (Warning) is not a failure status", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("Agent:Destinations:pacs:PermanentStatuses:3", StringComparison.Ordinal));
    }

    private static IConfiguration Config(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["Agent:Destinations:pacs:AeTitle"] = "PACS", ["Agent:Destinations:pacs:Host"] = "127.0.0.1", ["Agent:Destinations:pacs:Port"] = "104",
        };
        foreach (var (key, value) in extra) values[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static DestinationOptions Destination(int port) =>
        new() { AeTitle = "PACS", Host = "127.0.0.1", Port = port, BaseDelaySeconds = 0, MaxDelaySeconds = 0, ConnectTimeoutSeconds = 10 };

    private static string WriteSeg(string folder, string sopInstanceUid)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SegStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        var path = Path.Combine(folder, sopInstanceUid + ".dcm");
        new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    /// <summary>A store SCP that answers every C-STORE with the status the test chooses.</summary>
    private sealed class AnsweringStore(Func<StoreRequestInfo, DimseStatus> answer) : IStoreProvider
    {
        public ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IStoreSink>(new Sink(answer(request)));

        private sealed class Sink(DimseStatus status) : IStoreSink
        {
            public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new StoreResult(status, "answered by the test"));

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
