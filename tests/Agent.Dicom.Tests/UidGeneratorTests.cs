using System.Numerics;

namespace Agent.Dicom.Tests;

public sealed class UidGeneratorTests
{
    [Fact]
    public void Created_UIDs_use_the_2_25_arc_and_are_valid()
    {
        var uid = DicomUidGenerator.Create();
        Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
        Assert.True(uid.Length <= 44, uid);
        Assert.True(DicomUid.IsValid(uid), uid);
    }

    [Fact]
    public void Created_UIDs_differ()
    {
        var uids = Enumerable.Range(0, 1000).Select(_ => DicomUidGenerator.Create()).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(1000, uids.Count);
    }

    [Fact]
    public void UUID_to_UID_conversion_is_the_unsigned_big_endian_value()
    {
        // ISO/IEC 9834-8 example: f81d4fae-7dec-11d0-a765-00a0c91e6bf6.
        Assert.Equal("2.25.329800735698586629295641978511506172918", DicomUidGenerator.FromGuid(Guid.Parse("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")));
        Assert.Equal("2.25.0", DicomUidGenerator.FromGuid(Guid.Empty));
        Assert.Equal("2.25." + (BigInteger.Pow(2, 128) - 1), DicomUidGenerator.FromGuid(Guid.AllBitsSet));
        Assert.True(DicomUidGenerator.FromGuid(Guid.AllBitsSet).Length <= 64);
    }

    [Fact]
    public void Name_based_UIDs_are_stable_and_distinct()
    {
        var a = DicomUidGenerator.CreateFromName("study 1.2.3 / model liver v2 / seg");
        Assert.Equal(a, DicomUidGenerator.CreateFromName("study 1.2.3 / model liver v2 / seg"));
        Assert.NotEqual(a, DicomUidGenerator.CreateFromName("study 1.2.3 / model liver v2 / sr"));
        Assert.True(DicomUid.IsValid(a));
    }

    [Theory]
    [InlineData("1.2.826.0.1.3680043.10.1234")]
    [InlineData("1.2.3.")]
    [InlineData("1.2.840.113619.2.55.3.1234567890.123")]
    public void Root_based_UIDs_fill_up_to_64_characters(string root)
    {
        var uid = DicomUidGenerator.CreateFromRoot(root);
        Assert.StartsWith(root.TrimEnd('.') + ".", uid, StringComparison.Ordinal);
        Assert.True(uid.Length <= 64, uid);
        Assert.True(DicomUid.IsValid(uid), uid);
        Assert.NotEqual(uid, DicomUidGenerator.CreateFromRoot(root));
    }

    [Theory]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22")]
    [InlineData("1.02")]
    [InlineData("abc")]
    [InlineData("")]
    public void Bad_or_too_long_roots_are_refused(string root)
    {
        Assert.Throws<ArgumentException>(() => DicomUidGenerator.CreateFromRoot(root));
    }
}
