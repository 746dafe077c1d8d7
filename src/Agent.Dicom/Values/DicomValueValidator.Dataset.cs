using System.Globalization;

namespace Agent.Dicom;

/// <summary>A problem found in one element of a dataset; <see cref="Path"/> locates it inside sequences.</summary>
public sealed record DicomValueProblem(string Path, DicomTag Tag, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

public static partial class DicomValueValidator
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Checks one element against its VR's rules and the dictionary: the VR is one PS3.6 allows for the tag, and the
    /// number of values fits its VM. Empty values pass (type 2). Private elements get the VR checks only.
    /// </summary>
    public static IReadOnlyList<string> ValidateElement(DicomTag tag, DicomVR vr, string? value)
    {
        var problems = new List<string>(Validate(vr, value));
        if (!DicomDictionary.TryLookup(tag, out var entry) || tag.IsPrivate) return problems;
        if (entry.VRs.Length > 0 && vr != DicomVR.UN && !entry.VRs.Contains(vr))
            problems.Add($"VR {vr.Code}, but PS3.6 gives {string.Join(" or ", entry.VRs.Select(v => v.Code))} for {entry.Keyword}");
        if (vr.IsString && !string.IsNullOrEmpty(DicomText.TrimValue(value ?? "", vr)))
        {
            var count = vr.IsBackslashMultiValued ? value!.Split('\\').Length : 1;
            CheckMultiplicity(entry, count, problems);
        }
        return problems;
    }

    /// <summary>
    /// Checks every text element (with the dataset's character set) and the value count of every binary element,
    /// descending into sequence items up to 64 levels deep.
    /// </summary>
    public static IReadOnlyList<DicomValueProblem> Validate(DicomDataset dataset)
    {
        var problems = new List<DicomValueProblem>();
        Walk(dataset, "", 0, problems);
        return problems;
    }

    private static void Walk(DicomDataset dataset, string path, int depth, List<DicomValueProblem> problems)
    {
        foreach (var item in dataset)
        {
            var here = path.Length == 0 ? item.Tag.ToString() : path + "." + item.Tag;
            switch (item)
            {
                case DicomSequence sequence:
                    if (depth >= MaxDepth)
                    {
                        problems.Add(new(here, item.Tag, $"sequence nested deeper than {MaxDepth} levels, not checked"));
                        break;
                    }
                    for (var i = 0; i < sequence.Items.Count; i++)
                        Walk(sequence.Items[i], here + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", depth + 1, problems);
                    break;
                case DicomElement { VR.IsString: true } text:
                    foreach (var p in ValidateElement(item.Tag, item.VR, dataset.DecodeText(text))) problems.Add(new(here, item.Tag, p));
                    break;
                case DicomElement { VR.Kind: DicomVRKind.Binary } binary:
                    foreach (var p in BinaryProblems(binary)) problems.Add(new(here, item.Tag, p));
                    break;
            }
        }
    }

    private static IEnumerable<string> BinaryProblems(DicomElement element)
    {
        var problems = new List<string>();
        var unit = element.VR.UnitSize;
        if (element.Length % unit != 0)
        {
            problems.Add($"{element.VR.Code} value is {element.Length} bytes, not a multiple of {unit}");
            return problems;
        }
        if (element.Length == 0 || element.Tag.IsPrivate || !DicomDictionary.TryLookup(element.Tag, out var entry)) return problems;
        if (entry.VRs.Length > 0 && !entry.VRs.Contains(element.VR))
            problems.Add($"VR {element.VR.Code}, but PS3.6 gives {string.Join(" or ", entry.VRs.Select(v => v.Code))} for {entry.Keyword}");
        CheckMultiplicity(entry, (int)Math.Min(int.MaxValue, element.Length / unit), problems);
        return problems;
    }

    private static void CheckMultiplicity(DicomDictionaryEntry entry, int count, List<string> problems)
    {
        if (!DicomValueMultiplicity.Allows(entry.VM, count))
            problems.Add($"{count.ToString(CultureInfo.InvariantCulture)} value(s), but the VM of {entry.Keyword} is {entry.VM}");
    }
}
