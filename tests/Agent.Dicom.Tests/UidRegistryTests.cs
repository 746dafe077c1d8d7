namespace Agent.Dicom.Tests;

public sealed class UidRegistryTests
{
    [Fact]
    public void SOP_classes_are_found_by_UID_and_keyword()
    {
        Assert.True(DicomUids.TryLookup("1.2.840.10008.5.1.4.1.1.2", out var ct));
        Assert.Same(DicomUids.CTImageStorage, ct);
        Assert.Equal("CT Image Storage", ct.Name);
        Assert.Equal(DicomUidType.SopClass, ct.Type);
        Assert.True(DicomUids.TryLookupKeyword("SegmentationStorage", out var seg));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.66.4", seg.Uid);
    }

    [Fact]
    public void Padding_of_a_UI_value_is_ignored_on_lookup()
    {
        Assert.Equal("Verification SOP Class", DicomUids.Find("1.2.840.10008.1.1\0")?.Name);
    }

    [Fact]
    public void Unregistered_UIDs_are_not_found_and_display_as_themselves()
    {
        Assert.Null(DicomUids.Find("1.2.3.4"));
        Assert.Equal("1.2.3.4", DicomUids.NameOf("1.2.3.4"));
    }

    [Fact]
    public void Retired_and_special_types_are_kept()
    {
        Assert.True(DicomUids.ExplicitVRBigEndian.IsRetired);
        Assert.Equal(DicomUidType.TransferSyntax, DicomUids.ExplicitVRBigEndian.Type);
        Assert.Equal(DicomUidType.WellKnownFrameOfReference, DicomUids.Find("1.2.840.10008.1.4.1.1")?.Type);
        Assert.Equal(DicomUidType.CodingScheme, DicomUids.Find("1.2.840.10008.2.16.4")?.Type);
    }

    [Fact]
    public void Every_transfer_syntax_the_codec_layer_knows_is_registered_as_one()
    {
        foreach (var ts in DicomTransferSyntax.Known)
        {
            Assert.True(DicomUids.TryLookup(ts.Uid, out var entry), ts.Uid);
            Assert.Equal(DicomUidType.TransferSyntax, entry.Type);
        }
    }

    [Fact]
    public void Registry_has_no_duplicates_and_all_UIDs_are_valid()
    {
        Assert.True(DicomUids.All.Count > 400);
        Assert.Equal(DicomUids.All.Count, DicomUids.All.Select(u => u.Uid).Distinct(StringComparer.Ordinal).Count());
        Assert.All(DicomUids.All, u => Assert.True(u.Uid.Length <= 64 && !u.Uid.EndsWith('.'), u.Uid));
    }

    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2", true)]          // CT Image Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.66.4", true)]       // Segmentation Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.88.34", true)]      // Comprehensive 3D SR Storage
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1", true)]        // Digital X-Ray Image Storage - For Presentation
    [InlineData("1.2.840.10008.5.1.4.38.1", true)]           // Hanging Protocol Storage
    [InlineData("1.2.840.10008.1.1", false)]                 // Verification
    [InlineData("1.2.840.10008.1.20.1", false)]              // Storage Commitment Push Model
    [InlineData("1.2.840.10008.1.3.10", false)]              // Media Storage Directory (DICOMDIR)
    [InlineData("1.2.840.10008.5.1.4.1.2.2.1", false)]       // Study Root Q/R Find
    [InlineData("1.2.3.4", false)]
    public void Storage_SOP_classes_are_recognised_from_the_registry(string uid, bool storage)
    {
        Assert.Equal(storage, DicomUids.IsStorageSopClass(uid));
    }

    [Fact]
    public void The_storage_list_holds_current_classes_only()
    {
        Assert.True(DicomUids.StorageSopClasses.Count > 100);
        Assert.Contains(DicomUids.SegmentationStorage, DicomUids.StorageSopClasses);
        Assert.DoesNotContain(DicomUids.StorageSopClasses, u => u.IsRetired);
    }
}
