namespace Agent.Dicom.IO;

/// <summary>Choosing the VR of elements encoded without one (implicit VR), from the dictionary and parse context.</summary>
public sealed partial class DicomReader
{
    private void RememberCreator(DicomTag tag, DicomBuffer value, int depth)
    {
        if (!value.IsLoaded || value.Length > 64) return;
        if (_creators.Length <= depth) Array.Resize(ref _creators, depth + 8);
        var map = _creators[depth] ??= [];
        map[tag.Value] = DicomText.DecodeAscii(value.Span).Trim(' ', '\0');
    }

    private void ForgetCreators(int depth)
    {
        if (depth < _creators.Length) _creators[depth]?.Clear();
    }

    /// <summary>The VR of an element without one, using what this parse has seen: private creators, Pixel Representation.</summary>
    private DicomVR ImplicitVRInContext(DicomTag tag, int depth)
    {
        if (tag.IsPrivate && !tag.IsPrivateCreator && depth < _creators.Length && _creators[depth] is { Count: > 0 } map
            && map.TryGetValue(tag.PrivateCreatorSlot.Value, out var creator)
            && DicomDictionary.TryLookupPrivate(creator, tag, out var privateEntry))
        {
            return Resolve(privateEntry.VRs);
        }
        return ImplicitVR(tag, _pixelRepresentation);
    }

    private static DicomVR Resolve(DicomVR[] vrs, int pixelRepresentation = 0)
    {
        if (vrs.Length == 0) return DicomVR.UN;
        if (vrs.Length == 1) return vrs[0];
        bool ow = false, ss = false, us = false;
        foreach (var v in vrs)
        {
            ow |= v == DicomVR.OW;
            ss |= v == DicomVR.SS;
            us |= v == DicomVR.US;
        }
        // PS3.5 A.1: pixel data and other "OB or OW" values are OW in implicit VR; "US or SS" follows Pixel Representation.
        if (ow) return DicomVR.OW;
        if (us && ss) return pixelRepresentation == 1 ? DicomVR.SS : DicomVR.US;
        return vrs[0];
    }

    /// <summary>
    /// The VR for a public element encoded without one: the dictionary's; OW for "OB or OW"; SS for "US or SS" when
    /// <paramref name="pixelRepresentation"/> is 1, else US; UN when unknown.
    /// </summary>
    public static DicomVR ImplicitVR(DicomTag tag, int pixelRepresentation = 0)
    {
        if (tag.IsGroupLength) return DicomVR.UL;
        if (tag.IsPrivateCreator) return DicomVR.LO;
        if (tag.IsPrivate || !DicomDictionary.TryLookup(tag, out var entry)) return DicomVR.UN;
        return Resolve(entry.VRs, pixelRepresentation);
    }
}
