using System.Globalization;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;
using static Agent.Results.Reports.ContentItem;

namespace Agent.Results.Reports;

/// <summary>
/// A TID 1500 Measurement Report (Comprehensive 3D SR): image library of the source series, one TID 1411 volumetric
/// group per segment (tracking id/UID, finding, finding site, referenced segment, source series, volume in cm3, mean and
/// standard deviation of HU, TID 4019 algorithm), and a short human-readable summary.
/// </summary>
public static class MeasurementReportWriter
{
    public static DicomFile Write(DicomDataset segmentation, SegmentationSource source, IReadOnlyList<SegmentDefinition> segments,
        IReadOnlyDictionary<int, SegmentStatistics> statistics, MeasurementReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        var segSop = segmentation.GetString(DicomTags.SOPInstanceUID) ?? throw new ArgumentException("the SEG has no SOP Instance UID", nameof(segmentation));
        var segSeries = segmentation.GetString(DicomTags.SeriesInstanceUID) ?? throw new ArgumentException("the SEG has no Series Instance UID", nameof(segmentation));
        var when = options.Created ?? DateTimeOffset.Now;
        var sop = options.SopInstanceUid ?? DicomUidGenerator.Create();

        var ds = new DicomDataset();
        Modules.CopyPatientAndStudy(source.Representative, ds);
        Modules.AddSopCommon(ds, DicomUids.Comprehensive3DSRStorage.Uid, sop, when);
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, options.Equipment.Manufacturer);
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, options.Equipment.ModelName);
        ds.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, options.Equipment.SoftwareVersion);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "SR");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, options.SeriesInstanceUid ?? DicomUidGenerator.Create());
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, Modules.Is(options.SeriesNumber));
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, Modules.Truncate(options.SeriesDescription, 64));
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence));
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, Modules.Is(options.InstanceNumber));
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(DicomTags.CompletionFlag, DicomVR.CS, "COMPLETE");
        ds.AddOrUpdate(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED");
        ds.AddOrUpdate(new DicomSequence(DicomTags.PerformedProcedureCodeSequence));
        ds.AddOrUpdate(DicomTags.CurrentRequestedProcedureEvidenceSequence, Evidence(source, segmentation, segSeries, segSop));

        // Document root (SR Document Content module).
        ds.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, "CONTAINER");
        ds.AddOrUpdate(Codes.ImagingMeasurementReport.ToSequence(DicomTags.ConceptNameCodeSequence));
        ds.AddOrUpdate(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE");
        var template = new DicomDataset();
        template.AddOrUpdate(DicomTags.MappingResource, DicomVR.CS, "DCMR");
        template.AddOrUpdate(DicomTags.TemplateIdentifier, DicomVR.CS, "1500");
        ds.AddOrUpdate(DicomTags.ContentTemplateSequence, template);

        var content = new List<DicomDataset>
        {
            CodeItem(HasConceptMod, Codes.LanguageOfContent, Codes.English),
            CodeItem(HasObsContext, Codes.ObserverType, Codes.Device),
            UidRef(HasObsContext, Codes.DeviceObserverUid, options.DeviceObserverUid),
            Text(HasObsContext, Codes.DeviceObserverName, options.Algorithm.Name),
            Text(HasObsContext, Codes.DeviceObserverManufacturer, options.Equipment.Manufacturer),
            Text(HasObsContext, Codes.DeviceObserverModelName, options.Equipment.ModelName),
            CodeItem(HasConceptMod, Codes.ProcedureReported, Codes.CtAbdomen),
            Container(Contains, Codes.ImageLibrary,
            [
                Container(Contains, Codes.ImageLibraryGroup, source.Instances
                    .Where(i => !string.IsNullOrEmpty(i.GetString(DicomTags.SOPInstanceUID)))
                    .Select(i => Image(Contains, null, i.GetString(DicomTags.SOPClassUID) ?? DicomUids.CTImageStorage.Uid, i.GetString(DicomTags.SOPInstanceUID)!))),
            ]),
            Container(Contains, Codes.ImagingMeasurements,
                segments.Select((s, index) => Group(s, index + 1, statistics.GetValueOrDefault(s.LabelValue), segSop, source, options))),
            Container(Contains, new Code("UMLS", "C0034375", "Qualitative Evaluations"),
                [Text(Contains, Codes.Summary, Summary(segments, statistics, options.Algorithm))]),
        };
        ds.AddOrUpdate(new DicomSequence(DicomTags.ContentSequence, content));
        return new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>The one-paragraph summary: what ran and each organ's volume, clearly flagged as an AI result to review.</summary>
    public static string Summary(IReadOnlyList<SegmentDefinition> segments, IReadOnlyDictionary<int, SegmentStatistics> statistics, AlgorithmIdentity algorithm)
    {
        var parts = segments.Select(s => statistics.TryGetValue(s.LabelValue, out var st) && st.VoxelCount > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Label} {st.VolumeCm3:F1} cm3 (mean {st.Mean:F0} HU)")
            : $"{s.Label} not found");
        return $"AI result for review ({algorithm.Name} {algorithm.Version}): " + string.Join("; ", parts) + ".";
    }

    private static DicomDataset Group(SegmentDefinition s, int segmentNumber, SegmentStatistics? st, string segSop, SegmentationSource source, MeasurementReportOptions options)
    {
        var children = new List<DicomDataset>
        {
            Text(HasObsContext, Codes.TrackingIdentifier, Modules.Truncate($"{s.Label} (segment {segmentNumber})", 64)),
            UidRef(HasObsContext, Codes.TrackingUniqueIdentifier, DicomUidGenerator.CreateFromName($"{segSop}/segment/{segmentNumber}")),
            CodeItem(Contains, Codes.Finding, s.Type),
            Text(HasConceptMod, Codes.AlgorithmName, options.Algorithm.Name),
            Text(HasConceptMod, Codes.AlgorithmVersion, options.Algorithm.Version),
            Image(Contains, Codes.ReferencedSegment, DicomUids.SegmentationStorage.Uid, segSop, segmentNumber),
            UidRef(Contains, Codes.SourceSeriesForSegmentation, source.SeriesInstanceUid),
            s.TypeModifier is { } lat
                ? CodeItem(HasConceptMod, Codes.FindingSite, s.AnatomicRegion ?? s.Type, CodeItem(HasConceptMod, Codes.Laterality, lat))
                : CodeItem(HasConceptMod, Codes.FindingSite, s.AnatomicRegion ?? s.Type),
        };
        if (st is { VoxelCount: > 0 })
        {
            children.Add(Num(Contains, Codes.Volume, st.VolumeCm3, Codes.CubicCentimeter));
            children.Add(Num(Contains, Codes.AttenuationCoefficient, st.Mean, Codes.HounsfieldUnit, CodeItem(HasConceptMod, Codes.Derivation, Codes.Mean)));
            children.Add(Num(Contains, Codes.AttenuationCoefficient, st.StandardDeviation, Codes.HounsfieldUnit, CodeItem(HasConceptMod, Codes.Derivation, Codes.StandardDeviation)));
        }
        var group = Container(Contains, Codes.MeasurementGroup, children);
        var template = new DicomDataset();
        template.AddOrUpdate(DicomTags.MappingResource, DicomVR.CS, "DCMR");
        template.AddOrUpdate(DicomTags.TemplateIdentifier, DicomVR.CS, "1411");
        group.AddOrUpdate(DicomTags.ContentTemplateSequence, template);
        return group;
    }

    /// <summary>Current Requested Procedure Evidence: the source series and the SEG, by study.</summary>
    private static DicomDataset Evidence(SegmentationSource source, DicomDataset segmentation, string segSeries, string segSop)
    {
        var sourceSeries = new DicomDataset();
        sourceSeries.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, source.SeriesInstanceUid);
        sourceSeries.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, source.Instances
            .Where(i => !string.IsNullOrEmpty(i.GetString(DicomTags.SOPInstanceUID)))
            .Select(i => Reference(i.GetString(DicomTags.SOPClassUID) ?? DicomUids.CTImageStorage.Uid, i.GetString(DicomTags.SOPInstanceUID)!))));
        var segSeriesItem = new DicomDataset();
        segSeriesItem.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, segSeries);
        segSeriesItem.AddOrUpdate(DicomTags.ReferencedSOPSequence, Reference(segmentation.GetString(DicomTags.SOPClassUID) ?? DicomUids.SegmentationStorage.Uid, segSop));
        var study = new DicomDataset();
        study.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSeriesSequence, [sourceSeries, segSeriesItem]));
        study.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, source.StudyInstanceUid);
        return study;
    }

    private static DicomDataset Reference(string sopClass, string sopInstance)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClass);
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstance);
        return item;
    }
}
