using System.Text.Json;
using Agent.Dicom;
using Agent.Dicom.Json;

namespace Agent.Dicom.Tests;

public class JsonWriterTests
{
    private static JsonElement Attr(DicomDataset ds, uint tag, DicomJsonOptions? options = null)
        => JsonDocument.Parse(DicomJsonWriter.WriteToString(ds, options)).RootElement.GetProperty(new DicomTag(tag).ToHex());

    [Fact]
    public void Person_name_groups_become_alphabetic_ideographic_and_phonetic()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        var value = Attr(ds, 0x00100010).GetProperty("Value")[0];
        Assert.Equal("Yamada^Tarou", value.GetProperty("Alphabetic").GetString());
        Assert.Equal("山田^太郎", value.GetProperty("Ideographic").GetString());
        Assert.Equal("やまだ^たろう", value.GetProperty("Phonetic").GetString());
    }

    [Fact]
    public void Decimal_and_integer_strings_are_numbers_and_valid_json_number_text_is_kept_exactly()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x00280030), DicomVR.DS, "0.50", "+1.5", ".25", "1e3")
            .AddOrUpdate(new DicomTag(0x00200013), DicomVR.IS, "0007", "-3");
        var json = DicomJsonWriter.WriteToString(ds);
        Assert.Contains("[0.50,1.5,0.25,1e3]", json, StringComparison.Ordinal);
        Assert.Contains("[7,-3]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_decimal_string_stays_a_string_instead_of_being_lost()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00280030), DicomVR.DS, "abc");
        Assert.Equal("abc", Attr(ds, 0x00280030).GetProperty("Value")[0].GetString());
    }

    [Fact]
    public void Empty_element_has_only_vr_and_empty_values_among_several_are_null()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x00080020), DicomVR.DA)
            .AddOrUpdate(new DicomTag(0x00080008), DicomVR.CS, "ORIGINAL", "", "AXIAL")
            .AddOrUpdate(new DicomSequence(new DicomTag(0x00081140)));
        Assert.False(Attr(ds, 0x00080020).TryGetProperty("Value", out _));
        Assert.False(Attr(ds, 0x00081140).TryGetProperty("Value", out _));
        Assert.Equal("SQ", Attr(ds, 0x00081140).GetProperty("vr").GetString());
        var types = Attr(ds, 0x00080008).GetProperty("Value");
        Assert.Equal(JsonValueKind.Null, types[1].ValueKind);
        Assert.Equal("AXIAL", types[2].GetString());
    }

    [Fact]
    public void Attribute_tags_are_upper_case_hex_strings_and_binary_numbers_are_numbers()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x00209165), DicomVR.AT, new ushort[] { 0x0020, 0x9056, 0x0028, 0x0010 })
            .AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)512)
            .AddOrUpdate(new DicomTag(0x00189219), DicomVR.SS, (short)-5, (short)6)
            .AddOrUpdate(new DicomTag(0x00186060), DicomVR.FL, 0.1f)
            .AddOrUpdate(new DicomTag(0x00189087), DicomVR.FD, 1000.25);
        Assert.Equal(["00209056", "00280010"], Attr(ds, 0x00209165).GetProperty("Value").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(512, Attr(ds, 0x00280010).GetProperty("Value")[0].GetInt32());
        Assert.Equal(-5, Attr(ds, 0x00189219).GetProperty("Value")[0].GetInt32());
        Assert.Equal((double)0.1f, Attr(ds, 0x00186060).GetProperty("Value")[0].GetDouble());
        Assert.Equal(1000.25, Attr(ds, 0x00189087).GetProperty("Value")[0].GetDouble());
    }

    [Fact]
    public void Sequences_are_arrays_of_objects_nested()
    {
        var inner = new DicomDataset().AddOrUpdate(new DicomTag(0x00081150), DicomVR.UI, "1.2.3");
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00081140), inner, new DicomDataset());
        var value = Attr(ds, 0x00081140).GetProperty("Value");
        Assert.Equal(2, value.GetArrayLength());
        Assert.Equal("1.2.3", value[0].GetProperty("00081150").GetProperty("Value")[0].GetString());
        Assert.Empty(value[1].EnumerateObject());
    }

    [Fact]
    public void Bulk_data_is_inline_base64_below_the_threshold_and_a_uri_above_it()
    {
        var ds = new DicomDataset()
            .AddOrUpdateBytes(new DicomTag(0x00091010), DicomVR.OB, new byte[] { 1, 2, 3, 4 })
            .AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[4000]);
        var options = new DicomJsonOptions { BulkDataUriHandler = item => $"bulk/{item.Tag.ToHex()}", BulkDataThreshold = 100 };
        Assert.Equal("AQIDBA==", Attr(ds, 0x00091010, options).GetProperty("InlineBinary").GetString());
        Assert.Equal("bulk/7FE00010", Attr(ds, 0x7FE00010, options).GetProperty("BulkDataURI").GetString());
        Assert.Equal(5336, Attr(ds, 0x7FE00010).GetProperty("InlineBinary").GetString()!.Length);
    }

    [Fact]
    public void Encapsulated_pixel_data_inline_is_the_encoded_item_stream()
    {
        var frags = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 9, 8 }));
        var ds = new DicomDataset().AddOrUpdate(frags);
        var bytes = Convert.FromBase64String(Attr(ds, 0x7FE00010).GetProperty("InlineBinary").GetString()!);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 9, 8 }, bytes);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.5e-3", "-0.5e-3")]
    [InlineData("01", "1")]
    [InlineData("1.", "1")]
    [InlineData("+1E2", "100")]
    public void Decimal_text_is_kept_verbatim_only_when_it_is_valid_json_number_text(string text, string expected)
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00280030), DicomVR.DS, text);
        Assert.Equal(expected, Attr(ds, 0x00280030).GetProperty("Value")[0].GetRawText());
    }
}

public class JsonWriterLazyBulkTests
{
    [Fact]
    public void Lazy_bulk_values_become_uris_or_are_skipped_without_reading_the_file()
    {
        var path = Path.GetTempFileName();
        File.Copy(Path.Combine(PydicomCorpus.CorpusFolder, "CT_small.dcm"), path, overwrite: true);
        var file = DicomFile.Open(path, new Agent.Dicom.IO.DicomReaderOptions { LargeValueThreshold = 1024 });
        File.Delete(path); // any attempt to load a lazy value now fails
        var withUris = DicomJsonWriter.WriteToString(file.Dataset, new DicomJsonOptions { BulkDataUriHandler = i => $"bulk/{i.Tag.ToHex()}" });
        Assert.Contains("\"BulkDataURI\":\"bulk/7FE00010\"", withUris, StringComparison.Ordinal);
        var skipped = DicomJsonWriter.WriteToString(file.Dataset, new DicomJsonOptions { SkipUnloadedBulkData = true });
        Assert.Contains("\"7FE00010\":{\"vr\":\"OW\"}", skipped, StringComparison.Ordinal);
    }
}
