using Agent.Host.Reanalysis;

namespace Agent.Host.Tests.Reanalysis;

public sealed class StudyDateRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Theory]
    [InlineData("-7d", "20261120-20261127")]
    [InlineData("-30d..-1d", "20261028-20261126")]
    [InlineData("-1d..today", "20261126-20261127")]
    [InlineData("today", "20261127")]
    [InlineData("yesterday..yesterday", "20261126-20261126")]
    [InlineData("0d", "20261127")]
    [InlineData("-400d..-366d", "20251023-20251126")]
    [InlineData("20260101-20261127", "20260101-20261127")]
    [InlineData("20260101-", "20260101-")]
    [InlineData("-20261127", "-20261127")]
    [InlineData("20260229", null)]
    [InlineData("20240229", "20240229")]
    public void Relative_and_dicom_study_dates_resolve_against_today(string value, string? expected)
    {
        var (range, error) = StudyDateRange.Resolve(value, Today);
        Assert.Equal(expected, range);
        Assert.Equal(expected is null, error is not null);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("-1d..-30d", "starts after it ends")]
    [InlineData("20261127-20260101", "starts after it ends")]
    [InlineData("-7x", "is not a date range")]
    [InlineData("7d", "is not a date range")]
    [InlineData("-", "is not a date range")]
    [InlineData("2026010120261127", "is not a date range")]
    [InlineData("-7d..", "both ends")]
    [InlineData("20261301-", "20261301 is not a date")]
    public void A_date_that_is_not_a_range_says_why(string value, string reason)
    {
        var (range, error) = StudyDateRange.Resolve(value, Today);
        Assert.Null(range);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_query_resolves_its_study_date_and_splits_study_from_series_keys()
    {
        var (query, errors) = ReanalysisQuery.Parse(
            [new("StudyDate", "-7d"), new("Modality", "CT"), new("SeriesDescription", "*ABD*"), new("AccessionNumber", "A1")], Today, "q");
        Assert.Empty(errors);
        Assert.Equal(new Dictionary<string, string> { ["StudyDate"] = "20261120-20261127", ["Modality"] = "CT", ["SeriesDescription"] = "*ABD*", ["AccessionNumber"] = "A1" },
            query!.ToDictionary());
        var study = query.StudyIdentifier();
        Assert.Equal("20261120-20261127", study.GetString(Agent.Dicom.DicomTags.StudyDate));
        Assert.Equal("A1", study.GetString(Agent.Dicom.DicomTags.AccessionNumber));
        Assert.Null(study.GetString(Agent.Dicom.DicomTags.Modality));
        var series = query.SeriesIdentifier("1.2.3");
        Assert.Equal("1.2.3", series.GetString(Agent.Dicom.DicomTags.StudyInstanceUID));
        Assert.Equal("CT", series.GetString(Agent.Dicom.DicomTags.Modality));
        Assert.Equal("*ABD*", series.GetString(Agent.Dicom.DicomTags.SeriesDescription));
        Assert.Null(series.GetString(Agent.Dicom.DicomTags.StudyDate));
    }

    [Fact]
    public void Query_keys_that_are_not_dicom_or_have_no_value_are_named_in_the_errors()
    {
        var (query, errors) = ReanalysisQuery.Parse([new("Modalty", "CT"), new("SeriesDescription", " "), new("StudyDate", "last week")], Today, "--query");
        Assert.Null(query);
        Assert.Equal(3, errors.Count);
        Assert.StartsWith("--query:Modalty: 'Modalty' is neither a DICOM keyword", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("--query:SeriesDescription: a matching value is required", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("--query:StudyDate 'last week' is not a date range", errors[2], StringComparison.Ordinal);
    }
}
