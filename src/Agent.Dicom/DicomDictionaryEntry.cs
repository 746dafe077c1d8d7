using System.Globalization;

namespace Agent.Dicom;

/// <summary>
/// One row of the PS3.6 data dictionary (or of the private dictionary). <see cref="Mask"/> is 0xFFFFFFFF for ordinary
/// tags and clears the varying digits of repeating groups, e.g. (60xx,3000) has Tag 0x60003000 and Mask 0xFF00FFFF.
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
    /// <summary>The first allowed VR ("OB or OW" -> OB); UN for the item and delimitation tags, which have none.</summary>
    public DicomVR VR => VRs.Length > 0 ? VRs[0] : DicomVR.UN;

    public bool IsRepeatingGroup => Mask != 0xFFFFFFFF;

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag;

    /// <summary>Minimum and maximum (int.MaxValue for 'n') multiplicity, and the step for '2-2n' style VMs.</summary>
    public (int Min, int Max, int Step) Multiplicity => DicomValueMultiplicity.Parse(VM);
}

/// <summary>Value multiplicity strings of PS3.6: "1", "1-3", "1-n", "2-2n", "3-3n", "6-n".</summary>
public static class DicomValueMultiplicity
{
    /// <summary>Parses a VM; "2-2n" means 2, 4, 6... values (Step 2). Throws <see cref="DicomFormatException"/> if malformed.</summary>
    public static (int Min, int Max, int Step) Parse(string vm)
    {
        if (string.IsNullOrEmpty(vm)) return (1, 1, 1);
        var parts = vm.Split('-');
        if (parts.Length > 2) throw Bad(vm);
        var min = Number(parts[0], vm);
        if (parts.Length == 1) return (min, min, 1);
        var maxText = parts[1];
        if (maxText.EndsWith('n'))
        {
            var step = maxText.Length > 1 ? Number(maxText[..^1], vm) : 1;
            if (step == 0) throw Bad(vm);
            return (min, int.MaxValue, step);
        }
        var max = Number(maxText, vm);
        if (max < min) throw Bad(vm);
        return (min, max, 1);
    }

    /// <summary>True when <paramref name="count"/> values satisfy the VM, e.g. 4 for "2-2n" but not 3.</summary>
    public static bool Allows(string vm, int count)
    {
        var (min, max, step) = Parse(vm);
        if (count < min || count > max) return false;
        return step == 1 || count % step == 0;
    }

    private static int Number(string text, string vm) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(vm);

    private static DicomFormatException Bad(string vm) => new($"invalid value multiplicity '{vm}'");
}
