using Agent.Host.Configuration;
using Agent.Host.Delivery;
using Cronos;
using Microsoft.Extensions.Options;

namespace Agent.Host.Reanalysis;

/// <summary>Checks <c>Agent:Reanalysis</c>, every problem with the key that causes it.</summary>
public sealed class ReanalysisOptionsValidator(IOptions<DestinationsOptions> destinations) : IValidateOptions<ReanalysisOptions>
{
    private const string P = ReanalysisOptions.Section;

    public ValidateOptionsResult Validate(string? name, ReanalysisOptions options)
    {
        var errors = Check(options, destinations.Value);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Check(ReanalysisOptions options, DestinationsOptions destinations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(destinations);
        var errors = new List<string>();
        foreach (var (key, source) in options.Sources)
        {
            var path = $"{P}:Sources:{key}";
            if (DicomOptionsValidator.AeTitleProblem(source.AeTitle) is { } ae) errors.Add($"{path}:AeTitle {ae}");
            if (source.CallingAeTitle.Length > 0 && DicomOptionsValidator.AeTitleProblem(source.CallingAeTitle) is { } calling)
                errors.Add($"{path}:CallingAeTitle {calling} (or empty for Agent:Dicom:AeTitle)");
            if (string.IsNullOrWhiteSpace(source.Host)) errors.Add($"{path}:Host is required");
            if (source.Port is < 1 or > 65535) errors.Add($"{path}:Port must be 1-65535, got {source.Port}");
            if (source.ConnectTimeoutSeconds is < 1 or > 600) errors.Add($"{path}:ConnectTimeoutSeconds must be 1-600, got {source.ConnectTimeoutSeconds}");
            if (source.QueryTimeoutSeconds is < 1 or > 3600) errors.Add($"{path}:QueryTimeoutSeconds must be 1-3600, got {source.QueryTimeoutSeconds}");
            if (source.RetrieveTimeoutSeconds is < 1 or > 86400) errors.Add($"{path}:RetrieveTimeoutSeconds must be 1-86400, got {source.RetrieveTimeoutSeconds}");
        }
        foreach (var (key, schedule) in options.Schedules)
        {
            var path = $"{P}:Schedules:{key}";
            if (ScheduleName(key) is { } bad) errors.Add($"{path}: the schedule name {bad}");
            if (CronProblem(schedule.Cron) is { } cron) errors.Add($"{path}:Cron {cron}");
            if (TimeZoneProblem(schedule.TimeZone) is { } zone) errors.Add($"{path}:TimeZone {zone}");
            errors.AddRange(RequestProblems(path, schedule.Source, schedule.Model, schedule.SendTo, schedule.MaxSeries, options, destinations));
            if (schedule.Query.Count == 0)
                errors.Add($"{path}:Query needs at least one matching key (e.g. StudyDate: -1d, Modality: CT)");
            else
                errors.AddRange(ReanalysisQuery.Parse(schedule.Query, DateOnly.FromDateTime(DateTime.UtcNow), $"{path}:Query").Errors);
        }
        return errors;
    }

    /// <summary>Problems of what any run needs (a schedule's or an on-demand one's): source, model, destinations, cap.</summary>
    public static IEnumerable<string> RequestProblems(string path, string source, string model, IReadOnlyList<string> sendTo, int maxSeries,
        ReanalysisOptions options, DestinationsOptions destinations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(sendTo);
        if (string.IsNullOrWhiteSpace(source))
            yield return $"{path}:Source is required (one of: {Known(options.Sources.Keys)})";
        else if (!options.Sources.ContainsKey(source.Trim()))
            yield return $"{path}:Source '{source}' is not configured under {P}:Sources (known: {Known(options.Sources.Keys)})";
        if (ModelSpec.Parse(model).Error is { } m) yield return $"{path}:Model {m}";
        for (var i = 0; i < sendTo.Count; i++)
        {
            if (!destinations.ContainsKey(sendTo[i]?.Trim() ?? ""))
                yield return $"{path}:SendTo:{i} '{sendTo[i]}' is not configured under {DestinationsOptions.Section} (known: {Known(destinations.Keys)})";
        }
        if (maxSeries is < 1 or > 100_000) yield return $"{path}:MaxSeries must be 1-100000, got {maxSeries}";
    }

    public static string? CronProblem(string? cron)
    {
        var text = cron?.Trim() ?? "";
        if (text.Length == 0) return "is required (e.g. \"0 2 * * *\" for 02:00 every day)";
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6)) return $"'{text}' must have 5 fields (minute hour day month weekday) or 6 (seconds first), has {fields}";
        try
        {
            _ = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return null;
        }
        catch (CronFormatException e)
        {
            return $"'{text}' is not a cron expression: {e.Message}";
        }
    }

    public static string? TimeZoneProblem(string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone)) return null;
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(zone.Trim());
            return null;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return $"'{zone}' is not a known time zone (e.g. UTC, Europe/Zurich)";
        }
    }

    // The name goes into job keys and rule names ("reanalysis:NAME").
    private static string? ScheduleName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? null : $"'{name}' may only use letters, digits, '-', '_' and '.'";

    internal static string Known(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";
}
