using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Scp;

/// <summary>A request that breaks a rule: the result to answer with and the elements it is about (outermost first).</summary>
internal readonly record struct RuleViolation(NServiceResult Result, DicomTag[] OffendingElements);

/// <summary>The attribute checks the N-CREATE/N-SET services share, with the PS3.7 C.5 statuses they answer.</summary>
internal static class NRules
{
    /// <summary>
    /// Type 1: present (else 0120 Missing Attribute) with a value (else 0121 Missing Attribute Value); a sequence needs
    /// an item. <paramref name="path"/> names the enclosing sequences for the Offending Element list.
    /// </summary>
    public static RuleViolation? Required(DicomDataset dataset, DicomTag tag, params DicomTag[] path)
    {
        if (!dataset.TryGetItem(tag, out var item))
            return new RuleViolation(new NServiceResult(DimseStatus.MissingAttribute, $"{DicomDictionary.Keyword(tag)} missing"), [.. path, tag]);
        var empty = item is DicomSequence sequence ? sequence.Items.Count == 0 : string.IsNullOrEmpty(dataset.GetString(tag));
        return empty
            ? new RuleViolation(new NServiceResult(DimseStatus.MissingAttributeValue, $"{DicomDictionary.Keyword(tag)} has no value"), [.. path, tag])
            : null;
    }

    /// <summary>0106 Invalid Attribute Value.</summary>
    public static RuleViolation Invalid(DicomTag tag, string why, params DicomTag[] path)
        => new(new NServiceResult(DimseStatus.InvalidAttributeValue, why), [.. path, tag]);
}
