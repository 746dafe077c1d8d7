using Agent.Dicom;
using Agent.Dicom.Json;

namespace Agent.Dicom.Tests;

public class JsonReaderTests
{
    [Fact]
    public void Written_json_reads_back_into_the_same_values()
    {
        var item = new DicomDataset().AddOrUpdate(new DicomTag(0x00081150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00080005), DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^John=ドウ^ジョン")
            .AddOrUpdate(new DicomTag(0x00280030), DicomVR.DS, "0.5", "0.75")
            .AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)512)
            .AddOrUpdate(new DicomTag(0x00209165), DicomVR.AT, new ushort[] { 0x0020, 0x9056 })
            .AddOrUpdate(new DicomTag(0x00081140), item)
            .AddOrUpdateBytes(new DicomTag(0x00091010), DicomVR.OB, new byte[] { 1, 2, 3, 4 });
        var back = DicomJsonReader.Read(DicomJsonWriter.WriteToString(ds));
        Assert.Equal("Doe^John=ドウ^ジョン", back.GetString(DicomTags.PatientName));
        Assert.Equal(["0.5", "0.75"], back.GetStrings(new DicomTag(0x00280030)));
        Assert.Equal(512, back.GetNumber<int>(new DicomTag(0x00280010)));
        Assert.Equal([(ushort)0x0020, (ushort)0x9056], back.GetValues<ushort>(new DicomTag(0x00209165)));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", back.GetFirstItem(new DicomTag(0x00081140))!.GetString(new DicomTag(0x00081150)));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, back.GetValues<byte>(new DicomTag(0x00091010)));
    }

    [Fact]
    public void Non_ascii_text_without_a_character_set_gets_utf8_so_nothing_is_lost()
    {
        var ds = DicomJsonReader.Read("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller^Jürgen"}]}}""");
        Assert.Equal("ISO_IR 192", ds.GetString(new DicomTag(0x00080005)));
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void A_qido_style_array_reads_as_several_datasets()
    {
        var all = DicomJsonReader.ReadAll("""[{"00100020":{"vr":"LO","Value":["A"]}},{"00100020":{"vr":"LO","Value":["B"]}}]"""u8.ToArray());
        Assert.Equal(["A", "B"], all.Select(d => d.GetString(new DicomTag(0x00100020))));
        Assert.Throws<DicomFormatException>(() => DicomJsonReader.Read("[{},{}]"));
    }

    [Theory]
    [InlineData("[1,2")]
    [InlineData("""{"0010":{"vr":"PN"}}""")]
    [InlineData("""{"00100010":{"vr":"XX"}}""")]
    [InlineData("""{"00280010":{"vr":"US","Value":["many"]}}""")]
    [InlineData("""{"00280010":{"vr":"US","Value":[70000]}}""")]
    [InlineData("""{"7FE00010":{"vr":"OB","InlineBinary":"***"}}""")]
    [InlineData("""{"7FE00010":{"vr":"OB","BulkDataURI":"http://x/y"}}""")]
    [InlineData("""{"00100010":{"vr":"PN","Value":[[1]]}}""")]
    public void Malformed_json_is_a_format_error(string json)
        => Assert.Throws<DicomFormatException>(() => DicomJsonReader.Read(json));

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var json = string.Concat(Enumerable.Repeat("""{"00081140":{"vr":"SQ","Value":[""", 500)) + "{}" +
            string.Concat(Enumerable.Repeat("]}}", 500));
        Assert.Throws<DicomFormatException>(() => DicomJsonReader.Read(json));
    }
}

public class JsonReaderFuzzTests
{
    [Fact]
    public void Thousands_of_mutated_json_documents_read_or_fail_with_the_format_exception_only()
    {
        var file = DicomFile.Open(Path.Combine(PydicomCorpus.CorpusFolder, "CT_small.dcm"));
        var json = DicomJsonWriter.WriteToString(file.Dataset, new DicomJsonOptions { BulkDataUriHandler = _ => "bulk", BulkDataThreshold = 16 });
        var options = new DicomJsonReaderOptions { BulkDataResolver = (_, _, _) => DicomBuffer.Empty };
        const string alphabet = "{}[]\":,0123456789ABCDEFnulltrue-.eE\\ SQPNUSDSISATOBvrValue";
        var random = new Random(424242);
        int read = 0, rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            var chars = json.ToCharArray().ToList();
            for (int m = random.Next(1, 6); m > 0; m--)
            {
                int at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: chars.RemoveAt(at); break;
                    default: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                }
            }
            try
            {
                var ds = DicomJsonReader.Read(new string(chars.ToArray()), options);
                _ = DicomJsonWriter.WriteToString(ds);
                read++;
            }
            catch (DicomFormatException) { rejected++; }
        }
        Assert.True(read > 0 && rejected > 0, $"read {read}, rejected {rejected}");
    }
}
