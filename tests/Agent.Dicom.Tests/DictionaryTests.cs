namespace Agent.Dicom.Tests;

public sealed class DictionaryTests
{
    [Fact]
    public void Dictionary_holds_all_public_PS36_entries()
    {
        Assert.True(DicomDictionary.Entries.Count > 4900, $"only {DicomDictionary.Entries.Count} entries");
        Assert.True(DicomDictionary.TryLookup(DicomTags.PatientName, out var e));
        Assert.Equal("Patient's Name", e.Name);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Equal("1", e.VM);
        Assert.False(e.IsRetired);
    }

    [Fact]
    public void Constants_used_by_other_layers_keep_their_values()
    {
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTags.TransferSyntaxUID);
        Assert.Equal(new DicomTag(0x0008, 0x0005), DicomTags.SpecificCharacterSet);
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTags.PatientName);
        Assert.Equal(new DicomTag(0x7FE0, 0x0010), DicomTags.PixelData);
        Assert.Equal(new DicomTag(0x0020, 0x000D), DicomTags.StudyInstanceUID);
        Assert.Equal(new DicomTag(0x0062, 0x0002), DicomTags.SegmentSequence);
    }

    [Theory]
    [InlineData(0x6000u)]
    [InlineData(0x6002u)]
    [InlineData(0x601Eu)]
    public void Overlay_data_is_found_in_every_even_group_of_the_60xx_range(uint group)
    {
        var tag = new DicomTag((ushort)group, 0x3000);
        Assert.True(DicomDictionary.TryLookup(tag, out var e));
        Assert.Equal("OverlayData", e.Keyword);
        Assert.Equal([DicomVR.OB, DicomVR.OW], e.VRs);
        Assert.True(e.IsRepeatingGroup);
        Assert.Equal(DicomTags.OverlayData, new DicomTag(0x6000, 0x3000));
    }

    [Fact]
    public void Curve_data_in_group_50xx_is_found_and_retired()
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag(0x5004, 0x3000), out var data));
        Assert.Equal("CurveData", data.Keyword);
        Assert.True(data.IsRetired);
        Assert.True(DicomDictionary.TryLookup(new DicomTag(0x5002, 0x0005), out var dims));
        Assert.Equal("CurveDimensions", dims.Keyword);
        Assert.Equal(DicomVR.US, dims.VR);
    }

    [Fact]
    public void An_odd_group_inside_a_repeating_range_is_private_not_overlay()
    {
        Assert.False(DicomDictionary.TryLookup(new DicomTag(0x6001, 0x3000), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void Source_image_IDs_repeat_over_the_element_range()
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag(0x0020, 0x31A7), out var e));
        Assert.Equal("SourceImageIDs", e.Keyword);
    }

    [Theory]
    [InlineData(0x0028u)]
    [InlineData(0x0009u)]
    [InlineData(0x7FE0u)]
    public void Group_length_of_any_group_is_UL(uint group)
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag((ushort)group, 0x0000), out var e));
        Assert.Equal(DicomVR.UL, e.VR);
    }

    [Fact]
    public void Private_creator_elements_are_LO()
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag(0x0029, 0x0010), out var e));
        Assert.Equal(DicomVR.LO, e.VR);
        Assert.Equal("Private Creator", e.Name);
        Assert.Equal(DicomVR.LO, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x00FF)));
    }

    [Fact]
    public void A_private_element_with_a_known_creator_is_found_in_whichever_block_was_reserved()
    {
        Assert.True(DicomDictionary.TryLookupPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1010), out var e));
        Assert.Equal("CSAImageHeaderInfo", e.Name);
        Assert.Equal(DicomVR.OB, e.VR);
        Assert.True(DicomDictionary.TryLookupPrivate("SIEMENS CSA HEADER ", new DicomTag(0x0029, 0x1210), out var moved));
        Assert.Same(e, moved);
        Assert.Equal(DicomVR.OB, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x1110), "SIEMENS CSA HEADER"));
    }

    [Fact]
    public void A_private_element_of_a_repeating_private_block_is_found_in_any_odd_group_of_it()
    {
        Assert.True(DicomDictionary.TryLookupPrivate("DLX_ANNOT_01", new DicomTag(0x7003, 0x1005), out var e));
        Assert.Equal(DicomVR.IS, e.VR);
        Assert.Equal("2", e.VM);
    }

    [Fact]
    public void Unknown_private_creator_or_element_gives_UN()
    {
        Assert.False(DicomDictionary.TryLookupPrivate("NO SUCH VENDOR", new DicomTag(0x0029, 0x1010), out _));
        Assert.False(DicomDictionary.TryLookupPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x10FE), out _));
        Assert.False(DicomDictionary.TryLookupPrivate("SIEMENS CSA HEADER", new DicomTag(0x0010, 0x1010), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x1010), "NO SUCH VENDOR"));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x1010)));
    }

    [Fact]
    public void Unknown_public_tag_gives_UN_and_no_keyword()
    {
        var tag = new DicomTag(0x0010, 0x0001);
        Assert.False(DicomDictionary.TryLookup(tag, out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(tag));
        Assert.Equal("", DicomDictionary.Keyword(tag));
    }

    [Fact]
    public void Keyword_lookup_finds_plain_and_repeating_entries()
    {
        Assert.True(DicomDictionary.TryLookup("StudyInstanceUID", out var study));
        Assert.Equal(0x0020000Du, study.Tag);
        Assert.True(DicomDictionary.TryLookup("OverlayData", out var overlay));
        Assert.Equal(0xFF00FFFFu, overlay.Mask);
        Assert.False(DicomDictionary.TryLookup("patientname", out _));
        Assert.Equal("PatientName", DicomDictionary.Keyword(DicomTags.PatientName));
    }

    [Fact]
    public void Retired_flag_follows_PS36()
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag(0x0008, 0x0040), out var dataSetType)); // Data Set Type
        Assert.True(dataSetType.IsRetired);
        Assert.True(DicomDictionary.TryLookup(DicomTags.Modality, out var modality));
        Assert.False(modality.IsRetired);
    }

    [Fact]
    public void Pixel_data_allows_OB_or_OW_and_ambiguous_US_or_SS_entries_keep_both()
    {
        Assert.True(DicomDictionary.TryLookup(DicomTags.PixelData, out var pixel));
        Assert.Equal([DicomVR.OB, DicomVR.OW], pixel.VRs);
        Assert.True(DicomDictionary.TryLookup(DicomTags.SmallestImagePixelValue, out var smallest));
        Assert.Equal([DicomVR.US, DicomVR.SS], smallest.VRs);
        Assert.True(DicomDictionary.TryLookup(DicomTags.LUTData, out var lut));
        Assert.Equal([DicomVR.US, DicomVR.OW], lut.VRs);
    }

    [Fact]
    public void Item_and_delimitation_tags_have_no_VR_and_default_to_UN()
    {
        Assert.True(DicomDictionary.TryLookup(DicomTag.Item, out var item));
        Assert.Empty(item.VRs);
        Assert.Equal(DicomVR.UN, item.VR);
    }

    [Fact]
    public void Newer_VRs_appear_in_the_dictionary()
    {
        Assert.True(DicomDictionary.TryLookup(DicomTags.ExtendedOffsetTable, out var eot));
        Assert.Equal(DicomVR.OV, eot.VR);
        Assert.True(DicomDictionary.TryLookup(DicomTags.RetrieveURL, out var url));
        Assert.Equal(DicomVR.UR, url.VR);
    }

    [Theory]
    [InlineData("1", 1, 1, 1)]
    [InlineData("1-3", 1, 3, 1)]
    [InlineData("1-n", 1, int.MaxValue, 1)]
    [InlineData("2-2n", 2, int.MaxValue, 2)]
    [InlineData("3-3n", 3, int.MaxValue, 3)]
    [InlineData("6-n", 6, int.MaxValue, 1)]
    public void Value_multiplicity_parses_PS36_forms(string vm, int min, int max, int step)
    {
        Assert.Equal((min, max, step), DicomValueMultiplicity.Parse(vm));
    }

    [Theory]
    [InlineData("2-2n", 4, true)]
    [InlineData("2-2n", 3, false)]
    [InlineData("3-3n", 9, true)]
    [InlineData("3-3n", 0, false)]
    [InlineData("1-3", 4, false)]
    [InlineData("1-n", 500, true)]
    public void Value_multiplicity_checks_counts(string vm, int count, bool allowed)
    {
        Assert.Equal(allowed, DicomValueMultiplicity.Allows(vm, count));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1-2-3")]
    [InlineData("3-1")]
    [InlineData("1-0n")]
    public void Malformed_value_multiplicity_is_a_format_error(string vm)
    {
        Assert.Throws<DicomFormatException>(() => DicomValueMultiplicity.Parse(vm));
    }

    [Fact]
    public void Every_VM_in_the_dictionary_parses()
    {
        foreach (var e in DicomDictionary.Entries) _ = e.Multiplicity;
    }
}
