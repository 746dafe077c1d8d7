using Agent.Dicom;
using Agent.Results.Coding;
using Agent.Results.Common;

namespace Agent.Results.Reports;

/// <summary>Builders for SR content items (PS3.3 C.17.3): one dataset per item, value per value type.</summary>
internal static class ContentItem
{
    public const string Contains = "CONTAINS";
    public const string HasObsContext = "HAS OBS CONTEXT";
    public const string HasConceptMod = "HAS CONCEPT MOD";

    private static DicomDataset Item(string relationship, string valueType, Code concept)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.RelationshipType, DicomVR.CS, relationship);
        item.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, valueType);
        item.AddOrUpdate(concept.ToSequence(DicomTags.ConceptNameCodeSequence));
        return item;
    }

    public static DicomDataset Container(string relationship, Code concept, IEnumerable<DicomDataset> children)
    {
        var item = Item(relationship, "CONTAINER", concept);
        item.AddOrUpdate(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE");
        item.AddOrUpdate(new DicomSequence(DicomTags.ContentSequence, children));
        return item;
    }

    public static DicomDataset CodeItem(string relationship, Code concept, Code value, params DicomDataset[] children)
    {
        var item = Item(relationship, "CODE", concept);
        item.AddOrUpdate(value.ToSequence(DicomTags.ConceptCodeSequence));
        if (children.Length > 0) item.AddOrUpdate(new DicomSequence(DicomTags.ContentSequence, children));
        return item;
    }

    public static DicomDataset Text(string relationship, Code concept, string text)
    {
        var item = Item(relationship, "TEXT", concept);
        item.AddOrUpdate(DicomTags.TextValue, DicomVR.UT, text);
        return item;
    }

    public static DicomDataset UidRef(string relationship, Code concept, string uid)
    {
        var item = Item(relationship, "UIDREF", concept);
        item.AddOrUpdate(DicomTags.UID, DicomVR.UI, uid);
        return item;
    }

    public static DicomDataset Num(string relationship, Code concept, double value, Code unit, params DicomDataset[] children)
    {
        var item = Item(relationship, "NUM", concept);
        var measured = new DicomDataset();
        measured.AddOrUpdate(unit.ToSequence(DicomTags.MeasurementUnitsCodeSequence));
        measured.AddOrUpdate(DicomTags.NumericValue, DicomVR.DS, Modules.Ds(Math.Round(value, 4)));
        item.AddOrUpdate(DicomTags.MeasuredValueSequence, measured);
        if (children.Length > 0) item.AddOrUpdate(new DicomSequence(DicomTags.ContentSequence, children));
        return item;
    }

    public static DicomDataset Image(string relationship, Code? concept, string sopClassUid, string sopInstanceUid, int? segmentNumber = null)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.RelationshipType, DicomVR.CS, relationship);
        item.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, "IMAGE");
        if (concept is not null) item.AddOrUpdate(concept.ToSequence(DicomTags.ConceptNameCodeSequence));
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClassUid);
        reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        if (segmentNumber is { } n) reference.AddOrUpdate<ushort>(DicomTags.ReferencedSegmentNumber, DicomVR.US, checked((ushort)n));
        item.AddOrUpdate(DicomTags.ReferencedSOPSequence, reference);
        return item;
    }
}
