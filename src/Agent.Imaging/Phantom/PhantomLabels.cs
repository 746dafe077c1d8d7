namespace Agent.Imaging.Phantom;

/// <summary>Label values of the phantom and of models trained on it. Left and right are the patient's.</summary>
public static class PhantomLabels
{
    public const byte Background = 0;
    public const byte Liver = 1;
    public const byte Spleen = 2;
    public const byte LeftKidney = 3;
    public const byte RightKidney = 4;

    public const byte Max = 4;

    public static IReadOnlyDictionary<byte, string> Names { get; } = new Dictionary<byte, string>
    {
        [Background] = "background",
        [Liver] = "liver",
        [Spleen] = "spleen",
        [LeftKidney] = "kidney_left",
        [RightKidney] = "kidney_right",
    };
}
