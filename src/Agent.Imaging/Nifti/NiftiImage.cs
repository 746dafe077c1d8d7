namespace Agent.Imaging.Nifti;

/// <summary>
/// A NIfTI-1 image as read: geometry converted to DICOM patient space (LPS), voxel values with scl_slope/scl_inter
/// applied, and which transform the geometry came from.
/// </summary>
public sealed class NiftiImage(ImageGeometry geometry, float[] values, NiftiDataType dataType, NiftiTransformSource transformSource)
{
    public ImageGeometry Geometry { get; } = geometry;
    public float[] Values { get; } = values;
    public NiftiDataType DataType { get; } = dataType;
    public NiftiTransformSource TransformSource { get; } = transformSource;

    public Volume ToVolume() => new(Geometry, Values);

    /// <summary>Rounds values to labels 0..255; anything outside is an error rather than silently wrapped.</summary>
    public LabelVolume ToLabels()
    {
        var labels = new byte[Values.Length];
        for (long i = 0; i < Values.LongLength; i++)
        {
            var v = MathF.Round(Values[i]);
            if (!(v >= 0 && v <= 255)) throw new InvalidDataException($"voxel value {Values[i]} is not a label 0..255");
            labels[i] = (byte)v;
        }
        return new LabelVolume(Geometry, labels);
    }
}

public enum NiftiTransformSource
{
    /// <summary>sform_code &gt; 0: the affine srow_x/y/z.</summary>
    SForm,
    /// <summary>qform_code &gt; 0: the quaternion, offsets and pixdim (with qfac).</summary>
    QForm,
    /// <summary>Neither: pixdim scaling only (ANALYZE 7.5 compatibility), origin 0.</summary>
    PixDim,
}
