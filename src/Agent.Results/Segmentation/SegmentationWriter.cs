using Agent.Dicom;
using Agent.Imaging;
using Agent.Results.Coding;
using Agent.Results.Common;

namespace Agent.Results.Segmentation;

/// <summary>
/// Writes a BINARY DICOM Segmentation (PS3.3 A.51, C.8.20) from a label map on the source series' grid: one frame per
/// (segment, slice) holding any voxel, frames ordered by segment then slice, bits packed continuously (PS3.5 8.1.1).
/// </summary>
public static class SegmentationWriter
{
    /// <summary>Above this the pixel data could not be one value (32-bit length) in any transfer syntax.</summary>
    private const long MaxPixelBytes = 0xFFFF_FFF0L;

    public static DicomFile Write(LabelVolume labels, SegmentationSource source, IReadOnlyList<SegmentDefinition> segments, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        var geometry = source.Geometry;
        if (labels.Geometry.Size != geometry.Size)
            throw new ArgumentException($"the label map is {labels.Geometry.Size} voxels but the source grid is {geometry.Size}", nameof(labels));
        if (segments.Count == 0) throw new ArgumentException("a segmentation needs at least one segment", nameof(segments));
        if (segments.Select(s => s.LabelValue).Distinct().Count() != segments.Count)
            throw new ArgumentException("segment label values must be distinct", nameof(segments));
        foreach (var s in segments)
            if (s.LabelValue is < 1 or > 255) throw new ArgumentException($"segment '{s.Label}' has label value {s.LabelValue}; 1..255 expected", nameof(segments));

        var frames = SegmentationFrames.Find(labels, segments);
        // A SEG needs at least one frame; an all-empty result is reported by the SR, not encoded as an empty SEG.
        if (frames.Count == 0) throw new ArgumentException("no segment has any voxel in the label map; there is nothing to encode", nameof(labels));
        long pixelBits = (long)frames.Count * geometry.Size.X * geometry.Size.Y;
        if ((pixelBits + 7) / 8 > MaxPixelBytes) throw new ArgumentException($"{frames.Count} frames exceed the 4 GB pixel data limit", nameof(labels));

        var when = options.Created ?? DateTimeOffset.Now;
        var sop = options.SopInstanceUid ?? DicomUidGenerator.Create();
        var ds = new DicomDataset();
        Modules.CopyPatientAndStudy(source.Representative, ds);
        Modules.AddSopCommon(ds, DicomUids.SegmentationStorage.Uid, sop, when);
        Modules.AddEquipment(ds, options.Equipment);
        Modules.AddContributingEquipment(ds, options.Equipment, options.Algorithm, when);
        AddSeriesAndImage(ds, source, options, when, frames.Count);
        AddPixelModule(ds, geometry);
        ds.AddOrUpdate(new DicomSequence(DicomTags.SegmentSequence, segments.Select((s, i) => SegmentItem(s, i + 1, options.Algorithm))));
        AddDimensions(ds);
        AddFunctionalGroups(ds, source, frames);
        AddReferencedSeries(ds, source);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, SegmentationFrames.Pack(labels, frames, segments));
        return new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    private static void AddSeriesAndImage(DicomDataset ds, SegmentationSource source, SegmentationOptions options, DateTimeOffset when, int frameCount)
    {
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "PRIMARY");
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "SEG");
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, Modules.Truncate(options.SeriesDescription, 64));
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, options.SeriesInstanceUid ?? DicomUidGenerator.Create());
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, Modules.Is(options.SeriesNumber));
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, Modules.Is(options.InstanceNumber));
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, source.FrameOfReferenceUid);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO,
            source.Representative.GetString(DicomTags.PositionReferenceIndicator) ?? "");
        ds.AddOrUpdate(DicomTags.ContentLabel, DicomVR.CS, Modules.CodeString(options.ContentLabel));
        ds.AddOrUpdate(DicomTags.ContentDescription, DicomVR.LO, Modules.Truncate(options.ContentDescription, 64));
        ds.AddOrUpdate(DicomTags.ContentCreatorName, DicomVR.PN, options.ContentCreatorName);
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, Modules.Is(frameCount));
        ds.AddOrUpdate(DicomTags.SegmentationType, DicomVR.CS, "BINARY");
        ds.AddOrUpdate(DicomTags.SegmentsOverlap, DicomVR.CS, "NO");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "00");
    }

    private static void AddPixelModule(DicomDataset ds, ImageGeometry geometry)
    {
        ds.AddOrUpdate<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, checked((ushort)geometry.Size.Y));
        ds.AddOrUpdate<ushort>(DicomTags.Columns, DicomVR.US, checked((ushort)geometry.Size.X));
        ds.AddOrUpdate<ushort>(DicomTags.BitsAllocated, DicomVR.US, 1);
        ds.AddOrUpdate<ushort>(DicomTags.BitsStored, DicomVR.US, 1);
        ds.AddOrUpdate<ushort>(DicomTags.HighBit, DicomVR.US, 0);
        ds.AddOrUpdate<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0);
    }

    private static DicomDataset SegmentItem(SegmentDefinition s, int number, AlgorithmIdentity algorithm)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(Code(s.AnatomicRegion ?? s.Type, DicomTags.AnatomicRegionSequence, s.AnatomicRegion is null ? s.TypeModifier : null, DicomTags.AnatomicRegionModifierSequence));
        item.AddOrUpdate(s.Category.ToSequence(DicomTags.SegmentedPropertyCategoryCodeSequence));
        item.AddOrUpdate<ushort>(DicomTags.SegmentNumber, DicomVR.US, checked((ushort)number));
        item.AddOrUpdate(DicomTags.SegmentLabel, DicomVR.LO, Modules.Truncate(s.Label, 64));
        item.AddOrUpdate(DicomTags.SegmentAlgorithmType, DicomVR.CS, "AUTOMATIC");
        var identification = new DicomDataset();
        identification.AddOrUpdate(algorithm.Family.ToSequence(DicomTags.AlgorithmFamilyCodeSequence));
        identification.AddOrUpdate(DicomTags.AlgorithmVersion, DicomVR.LO, Modules.Truncate(algorithm.Version, 64));
        identification.AddOrUpdate(DicomTags.AlgorithmName, DicomVR.LO, Modules.Truncate(algorithm.Name, 64));
        item.AddOrUpdate(DicomTags.SegmentationAlgorithmIdentificationSequence, identification);
        item.AddOrUpdate(DicomTags.SegmentAlgorithmName, DicomVR.LO, Modules.Truncate(algorithm.Name, 64));
        item.AddOrUpdate<ushort>(DicomTags.RecommendedDisplayCIELabValue, DicomVR.US, CieLab.FromRgb(s.Rgb[0], s.Rgb[1], s.Rgb[2]));
        item.AddOrUpdate(Code(s.Type, DicomTags.SegmentedPropertyTypeCodeSequence, s.TypeModifier, DicomTags.SegmentedPropertyTypeModifierCodeSequence));
        return item;
    }

    /// <summary>A one-item code sequence whose item optionally carries a modifier sequence.</summary>
    private static DicomSequence Code(Code code, DicomTag tag, Code? modifier, DicomTag modifierTag)
    {
        var item = code.ToItem();
        if (modifier is not null) item.AddOrUpdate(modifier.ToSequence(modifierTag));
        return new DicomSequence(tag, [item]);
    }

    private static void AddDimensions(DicomDataset ds)
    {
        var dimensionUid = DicomUidGenerator.Create();
        var organization = new DicomDataset();
        organization.AddOrUpdate(DicomTags.DimensionOrganizationUID, DicomVR.UI, dimensionUid);
        ds.AddOrUpdate(DicomTags.DimensionOrganizationSequence, organization);
        ds.AddOrUpdate(DicomTags.DimensionOrganizationType, DicomVR.CS, "3D");
        ds.AddOrUpdate(new DicomSequence(DicomTags.DimensionIndexSequence,
        [
            DimensionIndex(dimensionUid, DicomTags.ReferencedSegmentNumber, DicomTags.SegmentIdentificationSequence, "Segment Number"),
            DimensionIndex(dimensionUid, DicomTags.ImagePositionPatient, DicomTags.PlanePositionSequence, "Image Position Patient"),
        ]));
    }

    private static DicomDataset DimensionIndex(string uid, DicomTag pointer, DicomTag group, string label)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.DimensionOrganizationUID, DicomVR.UI, uid);
        item.AddOrUpdate<ushort>(DicomTags.DimensionIndexPointer, DicomVR.AT, pointer.Group, pointer.Element);
        item.AddOrUpdate<ushort>(DicomTags.FunctionalGroupPointer, DicomVR.AT, group.Group, group.Element);
        item.AddOrUpdate(DicomTags.DimensionDescriptionLabel, DicomVR.LO, label);
        return item;
    }

    private static void AddFunctionalGroups(DicomDataset ds, SegmentationSource source, IReadOnlyList<SegmentationFrame> frames)
    {
        var g = source.Geometry;
        var d = g.Direction;
        var shared = new DicomDataset();
        var measures = new DicomDataset();
        measures.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, Modules.Ds(g.Spacing.Z));
        measures.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, Modules.Ds(g.Spacing.Y), Modules.Ds(g.Spacing.X));
        measures.AddOrUpdate(DicomTags.SpacingBetweenSlices, DicomVR.DS, Modules.Ds(g.Spacing.Z));
        shared.AddOrUpdate(DicomTags.PixelMeasuresSequence, measures);
        var orientation = new DicomDataset();
        orientation.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS,
            Modules.Ds(d[0]), Modules.Ds(d[3]), Modules.Ds(d[6]), Modules.Ds(d[1]), Modules.Ds(d[4]), Modules.Ds(d[7]));
        shared.AddOrUpdate(DicomTags.PlaneOrientationSequence, orientation);
        ds.AddOrUpdate(DicomTags.SharedFunctionalGroupsSequence, shared);

        var perFrame = new DicomSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        foreach (var frame in frames)
        {
            var item = new DicomDataset();
            var slice = source.Slices[frame.Slice];
            if (slice is not null) item.AddOrUpdate(DicomTags.DerivationImageSequence, Derivation(source, slice));
            var content = new DicomDataset();
            content.AddOrUpdate<uint>(DicomTags.DimensionIndexValues, DicomVR.UL, (uint)frame.SegmentNumber, (uint)(frame.Slice + 1));
            item.AddOrUpdate(DicomTags.FrameContentSequence, content);
            var position = new DicomDataset();
            var p = g.IndexToPatient(0, 0, frame.Slice);
            position.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, Modules.Ds(p.X), Modules.Ds(p.Y), Modules.Ds(p.Z));
            item.AddOrUpdate(DicomTags.PlanePositionSequence, position);
            var identification = new DicomDataset();
            identification.AddOrUpdate<ushort>(DicomTags.ReferencedSegmentNumber, DicomVR.US, (ushort)frame.SegmentNumber);
            item.AddOrUpdate(DicomTags.SegmentIdentificationSequence, identification);
            perFrame.Add(item);
        }
        ds.AddOrUpdate(perFrame);
    }

    private static DicomDataset Derivation(SegmentationSource source, Imaging.Series.SliceSource slice)
    {
        var reference = new DicomDataset();
        reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, source.SopClassOf(slice.SopInstanceUid));
        reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, slice.SopInstanceUid);
        if (source.Instance(slice.SopInstanceUid)?.GetNumber<int>(DicomTags.NumberOfFrames) is > 1)
            reference.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, Modules.Is(slice.FrameNumber));
        reference.AddOrUpdate(Codes.SourceImageForProcessing.ToSequence(DicomTags.PurposeOfReferenceCodeSequence));
        var derivation = new DicomDataset();
        derivation.AddOrUpdate(Codes.Segmentation.ToSequence(DicomTags.DerivationCodeSequence));
        derivation.AddOrUpdate(DicomTags.SourceImageSequence, reference);
        return derivation;
    }

    /// <summary>Common Instance Reference: every source instance of the series.</summary>
    private static void AddReferencedSeries(DicomDataset ds, SegmentationSource source)
    {
        var series = new DicomDataset();
        var instances = new DicomSequence(DicomTags.ReferencedInstanceSequence);
        foreach (var inst in source.Instances)
        {
            var uid = inst.GetString(DicomTags.SOPInstanceUID);
            if (string.IsNullOrEmpty(uid)) continue;
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, inst.GetString(DicomTags.SOPClassUID) ?? DicomUids.CTImageStorage.Uid);
            item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, uid);
            instances.Add(item);
        }
        series.AddOrUpdate(instances);
        series.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid);
        ds.AddOrUpdate(DicomTags.ReferencedSeriesSequence, series);
    }
}
