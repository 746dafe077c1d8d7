namespace Agent.Dicom.Tests;

public sealed class ValuesValidatorTests
{
    [Theory]
    [InlineData("DA", "20240315")]
    [InlineData("DA", "")]
    [InlineData("TM", "143005.123")]
    [InlineData("DT", "20240315143005+0100")]
    [InlineData("DS", " 1.5\\-2e3 ")]
    [InlineData("IS", "12\\-4")]
    [InlineData("UI", "1.2.840.10008.5.1.4.1.1.2\0")]
    [InlineData("AS", "045Y")]
    [InlineData("AE", "STORESCP")]
    [InlineData("CS", "ORIGINAL\\PRIMARY\\AXIAL")]
    [InlineData("PN", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("LT", "line one\r\nline two\tend")]
    [InlineData("LO", "Müller")]
    [InlineData("UR", "http://example.org/a b")]
    public void Valid_values_have_no_problems(string vr, string value)
    {
        Assert.Empty(DicomValueValidator.Validate(DicomVR.Parse(vr), value));
    }

    [Theory]
    [InlineData("DA", "2024-03-15", "not YYYYMMDD")]
    [InlineData("DA", "20240315-20240316", "not YYYYMMDD")]
    [InlineData("TM", "14:30", "not HH")]
    [InlineData("DT", "20241315", "not YYYY")]
    [InlineData("DS", "1,5", "not a decimal")]
    [InlineData("DS", "12345678901234567", "more than the 16")]
    [InlineData("IS", "1.5", "not an integer")]
    [InlineData("IS", "3000000000", "not an integer")]
    [InlineData("UI", "1.2.03", "leading zero")]
    [InlineData("UI", "1..2", "empty component")]
    [InlineData("UI", "1.2.a", "only digits")]
    [InlineData("AS", "45Y", "nnnD")]
    [InlineData("CS", "lower", "A-Z")]
    [InlineData("AE", "AN_AE_TITLE_TOO_LONG", "more than the 16")]
    [InlineData("PN", "a=b=c=d", "at most 3")]
    [InlineData("PN", "a^b^c^d^e^f", "more than 5 components")]
    [InlineData("LO", "tab\there", "control character")]
    [InlineData("SH", "ÄÖÜ\u0001", "control character")]
    [InlineData("CS", "ÄB", "A-Z")]
    [InlineData("UR", " http://x", "leading spaces")]
    public void Invalid_values_are_reported_not_thrown(string vr, string value, string expected)
    {
        var problems = DicomValueValidator.Validate(DicomVR.Parse(vr), value);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Multi_valued_problems_name_the_value()
    {
        var problems = DicomValueValidator.Validate(DicomVR.DA, "20240101\\2024-01-02");
        Assert.Equal("value 2: DA value '2024-01-02' is not YYYYMMDD", Assert.Single(problems));
    }

    [Fact]
    public void Query_ranges_are_valid_only_when_asked_for()
    {
        Assert.Empty(DicomValueValidator.Validate(DicomVR.DA, "20240101-20240131", allowQueryRange: true));
        Assert.Empty(DicomValueValidator.Validate(DicomVR.TM, "0800-", allowQueryRange: true));
        Assert.NotEmpty(DicomValueValidator.Validate(DicomVR.DA, "20240101-20240131"));
    }

    [Fact]
    public void Long_text_in_short_text_VRs_is_reported()
    {
        Assert.NotEmpty(DicomValueValidator.Validate(DicomVR.LO, new string('x', 65)));
        Assert.Empty(DicomValueValidator.Validate(DicomVR.LO, new string('x', 64)));
        Assert.NotEmpty(DicomValueValidator.Validate(DicomVR.ST, new string('x', 1025)));
    }

    [Fact]
    public void Binary_VRs_and_null_are_not_text_and_pass()
    {
        Assert.Empty(DicomValueValidator.Validate(DicomVR.US, "anything"));
        Assert.Empty(DicomValueValidator.Validate(DicomVR.DA, null));
    }

    [Fact]
    public void Random_text_never_throws_for_any_VR()
    {
        var random = new Random(7);
        const string alphabet = "0123456789.-+eE:^=\\ \t\r\nAZaz_\u001b\u00e9\u5c71";
        foreach (var vr in DicomVR.All)
        {
            for (var i = 0; i < 200; i++)
            {
                var chars = new char[random.Next(0, 30)];
                for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
                _ = DicomValueValidator.Validate(vr, new string(chars), allowQueryRange: i % 2 == 0);
            }
        }
    }
}

public sealed class ValuesDatasetValidatorTests
{
    [Fact]
    public void Value_counts_are_checked_against_the_dictionary_VM()
    {
        Assert.Empty(DicomValueValidator.ValidateElement(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1\\0"));
        var problems = DicomValueValidator.ValidateElement(DicomTags.ImageOrientationPatient, DicomVR.DS, "1\\0\\0\\0\\1");
        Assert.Equal("5 value(s), but the VM of ImageOrientationPatient is 6", Assert.Single(problems));
        Assert.Empty(DicomValueValidator.ValidateElement(DicomTags.ImageOrientationPatient, DicomVR.DS, ""));
    }

    [Fact]
    public void A_VR_the_dictionary_does_not_allow_is_reported()
    {
        var problems = DicomValueValidator.ValidateElement(DicomTags.PatientName, DicomVR.LO, "Doe^John");
        Assert.Contains(problems, p => p.Contains("PS3.6 gives PN", StringComparison.Ordinal));
        Assert.Empty(DicomValueValidator.ValidateElement(DicomTags.PatientName, DicomVR.UN, "Doe^John"));
    }

    [Fact]
    public void A_dataset_is_checked_down_into_sequence_items_with_paths()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.03");
        var ds = new DicomDataset().AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "2024-01-01");
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSeriesSequence, [new DicomDataset(), item]));
        ds.AddOrUpdate(new DicomElement(DicomTags.Rows, DicomVR.US, DicomBuffer.From(new byte[] { 1, 0, 2, 0 })));
        ds.AddOrUpdate(new DicomElement(DicomTags.Columns, DicomVR.US, DicomBuffer.From(new byte[] { 1, 0, 2 })));
        var problems = DicomValueValidator.Validate(ds).Select(p => p.ToString()).ToArray();
        Assert.Contains("(0008,0020): DA value '2024-01-01' is not YYYYMMDD", problems);
        Assert.Contains(problems, p => p.StartsWith("(0008,1115)[1].(0008,1155): ", StringComparison.Ordinal) && p.Contains("leading zero", StringComparison.Ordinal));
        Assert.Contains("(0028,0010): 2 value(s), but the VM of Rows is 1", problems);
        Assert.Contains("(0028,0011): US value is 3 bytes, not a multiple of 2", problems);
        Assert.Equal(4, problems.Length);
    }

    [Fact]
    public void A_valid_dataset_has_no_problems()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen=王^小東")
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, DicomUidGenerator.Create())
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, DicomNumber.FormatDecimal(0.7031), DicomNumber.FormatDecimal(0.7031));
        Assert.Empty(DicomValueValidator.Validate(ds));
    }
}

public sealed class ValuesFuzzTests
{
    [Fact]
    public void Try_parsers_never_throw_on_random_text()
    {
        var random = new Random(99);
        const string alphabet = "0123456789+-.:eE \\/Tn\u0000\u00e9\u0663";
        for (var i = 0; i < 20000; i++)
        {
            var chars = new char[random.Next(0, 28)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            _ = DicomDateTime.TryParseDate(s, out _);
            _ = DicomDateTime.TryParseTime(s, out _);
            _ = DicomDateTime.TryParseDateTime(s, out _);
            _ = DicomDateTime.TryParseDateTime(s, TimeSpan.Zero, out _);
            _ = DicomDateTime.TryParseDateRange(s, out _, out _);
            _ = DicomDateTime.TryParseTimeRange(s, out _, out _);
            _ = DicomDateTime.TryParseDateTimeRange(s, out _, out _);
            _ = DicomDateTime.TryParseOffset(s, out _);
            _ = DicomDateTime.TryCombine(s, s, out _);
            _ = DicomNumber.TryParseDecimal(s, out _);
            _ = DicomNumber.TryParseInteger(s, out _);
            _ = DicomUid.IsValid(s);
            _ = DicomDictionary.TryParseTag(s, out _);
            try { _ = DicomValueMultiplicity.Parse(s); }
            catch (DicomFormatException) { }   // the documented failure
        }
    }
}
