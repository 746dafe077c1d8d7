using System.Text.RegularExpressions;

namespace Agent.Dicom.Network.Tests;

/// <summary>DCMTK's dcmdump as an independent reader: the data set's elements as text, to compare two files.</summary>
public static partial class Dcmdump
{
    /// <summary>
    /// Data set lines without meta information, group lengths, item delimiters and trailing padding: the parts DCMTK's
    /// storescu rewrites or drops when it sends a file.
    /// </summary>
    public static async Task<string> DataSetAsync(string path)
    {
        var r = await Tools.RunAsync("dcmdump", ["-q", "+L", "-dc", path]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Output.Split('\n')
            .SkipWhile(l => !l.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            .Where(l => !l.StartsWith('#') && !GroupLength().IsMatch(l) && !l.Contains("(fffe,e0", StringComparison.OrdinalIgnoreCase)
                        && !l.Contains("(fffc,fffc)", StringComparison.OrdinalIgnoreCase));
        return string.Join('\n', lines.Select(l => Spacing().Replace(LengthForm().Replace(l, ""), " ").TrimEnd()));
    }

    [GeneratedRegex(@"^\s*\([0-9a-f]{4},0000\)")]
    private static partial Regex GroupLength();

    [GeneratedRegex(@" with (undefined|explicit) length")]
    private static partial Regex LengthForm();

    [GeneratedRegex(@"\s+#.*$|\s+")]
    private static partial Regex Spacing();
}
