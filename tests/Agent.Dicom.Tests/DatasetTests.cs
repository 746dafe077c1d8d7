using Agent.Dicom;

namespace Agent.Dicom.Tests;

public class DatasetTests
{
    [Fact]
    public void Elements_are_kept_in_tag_order_whatever_the_insertion_order()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2 });
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^John");
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        Assert.Equal([DicomTags.SpecificCharacterSet, DicomTags.PatientName, DicomTags.PixelData], ds.Select(i => i.Tag));
    }

    [Fact]
    public void Text_is_padded_to_even_length_and_trimmed_on_read()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe");
        var e = (DicomElement)ds.GetItem(DicomTags.PatientName)!;
        Assert.Equal(4, e.Length);
        Assert.Equal("Doe", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Utf8_character_set_decodes_names()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen");
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
    }
}
