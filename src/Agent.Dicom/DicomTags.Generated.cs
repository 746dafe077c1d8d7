// PLACEHOLDER until the generator lands.
namespace Agent.Dicom;

public static partial class DicomTags
{
    public static readonly DicomTag TransferSyntaxUID = new(0x00020010);
    public static readonly DicomTag SpecificCharacterSet = new(0x00080005);
    public static readonly DicomTag PatientName = new(0x00100010);
    public static readonly DicomTag PixelData = new(0x7FE00010);
}
