using Agent.Dicom;

namespace Agent.Results.Coding;

/// <summary>A coded concept (PS3.3 Code Sequence Macro, Table 8.8-1): scheme designator, code value, code meaning.</summary>
public sealed record Code(string Scheme, string Value, string Meaning)
{
    /// <summary>The item of a code sequence. Values longer than 16 characters go in Long Code Value as the standard requires.</summary>
    public DicomDataset ToItem()
    {
        var item = new DicomDataset();
        if (Value.Length > 16) item.AddOrUpdate(DicomTags.LongCodeValue, DicomVR.UC, Value);
        else item.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, Value);
        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, Scheme);
        item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, Meaning);
        return item;
    }

    /// <summary>A one-item code sequence.</summary>
    public DicomSequence ToSequence(DicomTag tag) => new(tag, [ToItem()]);

    /// <summary>Reads the first item of a code sequence, or null when it is absent or incomplete.</summary>
    public static Code? FromSequence(DicomDataset dataset, DicomTag tag)
    {
        var item = dataset.GetFirstItem(tag);
        if (item is null) return null;
        var value = item.GetString(DicomTags.CodeValue) ?? item.GetString(DicomTags.LongCodeValue) ?? item.GetString(DicomTags.URNCodeValue);
        var scheme = item.GetString(DicomTags.CodingSchemeDesignator);
        if (value is null || scheme is null) return null;
        return new Code(scheme, value, item.GetString(DicomTags.CodeMeaning) ?? "");
    }

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}
