using Agent.Host.Ingest;

namespace Agent.Host.Tests;

public sealed class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2")]
    [InlineData("2.25.12655366782013627498070935306965004946")]
    [InlineData("0")]
    [InlineData("1.0.3")]
    public void Well_formed_uids_are_accepted(string uid) => Assert.True(DicomUid.IsValid(uid));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../../etc/passwd")]
    [InlineData("1.2/3")]
    [InlineData("1..2")]
    [InlineData("1.2.")]
    [InlineData(".1.2")]
    [InlineData("1.02")]
    [InlineData("1.2.3\0")]
    [InlineData("1.2 3")]
    [InlineData("1.2345678901234567890123456789012345678901234567890123456789012345")]
    public void Anything_that_could_steer_a_path_is_rejected(string uid) => Assert.False(DicomUid.IsValid(uid));

    [Fact]
    public void Ui_padding_is_trimmed_before_checking()
    {
        Assert.Equal("1.2.3", DicomUid.Normalize("1.2.3\0"));
        Assert.Null(DicomUid.Normalize("1.2.a\0"));
        Assert.Null(InstanceKeys.TryCreate("1.2", "..", "1.3"));
    }
}
