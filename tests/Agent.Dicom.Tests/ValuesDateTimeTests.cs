namespace Agent.Dicom.Tests;

public sealed class ValuesDateTimeTests
{
    [Fact]
    public void Dates_parse_and_format_as_YYYYMMDD()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), DicomDateTime.ParseDate("20240229"));
        Assert.Equal(new DateOnly(2024, 2, 29), DicomDateTime.ParseDate("20240229 "));
        Assert.Equal("19991231", DicomDateTime.FormatDate(new DateOnly(1999, 12, 31)));
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("2024.02.29")]
    [InlineData("2024022")]
    [InlineData("20241301")]
    [InlineData("")]
    [InlineData("２０２４０２２９")]
    public void Invalid_dates_are_rejected_without_exceptions(string text)
    {
        Assert.False(DicomDateTime.TryParseDate(text, out _));
        Assert.Throws<DicomFormatException>(() => DicomDateTime.ParseDate(text));
    }

    [Theory]
    [InlineData("14", 14, 0, 0, 0, DicomDateTimePrecision.Hour)]
    [InlineData("1430", 14, 30, 0, 0, DicomDateTimePrecision.Minute)]
    [InlineData("143005", 14, 30, 5, 0, DicomDateTimePrecision.Second)]
    [InlineData("143005.5", 14, 30, 5, 500000, DicomDateTimePrecision.Fraction)]
    [InlineData("143005.123456", 14, 30, 5, 123456, DicomDateTimePrecision.Fraction)]
    [InlineData("000000", 0, 0, 0, 0, DicomDateTimePrecision.Second)]
    public void Times_parse_with_partial_precision(string text, int h, int m, int s, int micro, DicomDateTimePrecision precision)
    {
        Assert.True(DicomDateTime.TryParseTime(text, out var time, out var p));
        Assert.Equal(new TimeOnly(h, m, s).Add(TimeSpan.FromTicks(micro * 10L)), time);
        Assert.Equal(precision, p);
    }

    [Theory]
    [InlineData("24")]
    [InlineData("1260")]
    [InlineData("14:30:05")]
    [InlineData("143")]
    [InlineData("1430.5")]
    [InlineData("143005.1234567")]
    [InlineData("143005.")]
    public void Invalid_times_are_rejected(string text)
    {
        Assert.False(DicomDateTime.TryParseTime(text, out _));
    }

    [Fact]
    public void A_leap_second_is_accepted()
    {
        Assert.True(DicomDateTime.TryParseTime("235960", out var t));
        Assert.Equal(23, t.Hour);
        Assert.Equal(59, t.Second);
    }

    [Fact]
    public void Times_format_with_chosen_fraction_digits()
    {
        var t = new TimeOnly(9, 5, 7).Add(TimeSpan.FromTicks(1234560));
        Assert.Equal("090507", DicomDateTime.FormatTime(t));
        Assert.Equal("090507.123", DicomDateTime.FormatTime(t, 3));
        Assert.Equal("090507.123456", DicomDateTime.FormatTime(t, 6));
        Assert.Equal(t, DicomDateTime.ParseTime(DicomDateTime.FormatTime(t, 6)));
    }

    [Theory]
    [InlineData("2024", 2024, 1, 1, 0, 0, DicomDateTimePrecision.Year)]
    [InlineData("202403", 2024, 3, 1, 0, 0, DicomDateTimePrecision.Month)]
    [InlineData("20240315", 2024, 3, 15, 0, 0, DicomDateTimePrecision.Day)]
    [InlineData("2024031512", 2024, 3, 15, 12, 0, DicomDateTimePrecision.Hour)]
    [InlineData("202403151230", 2024, 3, 15, 12, 30, DicomDateTimePrecision.Minute)]
    public void Date_times_parse_with_partial_precision(string text, int y, int mo, int d, int h, int mi, DicomDateTimePrecision precision)
    {
        var v = DicomDateTime.ParseDateTime(text);
        Assert.Equal(new DateTime(y, mo, d, h, mi, 0), v.DateTime);
        Assert.Null(v.Offset);
        Assert.Equal(precision, v.Precision);
    }

    [Fact]
    public void Date_times_keep_their_UTC_offset()
    {
        var v = DicomDateTime.ParseDateTime("20240315123045.25-0500");
        Assert.Equal(TimeSpan.FromHours(-5), v.Offset);
        Assert.Equal(DicomDateTimePrecision.Fraction, v.Precision);
        var instant = v.ToDateTimeOffset(TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 3, 15, 17, 30, 45, 250, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void Date_times_without_offset_take_the_dataset_timezone()
    {
        var v = DicomDateTime.ParseDateTime("20240315123045");
        Assert.Equal(TimeSpan.FromHours(1), v.ToDateTimeOffset(TimeSpan.FromHours(1)).Offset);
    }

    [Fact]
    public void Date_times_format_with_offset_and_round_trip()
    {
        var value = new DateTimeOffset(2024, 3, 15, 12, 30, 45, TimeSpan.FromMinutes(330)).AddTicks(1234560);
        var text = DicomDateTime.FormatDateTime(value);
        Assert.Equal("20240315123045.123456+0530", text);
        Assert.Equal(value, DicomDateTime.ParseDateTime(text).ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal("20240315123045", DicomDateTime.FormatDateTime(value, 0, includeOffset: false));
    }

    [Theory]
    [InlineData("20240315+1500")]
    [InlineData("20240315+0560")]
    [InlineData("20240315-1300")]
    [InlineData("202")]
    [InlineData("20240")]
    [InlineData("20240230")]
    [InlineData("2024031512305")]
    [InlineData("20240315123045.1234567")]
    public void Invalid_date_times_are_rejected(string text)
    {
        Assert.False(DicomDateTime.TryParseDateTime(text, out _));
    }

    [Fact]
    public void Date_ranges_may_be_open_on_either_side()
    {
        Assert.True(DicomDateTime.TryParseDateRange("20240101-20241231", out var from, out var to));
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)), (from!.Value, to!.Value));
        Assert.True(DicomDateTime.TryParseDateRange("-20241231", out from, out to));
        Assert.Null(from);
        Assert.True(DicomDateTime.TryParseDateRange("20240101-", out from, out to));
        Assert.Null(to);
        Assert.True(DicomDateTime.TryParseDateRange("20240101", out from, out to));
        Assert.Equal(from, to);
        Assert.False(DicomDateTime.TryParseDateRange("-", out _, out _));
        Assert.False(DicomDateTime.TryParseDateRange("2024-01-01", out _, out _));
    }

    [Fact]
    public void Time_ranges_parse()
    {
        Assert.True(DicomDateTime.TryParseTimeRange("0800-1730", out var from, out var to));
        Assert.Equal(new TimeOnly(8, 0), from);
        Assert.Equal(new TimeOnly(17, 30), to);
    }

    [Fact]
    public void Date_time_ranges_tell_a_negative_offset_from_the_range_dash()
    {
        Assert.True(DicomDateTime.TryParseDateTimeRange("20240101-0500-20240102-0500", out var from, out var to));
        Assert.Equal(TimeSpan.FromHours(-5), from!.Value.Offset);
        Assert.Equal(new DateTime(2024, 1, 2), to!.Value.DateTime);
        Assert.True(DicomDateTime.TryParseDateTimeRange("2024-", out from, out to));
        Assert.Equal(2024, from!.Value.DateTime.Year);
        Assert.Null(to);
    }

    [Fact]
    public void Date_times_parse_directly_to_a_point_in_time()
    {
        Assert.True(DicomDateTime.TryParseDateTime("20240315123045", TimeSpan.FromHours(2), out var local));
        Assert.Equal(new DateTimeOffset(2024, 3, 15, 12, 30, 45, TimeSpan.FromHours(2)), local);
        Assert.True(DicomDateTime.TryParseDateTime("20240315123045+0000", TimeSpan.FromHours(2), out var utc));
        Assert.Equal(TimeSpan.Zero, utc.Offset);
        Assert.False(DicomDateTime.TryParseDateTime("2024-03-15", TimeSpan.Zero, out _));
    }

    [Fact]
    public void Study_date_and_time_combine_into_one_value()
    {
        Assert.True(DicomDateTime.TryCombine("20240315", "123045.5", out var both));
        Assert.Equal(new DateTime(2024, 3, 15, 12, 30, 45, 500), both);
        Assert.True(DicomDateTime.TryCombine("20240315", null, out var dateOnly));
        Assert.Equal(new DateTime(2024, 3, 15), dateOnly);
        Assert.False(DicomDateTime.TryCombine("", "1230", out _));
    }
}
