namespace Agent.Dicom.Network.Dimse;

/// <summary>Query/Retrieve Level (0008,0052).</summary>
public enum QueryRetrieveLevel
{
    Patient,
    Study,
    Series,
    Image,
}

internal static class QueryRetrieveLevelText
{
    public static string ToCode(this QueryRetrieveLevel level) => level switch
    {
        QueryRetrieveLevel.Patient => "PATIENT",
        QueryRetrieveLevel.Study => "STUDY",
        QueryRetrieveLevel.Series => "SERIES",
        _ => "IMAGE",
    };
}
