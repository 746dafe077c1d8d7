namespace Agent.Imaging.Series;

public enum SeriesIssueKind
{
    /// <summary>A gap between neighbouring slices larger than the configured factor times the median spacing.</summary>
    MissingSlices,
    /// <summary>Two or more slices at the same position along the normal; the first (by SOP Instance UID) is kept.</summary>
    DuplicatePosition,
    /// <summary>Slice distances differ by more than the tolerance without being a gap.</summary>
    NonUniformSpacing,
    /// <summary>Instances with another orientation, size, pixel spacing or frame of reference were left out.</summary>
    MixedGeometry,
    /// <summary>Slice positions drift in-plane along the stack (a tilted gantry), so the grid is sheared.</summary>
    GantryTilt,
    /// <summary>An instance or frame without usable position, orientation, spacing or size; left out.</summary>
    MissingGeometry,
    /// <summary>Pixel data this builder cannot decode (encapsulated, colour, odd bit depth); left out.</summary>
    UnsupportedPixelData,
    /// <summary>A Modality LUT Sequence is present; only Rescale Slope/Intercept are applied.</summary>
    ModalityLutIgnored,
    /// <summary>The series was rejected by configuration (tilt or irregular spacing set to reject) or has no slices.</summary>
    Rejected,
}

public enum SeriesIssueSeverity { Info, Warning, Error }

/// <summary>One finding about a series, with the instances it concerns (SOP Instance UIDs, frame numbers from 1).</summary>
public sealed record SeriesIssue(SeriesIssueKind Kind, SeriesIssueSeverity Severity, string Message, IReadOnlyList<string> Instances)
{
    public override string ToString() => $"{Severity} {Kind}: {Message}";
}

/// <summary>Everything the builder noticed; the caller decides whether warnings block inference.</summary>
public sealed class SeriesReport
{
    private readonly List<SeriesIssue> _issues = [];

    public IReadOnlyList<SeriesIssue> Issues => _issues;

    public bool HasErrors => _issues.Exists(i => i.Severity == SeriesIssueSeverity.Error);

    public bool Has(SeriesIssueKind kind) => _issues.Exists(i => i.Kind == kind);

    internal void Add(SeriesIssueKind kind, SeriesIssueSeverity severity, string message, IEnumerable<string>? instances = null)
        => _issues.Add(new SeriesIssue(kind, severity, message, instances?.ToArray() ?? []));

    public override string ToString() => _issues.Count == 0 ? "no issues" : string.Join("; ", _issues);
}
