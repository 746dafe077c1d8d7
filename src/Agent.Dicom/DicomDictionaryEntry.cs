namespace Agent.Dicom;

/// <summary>
/// One row of the PS3.6 data dictionary. <see cref="Mask"/> is 0xFFFFFFFF for ordinary tags and clears the varying
/// digits of repeating groups, e.g. (60xx,3000) has Tag 0x60003000 and Mask 0xFF00FFFF.
/// </summary>
public sealed record DicomDictionaryEntry(
    uint Tag,
    uint Mask,
    DicomVR[] VRs,
    string VM,
    string Keyword,
    string Name,
    bool IsRetired)
{
    public DicomVR VR => VRs[0];

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag;

    /// <summary>Minimum and maximum (int.MaxValue for 'n') multiplicity, and the step for '2-2n' style VMs.</summary>
    public (int Min, int Max, int Step) Multiplicity => DicomValueMultiplicity.Parse(VM);
}

public static class DicomValueMultiplicity
{
    public static (int Min, int Max, int Step) Parse(string vm)
    {
        if (string.IsNullOrEmpty(vm)) return (1, 1, 1);
        var parts = vm.Split('-');
        static int Num(string s) => s.EndsWith('n') ? int.MaxValue : int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        if (parts.Length == 1) return (Num(parts[0]), Num(parts[0]), 1);
        int min = Num(parts[0]);
        var maxText = parts[1];
        if (maxText.EndsWith('n'))
        {
            var step = maxText.Length > 1 ? int.Parse(maxText[..^1], System.Globalization.CultureInfo.InvariantCulture) : 1;
            return (min, int.MaxValue, step);
        }
        return (min, Num(maxText), 1);
    }
}
