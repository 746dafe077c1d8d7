using Xunit.Abstractions;

namespace Agent.Host.Tests;

/// <summary>Issue 4's restart-safety acceptance: SIGKILL in the middle of several concurrent receives, then restart.</summary>
public sealed class KillRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task After_kill_9_mid_receive_and_restart_every_acknowledged_instance_is_stored_and_indexed_and_nothing_partial_remains()
    {
        using var home = new TempHome();
        const int associations = 4, perAssociation = 150;
        var series = Enumerable.Range(0, associations)
            .Select(i => TestInstances.WriteSeries(Path.Combine(home.Path, "send", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), perAssociation))
            .ToList();
        var sopOf = series.SelectMany(s => s).ToDictionary(p => p, TestInstances.SopInstanceUid);
        var environment = new Dictionary<string, string> { ["AGENT__Dicom__Port"] = "0", ["AGENT__Dicom__BindAddress"] = "127.0.0.1" };

        var agent = AgentProcess.Start(home.Path, environment);
        var senders = new List<Storescu>();
        try
        {
            var port = await agent.ListeningPortAsync(StartTimeout);
            senders.AddRange(series.Select((files, i) => Storescu.Start(port, $"MODALITY{i}", files)));

            // Kill once a good part (not all) is stored, while every association is still sending. The trigger is the
            // agent's own store (not storescu's buffered log), and SIGSTOP freezes it at once, so a fast machine
            // cannot finish the whole transfer between the check and the kill.
            var instances = Path.Combine(home.Path, "data", "instances");
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (StoredCount(instances) < associations * perAssociation / 4 && DateTime.UtcNow < deadline)
                await Task.Delay(5);
            await agent.FreezeAsync();
            agent.KillHard();
        }
        finally
        {
            await agent.DisposeAsync();
        }
        foreach (var sender in senders) await sender.WaitAsync(TimeSpan.FromMinutes(3));

        var acknowledged = senders.SelectMany(s => s.Acknowledged).Select(p => sopOf[p]).ToHashSet(StringComparer.Ordinal);
        Assert.InRange(acknowledged.Count, 1, associations * perAssociation - 1); // the kill really was mid-way

        // Restart on the same home (the orphaned postmaster is adopted or recovered), then stop cleanly.
        await using (var restarted = AgentProcess.Start(home.Path, environment))
        {
            await restarted.ListeningPortAsync(StartTimeout);
            Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromMinutes(3)));
        }

        var data = Path.Combine(home.Path, "data");
        var stored = Directory.GetFiles(Path.Combine(data, "instances"), "*.dcm", SearchOption.AllDirectories)
            .Select(p => Path.GetFileNameWithoutExtension(p)!).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "incoming")));

        var (indexed, openAssociations) = await ClusterQuery.WithDatabaseAsync(home.Path, async connection =>
            (await ClusterQuery.StringsAsync(connection, "SELECT sop_instance_uid FROM instances"),
             await ClusterQuery.StringsAsync(connection, "SELECT id FROM associations WHERE ended_at IS NULL")));

        output.WriteLine($"acknowledged {acknowledged.Count}, stored {stored.Count}, indexed {indexed.Count} of {associations * perAssociation} sent on {associations} associations");
        Assert.Subset(stored, acknowledged);                          // every acknowledged instance is on disk
        Assert.Equal(stored, indexed.ToHashSet(StringComparer.Ordinal)); // stored == indexed, exactly
        Assert.Equal(indexed.Count, indexed.Distinct().Count());
        // Stored but not acknowledged: at most the one instance each association had in flight at the kill.
        Assert.InRange(stored.Count - acknowledged.Count, 0, associations);
        Assert.Empty(openAssociations);                               // the killed process's association rows were closed
    }

    private static int StoredCount(string instances) =>
        Directory.Exists(instances) ? Directory.EnumerateFiles(instances, "*.dcm", SearchOption.AllDirectories).Count() : 0;
}
