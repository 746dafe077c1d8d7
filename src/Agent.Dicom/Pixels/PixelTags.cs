namespace Agent.Dicom.Pixels;

/// <summary>The tags this folder needs, kept local until the generated DicomTags constants are merged.</summary>
internal static class PixelTags
{
    public static readonly DicomTag SamplesPerPixel = new(0x00280002);
    public static readonly DicomTag PhotometricInterpretation = new(0x00280004);
    public static readonly DicomTag PlanarConfiguration = new(0x00280006);
    public static readonly DicomTag NumberOfFrames = new(0x00280008);
    public static readonly DicomTag Rows = new(0x00280010);
    public static readonly DicomTag Columns = new(0x00280011);
    public static readonly DicomTag BitsAllocated = new(0x00280100);
    public static readonly DicomTag BitsStored = new(0x00280101);
    public static readonly DicomTag HighBit = new(0x00280102);
    public static readonly DicomTag PixelRepresentation = new(0x00280103);
    public static readonly DicomTag RescaleIntercept = new(0x00281052);
    public static readonly DicomTag RescaleSlope = new(0x00281053);
    public static readonly DicomTag PixelValueTransformationSequence = new(0x00289145);
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x52009229);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x52009230);
    public static readonly DicomTag ExtendedOffsetTable = new(0x7FE00001);
    public static readonly DicomTag ExtendedOffsetTableLengths = new(0x7FE00002);
    public static readonly DicomTag PixelData = new(0x7FE00010);
}
