// PLACEHOLDER until the generator lands: a handful of entries so the rest of the library compiles.
namespace Agent.Dicom;

public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry[] GeneratedEntries =
    [
        new(0x00020010, 0xFFFFFFFF, [DicomVR.UI], "1", "TransferSyntaxUID", "Transfer Syntax UID", false),
        new(0x00080005, 0xFFFFFFFF, [DicomVR.CS], "1-n", "SpecificCharacterSet", "Specific Character Set", false),
        new(0x00100010, 0xFFFFFFFF, [DicomVR.PN], "1", "PatientName", "Patient's Name", false),
        new(0x7FE00010, 0xFFFFFFFF, [DicomVR.OB, DicomVR.OW], "1", "PixelData", "Pixel Data", false),
    ];
}
