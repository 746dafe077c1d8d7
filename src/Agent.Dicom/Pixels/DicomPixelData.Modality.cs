namespace Agent.Dicom.Pixels;

/// <summary>
/// Modality LUT as a linear rescale (PS3.3 C.11.1): real value = stored value x Rescale Slope + Rescale Intercept.
/// Enhanced multi-frame objects carry it in the Pixel Value Transformation Sequence (0028,9145) of the per-frame or
/// shared functional groups (C.7.6.16.2.9); classic objects at the top level.
/// </summary>
public sealed partial class DicomPixelData
{
    /// <summary>Slope and intercept for a frame: per-frame group, then shared group, then top level, else (1, 0).</summary>
    public (double Slope, double Intercept) GetRescale(int index)
    {
        if (index < 0 || index >= NumberOfFrames)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"frame index must be 0-{NumberOfFrames - 1}");
        var perFrame = _dataset.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        if (perFrame is not null && index < perFrame.Items.Count && FromTransformation(perFrame.Items[index]) is { } own) return own;
        if (_dataset.GetFirstItem(DicomTags.SharedFunctionalGroupsSequence) is { } shared && FromTransformation(shared) is { } common) return common;
        return FromItem(_dataset) ?? (1.0, 0.0);
    }

    private static (double, double)? FromTransformation(DicomDataset group)
        => group.GetFirstItem(DicomTags.PixelValueTransformationSequence) is { } t ? FromItem(t) : null;

    private static (double, double)? FromItem(DicomDataset item)
    {
        var slope = item.GetNumber<double>(DicomTags.RescaleSlope);
        var intercept = item.GetNumber<double>(DicomTags.RescaleIntercept);
        if (slope is null && intercept is null) return null;
        // A slope of 0 would erase the image; files carrying it mean "not set".
        var s = slope is { } v && v != 0 && double.IsFinite(v) ? v : 1.0;
        var i = intercept is { } w && double.IsFinite(w) ? w : 0.0;
        return (s, i);
    }

    /// <summary>
    /// Real-world values of a frame (e.g. Hounsfield units for CT): through the Modality LUT Sequence (0028,3000) when
    /// the dataset has one, else the rescale of <see cref="GetRescale"/>.
    /// </summary>
    public float[] ReadFrameAsRealValues(int index)
    {
        if (!IsFloat && ModalityLut.From(_dataset, IsSigned) is { } lut)
        {
            var values = ReadFrameAsInt32(index);
            var mapped = new float[values.Length];
            for (int i = 0; i < mapped.Length; i++) mapped[i] = lut.Map(values[i]);
            return mapped;
        }
        var (slope, intercept) = GetRescale(index);
        if (BitsStored <= 24 && !IsFloat)
        {
            // Stored values up to 24 bits are exact in float: rescale in place without a double array.
            var values = ReadFrameAsFloat(index);
            if (slope == 1.0 && intercept == 0.0) return values;
            for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] * slope + intercept);
            return values;
        }
        var stored = ReadFrameAsDouble(index);
        var real = new float[stored.Length];
        for (int i = 0; i < real.Length; i++) real[i] = (float)(stored[i] * slope + intercept);
        return real;
    }
}
