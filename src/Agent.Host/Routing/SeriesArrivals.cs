using Agent.Host.Ingest;

namespace Agent.Host.Routing;

/// <summary>Tells the completion tracker that an instance of a series was stored and indexed (in this process).</summary>
public sealed class SeriesArrivals
{
    private Action<string>? _listener;

    /// <summary>One listener (the completion service); it must not block.</summary>
    public void Subscribe(Action<string> listener) => _listener = listener;

    public void Arrived(string seriesInstanceUid) => _listener?.Invoke(seriesInstanceUid);
}

/// <summary>Indexes through <paramref name="inner"/>, then reports the arrival: an instance counts once it is indexed.</summary>
public sealed class ArrivalNotifyingIndex(IInstanceIndex inner, SeriesArrivals arrivals) : IInstanceIndex
{
    public async Task IndexAsync(IndexedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await inner.IndexAsync(instance, cancellationToken).ConfigureAwait(false);
        arrivals.Arrived(instance.Keys.SeriesInstanceUid);
    }
}
