using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Client;

/// <summary>
/// Splits C-STORE requests into groups that each fit one association. An A-ASSOCIATE-RQ carries at most 128
/// presentation contexts (odd ids 1-255, PS3.8 9.3.2.2); a store proposes one context per SOP class and transfer
/// syntax, so a group closes when its 129th distinct pair would be needed. Order is kept.
/// </summary>
public static class StoreBatches
{
    public const int MaxPresentationContexts = 128;

    /// <summary>Consecutive groups of <paramref name="items"/> whose requests need at most 128 presentation contexts.</summary>
    public static IEnumerable<List<T>> ByPresentationContexts<T>(IEnumerable<T> items, Func<T, CStoreRequest> requestOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(requestOf);
        var group = new List<T>();
        var keys = new HashSet<(string SopClass, string TransferSyntax)>();
        foreach (var item in items)
        {
            var request = requestOf(item);
            var key = (request.StoreSopClassUid, request.TransferSyntaxUid);
            if (keys.Add(key) && keys.Count > MaxPresentationContexts)
            {
                yield return group;
                group = [];
                keys.Clear();
                keys.Add(key);
            }
            group.Add(item);
        }
        if (group.Count > 0) yield return group;
    }
}
