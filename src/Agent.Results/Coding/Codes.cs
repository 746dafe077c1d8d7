namespace Agent.Results.Coding;

/// <summary>The fixed codes our result objects use (PS3.16 DCM, SNOMED CT and UCUM).</summary>
public static class Codes
{
    // Derivation and references (CID 7203, CID 7202, CID 7005).
    public static Code Segmentation { get; } = new("DCM", "113076", "Segmentation");
    public static Code SourceImageForProcessing { get; } = new("DCM", "121322", "Source image for image processing operation");

    /// <summary>CID 7005: the equipment that processed the images (IHE AI Results names the algorithm here).</summary>
    public static Code ProcessingEquipment { get; } = new("DCM", "109102", "Processing Equipment");

    /// <summary>CID 7162 Algorithm Family.</summary>
    public static Code ArtificialIntelligence { get; } = new("DCM", "123110", "Artificial Intelligence");

    // TID 1500 / 1411 / 4019.
    public static Code ImagingMeasurementReport { get; } = new("DCM", "126000", "Imaging Measurement Report");
    public static Code LanguageOfContent { get; } = new("DCM", "121049", "Language of Content Item and Descendants");
    public static Code English { get; } = new("RFC5646", "en-US", "English (United States)");
    public static Code ObserverType { get; } = new("DCM", "121005", "Observer Type");
    public static Code Device { get; } = new("DCM", "121007", "Device");
    public static Code DeviceObserverUid { get; } = new("DCM", "121012", "Device Observer UID");
    public static Code DeviceObserverName { get; } = new("DCM", "121013", "Device Observer Name");
    public static Code DeviceObserverManufacturer { get; } = new("DCM", "121014", "Device Observer Manufacturer");
    public static Code DeviceObserverModelName { get; } = new("DCM", "121015", "Device Observer Model Name");
    public static Code ProcedureReported { get; } = new("DCM", "121058", "Procedure reported");
    public static Code CtAbdomen { get; } = new("LN", "24627-2", "CT Chest and Abdomen");
    public static Code ImageLibrary { get; } = new("DCM", "111028", "Image Library");
    public static Code ImageLibraryGroup { get; } = new("DCM", "126200", "Image Library Group");
    public static Code ImagingMeasurements { get; } = new("DCM", "126010", "Imaging Measurements");
    public static Code MeasurementGroup { get; } = new("DCM", "125007", "Measurement Group");
    public static Code TrackingIdentifier { get; } = new("DCM", "112039", "Tracking Identifier");
    public static Code TrackingUniqueIdentifier { get; } = new("DCM", "112040", "Tracking Unique Identifier");
    public static Code Finding { get; } = new("DCM", "121071", "Finding");
    public static Code FindingSite { get; } = new("SCT", "363698007", "Finding Site");
    public static Code Laterality { get; } = new("SCT", "272741003", "Laterality");
    public static Code ReferencedSegment { get; } = new("DCM", "121191", "Referenced Segment");
    public static Code SourceSeriesForSegmentation { get; } = new("DCM", "121232", "Source series for segmentation");
    public static Code Volume { get; } = new("SCT", "118565006", "Volume");
    public static Code Mean { get; } = new("SCT", "373098007", "Mean");
    public static Code StandardDeviation { get; } = new("SCT", "386136009", "Standard Deviation");
    public static Code AttenuationCoefficient { get; } = new("DCM", "112031", "Attenuation Coefficient");
    public static Code AlgorithmName { get; } = new("DCM", "111001", "Algorithm Name");
    public static Code AlgorithmVersion { get; } = new("DCM", "111003", "Algorithm Version");
    public static Code CubicCentimeter { get; } = new("UCUM", "cm3", "cubic centimeter");
    public static Code HounsfieldUnit { get; } = new("UCUM", "[hnsf'U]", "Hounsfield unit");
    public static Code Summary { get; } = new("DCM", "121111", "Summary");
    public static Code Derivation { get; } = new("DCM", "121401", "Derivation");
}
