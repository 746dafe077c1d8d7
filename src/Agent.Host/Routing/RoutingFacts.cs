using System.Globalization;
using System.Net;
using Agent.Dicom;
using Agent.Dicom.IO;

namespace Agent.Host.Routing;

/// <summary>What rules can look at for one series: its header (first instance), where it came from, and when.</summary>
public sealed class RoutingFacts
{
    private static readonly DicomTag PixelData = new(0x7FE00010);

    private readonly DicomDataset _header;

    public RoutingFacts(DicomDataset header)
    {
        _header = header ?? throw new ArgumentNullException(nameof(header));
    }

    public string? CallingAe { get; init; }

    public string? CalledAe { get; init; }

    public IPAddress? Source { get; init; }

    /// <summary>When the decision is made (time windows are evaluated at this instant).</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    public int InstanceCount { get; init; } = 1;

    /// <summary>Reads a header for routing: everything up to the pixel data.</summary>
    public static DicomDataset ReadHeader(string path, CancellationToken cancellationToken) =>
        DicomFile.Open(path, new DicomReaderOptions { StopAt = PixelData }, cancellationToken).Dataset;

    /// <summary>The values of a data element (text, or binary numbers in invariant form); null when absent.</summary>
    public IReadOnlyList<string>? Values(DicomTag tag)
    {
        if (!_header.TryGetItem(tag, out var item)) return null;
        if (item is not DicomElement) return [];
        var vr = item.VR;
        if (vr.IsString) return _header.GetStrings(tag);
        return vr.Code switch
        {
            "US" => Format(_header.GetValues<ushort>(tag)),
            "SS" => Format(_header.GetValues<short>(tag)),
            "UL" => Format(_header.GetValues<uint>(tag)),
            "SL" => Format(_header.GetValues<int>(tag)),
            "FL" => Format(_header.GetValues<float>(tag)),
            "FD" => Format(_header.GetValues<double>(tag)),
            "UV" => Format(_header.GetValues<ulong>(tag)),
            "SV" => Format(_header.GetValues<long>(tag)),
            _ => [],
        };
    }

    /// <summary>A single header value by tag, for display.</summary>
    public string? Text(DicomTag tag) => Values(tag) is { Count: > 0 } v ? string.Join('\\', v) : null;

    private static string[] Format<T>(T[] values) where T : IFormattable =>
        values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)).ToArray();
}
