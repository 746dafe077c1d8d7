using Agent.Dicom;

namespace Agent.Imaging;

/// <summary>
/// The tags this project reads and writes, as literals until the generated <c>DicomTags</c> constants are merged;
/// kept internal so they never clash with the generated public ones.
/// </summary>
internal static class Tags
{
    // SOP common, patient, study, series, equipment
    public static readonly DicomTag SpecificCharacterSet = new(0x00080005);
    public static readonly DicomTag ImageType = new(0x00080008);
    public static readonly DicomTag SOPClassUID = new(0x00080016);
    public static readonly DicomTag SOPInstanceUID = new(0x00080018);
    public static readonly DicomTag StudyDate = new(0x00080020);
    public static readonly DicomTag SeriesDate = new(0x00080021);
    public static readonly DicomTag ContentDate = new(0x00080023);
    public static readonly DicomTag StudyTime = new(0x00080030);
    public static readonly DicomTag SeriesTime = new(0x00080031);
    public static readonly DicomTag ContentTime = new(0x00080033);
    public static readonly DicomTag AccessionNumber = new(0x00080050);
    public static readonly DicomTag Modality = new(0x00080060);
    public static readonly DicomTag Manufacturer = new(0x00080070);
    public static readonly DicomTag ReferringPhysicianName = new(0x00080090);
    public static readonly DicomTag StudyDescription = new(0x00081030);
    public static readonly DicomTag SeriesDescription = new(0x0008103E);
    public static readonly DicomTag ManufacturerModelName = new(0x00081090);
    public static readonly DicomTag PatientName = new(0x00100010);
    public static readonly DicomTag PatientID = new(0x00100020);
    public static readonly DicomTag PatientBirthDate = new(0x00100030);
    public static readonly DicomTag PatientSex = new(0x00100040);
    public static readonly DicomTag ContrastBolusAgent = new(0x00180010);
    public static readonly DicomTag BodyPartExamined = new(0x00180015);
    public static readonly DicomTag ScanOptions = new(0x00180022);
    public static readonly DicomTag SliceThickness = new(0x00180050);
    public static readonly DicomTag KVP = new(0x00180060);
    public static readonly DicomTag SpacingBetweenSlices = new(0x00180088);
    public static readonly DicomTag DataCollectionDiameter = new(0x00180090);
    public static readonly DicomTag SoftwareVersions = new(0x00181020);
    public static readonly DicomTag ReconstructionDiameter = new(0x00181100);
    public static readonly DicomTag GantryDetectorTilt = new(0x00181120);
    public static readonly DicomTag TableHeight = new(0x00181130);
    public static readonly DicomTag ExposureTime = new(0x00181150);
    public static readonly DicomTag XRayTubeCurrent = new(0x00181151);
    public static readonly DicomTag ConvolutionKernel = new(0x00181210);
    public static readonly DicomTag PatientPosition = new(0x00185100);
    public static readonly DicomTag StudyInstanceUID = new(0x0020000D);
    public static readonly DicomTag SeriesInstanceUID = new(0x0020000E);
    public static readonly DicomTag StudyID = new(0x00200010);
    public static readonly DicomTag SeriesNumber = new(0x00200011);
    public static readonly DicomTag AcquisitionNumber = new(0x00200012);
    public static readonly DicomTag InstanceNumber = new(0x00200013);
    public static readonly DicomTag PatientOrientation = new(0x00200020);
    public static readonly DicomTag ImagePositionPatient = new(0x00200032);
    public static readonly DicomTag ImageOrientationPatient = new(0x00200037);
    public static readonly DicomTag FrameOfReferenceUID = new(0x00200052);
    public static readonly DicomTag PositionReferenceIndicator = new(0x00201040);
    public static readonly DicomTag SliceLocation = new(0x00201041);

    // Image pixel and CT image
    public static readonly DicomTag SamplesPerPixel = new(0x00280002);
    public static readonly DicomTag PhotometricInterpretation = new(0x00280004);
    public static readonly DicomTag NumberOfFrames = new(0x00280008);
    public static readonly DicomTag Rows = new(0x00280010);
    public static readonly DicomTag Columns = new(0x00280011);
    public static readonly DicomTag PixelSpacing = new(0x00280030);
    public static readonly DicomTag BitsAllocated = new(0x00280100);
    public static readonly DicomTag BitsStored = new(0x00280101);
    public static readonly DicomTag HighBit = new(0x00280102);
    public static readonly DicomTag PixelRepresentation = new(0x00280103);
    public static readonly DicomTag WindowCenter = new(0x00281050);
    public static readonly DicomTag WindowWidth = new(0x00281051);
    public static readonly DicomTag RescaleIntercept = new(0x00281052);
    public static readonly DicomTag RescaleSlope = new(0x00281053);
    public static readonly DicomTag RescaleType = new(0x00281054);
    public static readonly DicomTag ModalityLUTSequence = new(0x00283000);
    public static readonly DicomTag PixelData = new(0x7FE00010);

    // Enhanced multi-frame functional groups (PS3.3 C.7.6.16)
    public static readonly DicomTag PlanePositionSequence = new(0x00209113);
    public static readonly DicomTag PlaneOrientationSequence = new(0x00209116);
    public static readonly DicomTag FrameContentSequence = new(0x00209111);
    public static readonly DicomTag PixelMeasuresSequence = new(0x00289110);
    public static readonly DicomTag PixelValueTransformationSequence = new(0x00289145);
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x52009229);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x52009230);
}
