namespace Agent.Host.Reanalysis;

/// <summary>Scheduled re-analysis (section <c>Agent:Reanalysis</c>): PACS sources and cron schedules, each by name.</summary>
public sealed class ReanalysisOptions
{
    public const string Section = "Agent:Reanalysis";

    /// <summary>PACS to query (C-FIND) and retrieve from (C-MOVE to our own AE title), by name.</summary>
    public Dictionary<string, ReanalysisSourceOptions> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Re-analysis jobs run on a cron schedule, by name.</summary>
    public Dictionary<string, ReanalysisScheduleOptions> Schedules { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One PACS under <c>Agent:Reanalysis:Sources:&lt;name&gt;</c>.</summary>
public sealed class ReanalysisSourceOptions
{
    /// <summary>The PACS's AE title (Called AE Title of our C-FIND and C-MOVE).</summary>
    public string AeTitle { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 104;

    /// <summary>Our calling AE title; empty means Agent:Dicom:AeTitle (the PACS must know it as a C-MOVE destination).</summary>
    public string CallingAeTitle { get; set; } = "";

    public int ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>Longest wait for all C-FIND answers of one query.</summary>
    public int QueryTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest wait for one series' C-MOVE and for its instances to be indexed here.</summary>
    public int RetrieveTimeoutSeconds { get; set; } = 600;
}

/// <summary>One schedule under <c>Agent:Reanalysis:Schedules:&lt;name&gt;</c>.</summary>
public sealed class ReanalysisScheduleOptions
{
    /// <summary>Cron expression (5 fields, or 6 with seconds first), e.g. "0 2 * * *" for 02:00 every night.</summary>
    public string Cron { get; set; } = "";

    /// <summary>IANA or Windows time zone id the cron expression is read in; empty means UTC.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Name of a source under Agent:Reanalysis:Sources.</summary>
    public string Source { get; set; } = "";

    /// <summary>
    /// C-FIND matching keys, DICOM keyword to value: StudyDate accepts "-7d", "-30d..-1d", "today" or a DICOM range
    /// "20260101-20261127"; SeriesDescription and other text keys accept the DICOM wildcards * and ?.
    /// </summary>
    public Dictionary<string, string> Query { get; set; } = new(StringComparer.Ordinal);

    /// <summary>NAME@VERSION of an installed model package; the version is required (results must be reproducible).</summary>
    public string Model { get; set; } = "";

    /// <summary>Names of destinations under Agent:Destinations that receive the new SEG/SR/key images.</summary>
    public List<string> SendTo { get; set; } = [];

    /// <summary>At most this many series are retrieved per run (the rest are recorded as skipped).</summary>
    public int MaxSeries { get; set; } = 100;

    public bool Enabled { get; set; } = true;
}
