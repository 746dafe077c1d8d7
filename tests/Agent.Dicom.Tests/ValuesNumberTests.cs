using System.Globalization;

namespace Agent.Dicom.Tests;

public sealed class ValuesNumberTests
{
    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData(" -0.25 ", -0.25)]
    [InlineData("+3", 3)]
    [InlineData("1e3", 1000)]
    [InlineData("1.0E-05", 0.00001)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5)]
    public void Decimal_strings_parse(string text, double expected)
    {
        Assert.Equal(expected, DicomNumber.ParseDecimal(text));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("1e")]
    [InlineData(".")]
    [InlineData("0x10")]
    [InlineData("1e999")]
    [InlineData("")]
    public void Invalid_decimal_strings_are_rejected(string text)
    {
        Assert.False(DicomNumber.TryParseDecimal(text, out _));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(-1234.5678)]
    [InlineData(Math.PI)]
    [InlineData(-Math.E * 1e-200)]
    [InlineData(1.7976931348623157e308)]
    [InlineData(double.Epsilon)]
    [InlineData(123456789012345678.0)]
    [InlineData(-0.000123456789012345)]
    public void Doubles_format_into_16_characters_and_read_back_closely(double value)
    {
        var text = DicomNumber.FormatDecimal(value);
        Assert.True(text.Length <= 16, text);
        Assert.True(DicomValueValidator.IsValid(DicomVR.DS, text), text);
        var back = DicomNumber.ParseDecimal(text);
        // 16 characters keep at least 8 significant digits (worst case "-1.2345678E-308").
        Assert.True(Math.Abs(back - value) <= Math.Abs(value) * 5e-8, $"{value} -> {text} -> {back}");
    }

    [Fact]
    public void Short_doubles_format_exactly()
    {
        Assert.Equal("0.5", DicomNumber.FormatDecimal(0.5));
        Assert.Equal("-2.25", DicomNumber.FormatDecimal(-2.25));
        Assert.Equal("0", DicomNumber.FormatDecimal(-0.0));
        Assert.Equal("1E-5", DicomNumber.FormatDecimal(0.00001));
    }

    [Fact]
    public void NaN_cannot_be_formatted_as_DS()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomNumber.FormatDecimal(double.NaN));
    }

    [Fact]
    public void Random_doubles_always_fit()
    {
        var random = new Random(42);
        for (var i = 0; i < 5000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300));
            var text = DicomNumber.FormatDecimal(value);
            Assert.True(text.Length <= 16 && DicomNumber.TryParseDecimal(text, out _), value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData(" -7 ", -7)]
    [InlineData("+2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Integer_strings_parse(string text, int expected)
    {
        Assert.Equal(expected, DicomNumber.ParseInteger(text));
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("٣")]
    public void Invalid_integer_strings_are_rejected(string text)
    {
        Assert.False(DicomNumber.TryParseInteger(text, out _));
        Assert.Throws<DicomFormatException>(() => DicomNumber.ParseInteger(text));
    }

    [Fact]
    public void Integers_outside_the_IS_range_cannot_be_formatted()
    {
        Assert.Equal("-12", DicomNumber.FormatInteger(-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomNumber.FormatInteger(1L << 31));
    }
}
