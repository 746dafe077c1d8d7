using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Agent.Host.Ingest;

/// <summary>
/// Where the time of a durable C-STORE goes, per step (milliseconds), as .NET metrics (meter <c>Agent.Ingest</c>): visible
/// with dotnet-counters or any OpenTelemetry exporter, and printed by the <c>ingest</c> benchmark.
/// </summary>
internal static class IngestMetrics
{
    public const string MeterName = "Agent.Ingest";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Flush and fsync of the temporary file.</summary>
    public static readonly Histogram<double> FileSync = Meter.CreateHistogram<double>("agent.ingest.file_sync", "ms");

    /// <summary>Header parse (from the bytes kept while writing, or the file).</summary>
    public static readonly Histogram<double> Parse = Meter.CreateHistogram<double>("agent.ingest.parse", "ms");

    /// <summary>Rename into the instance store and directory fsync.</summary>
    public static readonly Histogram<double> Rename = Meter.CreateHistogram<double>("agent.ingest.rename", "ms");

    /// <summary>Index transaction in PostgreSQL.</summary>
    public static readonly Histogram<double> Index = Meter.CreateHistogram<double>("agent.ingest.index", "ms");

    public static void Record(Histogram<double> histogram, long startTimestamp) =>
        histogram.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
}
