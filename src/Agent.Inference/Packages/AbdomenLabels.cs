namespace Agent.Inference.Packages;

/// <summary>
/// Coded labels of the abdominal organs the phantom and the bundled model know, with current SNOMED CT codes
/// (not the deprecated SRT ones) and laterality for the paired kidneys.
/// </summary>
public static class AbdomenLabels
{
    public static CodeSpec AnatomicalStructure { get; } = new("SCT", "91723000", "Anatomical Structure");

    public static IReadOnlyList<LabelSpec> All { get; } =
    [
        Organ(1, "liver", new("SCT", "10200004", "Liver"), null, [221, 130, 101]),
        Organ(2, "spleen", new("SCT", "78961009", "Spleen"), null, [157, 108, 162]),
        Organ(3, "kidney_left", new("SCT", "64033007", "Kidney"), new("SCT", "7771000", "Left"), [185, 102, 83]),
        Organ(4, "kidney_right", new("SCT", "64033007", "Kidney"), new("SCT", "24028007", "Right"), [212, 126, 151]),
    ];

    private static LabelSpec Organ(int value, string name, CodeSpec type, CodeSpec? laterality, int[] color) => new()
    {
        Value = value,
        Name = name,
        Category = AnatomicalStructure,
        Type = type,
        Laterality = laterality,
        Color = color,
        PostProcessing = new PostProcessingSpec { LargestComponent = true, FillHoles = true, ClosingMm = 2 },
    };
}
