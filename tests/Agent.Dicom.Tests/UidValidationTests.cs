namespace Agent.Dicom.Tests;

/// <summary>The one UID validator (PS3.5 9.1) every layer uses, also to decide what may become a file name.</summary>
public sealed class UidValidationTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("0.0", true)]
    [InlineData("1.2.0.3", true)]
    [InlineData("2.25.12655366782013627498070935306965004946", true)]
    [InlineData("1.2.00.3", false)]
    [InlineData("1.02", false)]
    [InlineData("1.2.", false)]
    [InlineData(".1.2", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.3 ", false)]
    [InlineData("1.2.3\0", false)]
    [InlineData("1.2/3", false)]
    [InlineData("..", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Validity_follows_PS35_chapter_9(string? uid, bool valid)
    {
        Assert.Equal(valid, DicomUid.IsValid(uid));
        if (uid is not null) Assert.Equal(valid, DicomUid.Problem(uid) is null);
    }

    [Fact]
    public void UIDs_over_64_characters_are_invalid()
    {
        Assert.True(DicomUid.IsValid("1." + new string('2', 62)));
        Assert.False(DicomUid.IsValid("1." + new string('2', 63)));
        Assert.Equal("UID is 65 characters, more than 64", DicomUid.Problem("1." + new string('2', 63)));
    }

    [Theory]
    [InlineData("", "UID is empty")]
    [InlineData("1.2a", "UID '1.2a' contains 'a'; only digits and dots are allowed")]
    [InlineData("1..2", "UID '1..2' has an empty component")]
    [InlineData("1.02", "UID '1.02' has a component with a leading zero")]
    public void The_problem_says_what_is_wrong(string uid, string problem) => Assert.Equal(problem, DicomUid.Problem(uid));

    [Fact]
    public void Normalize_trims_UI_padding_before_checking_and_refuses_what_is_invalid()
    {
        Assert.Equal("1.2.3", DicomUid.Normalize("1.2.3\0"));
        Assert.Equal("1.2.3", DicomUid.Normalize("1.2.3 "));
        Assert.Null(DicomUid.Normalize("1.2.a\0"));
        Assert.Null(DicomUid.Normalize(null));
    }
}
