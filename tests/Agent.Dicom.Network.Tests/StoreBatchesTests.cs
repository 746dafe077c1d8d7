using System.Globalization;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Tests;

public sealed class StoreBatchesTests
{
    private static CStoreRequest Store(string sopClass, string syntax, int i) =>
        CStoreRequest.FromDataSetBytes(sopClass, string.Create(CultureInfo.InvariantCulture, $"1.2.3.{i}"), syntax, new byte[2]);

    [Fact]
    public void Requests_needing_129_contexts_are_split_after_the_128th_distinct_pair_keeping_their_order()
    {
        var requests = Enumerable.Range(1, 130).Select(i => Store(string.Create(CultureInfo.InvariantCulture, $"1.2.840.10008.5.1.4.1.1.{i}"), "1.2.840.10008.1.2.1", i)).ToList();
        var batches = StoreBatches.ByPresentationContexts(requests, r => r).ToList();
        Assert.Equal([128, 2], batches.Select(b => b.Count));
        Assert.Equal(requests, batches.SelectMany(b => b));
    }

    [Fact]
    public void Instances_sharing_a_class_and_syntax_share_a_context_and_stay_in_one_association()
    {
        var requests = Enumerable.Range(1, 1000).Select(i => Store("1.2.840.10008.5.1.4.1.1.2", i % 2 == 0 ? "1.2.840.10008.1.2" : "1.2.840.10008.1.2.1", i)).ToList();
        var batch = Assert.Single(StoreBatches.ByPresentationContexts(requests, r => r));
        Assert.Equal(1000, batch.Count);
    }

    [Fact]
    public void The_same_class_in_another_transfer_syntax_needs_its_own_context()
    {
        var requests = Enumerable.Range(1, 64).SelectMany(i => new[]
        {
            Store(string.Create(CultureInfo.InvariantCulture, $"1.2.840.10008.5.1.4.1.1.{i}"), "1.2.840.10008.1.2", i),
            Store(string.Create(CultureInfo.InvariantCulture, $"1.2.840.10008.5.1.4.1.1.{i}"), "1.2.840.10008.1.2.1", i),
        }).Append(Store("1.2.840.10008.5.1.4.1.1.999", "1.2.840.10008.1.2", 999)).ToList();
        Assert.Equal([128, 1], StoreBatches.ByPresentationContexts(requests, r => r).Select(b => b.Count));
    }
}
