using Agent.Dicom;

namespace Agent.Imaging.Phantom;

/// <summary>
/// One generated scan: HU volume and ground-truth labels on the acquired grid (exactly the geometry a correct series
/// reader reconstructs from <see cref="Slices"/>), the CT slices in acquisition order, and what was drawn.
/// </summary>
public sealed class PhantomCase
{
    private readonly Anatomy _anatomy;
    private readonly Vec3 _bodyOffset;

    internal PhantomCase(Anatomy anatomy, Vec3 bodyOffset, PhantomScan scan, Volume image, LabelVolume labels, IReadOnlyList<DicomDataset> slices)
    {
        _anatomy = anatomy;
        _bodyOffset = bodyOffset;
        Scan = scan;
        Image = image;
        Labels = labels;
        Slices = slices;
    }

    public PhantomScan Scan { get; }

    public Volume Image { get; }

    public LabelVolume Labels { get; }

    /// <summary>CT Image datasets in acquisition order (head to feet); empty when DICOM creation was off.</summary>
    public IReadOnlyList<DicomDataset> Slices { get; }

    /// <summary>Centre of each organ's base shape in patient coordinates (LPS, mm).</summary>
    public IReadOnlyDictionary<byte, Vec3> OrganCentres => new Dictionary<byte, Vec3>
    {
        [PhantomLabels.Liver] = _anatomy.LiverCentre + _bodyOffset,
        [PhantomLabels.Spleen] = _anatomy.SpleenCentre + _bodyOffset,
        [PhantomLabels.LeftKidney] = _anatomy.LeftKidneyCentre + _bodyOffset,
        [PhantomLabels.RightKidney] = _anatomy.RightKidneyCentre + _bodyOffset,
    };

    /// <summary>Patient coordinates of the body's midline at the kidneys' level (x = 0 in the body frame).</summary>
    public Vec3 BodyCentre => _bodyOffset;

    /// <summary>The analytic ground truth at any patient point, independent of any grid.</summary>
    public byte LabelAt(Vec3 patientPoint) => _anatomy.Sample(patientPoint - _bodyOffset).Label;
}

/// <summary>The acquisition parameters actually used (drawn or given).</summary>
public sealed record PhantomScan(
    int Seed,
    PatientPosition Position,
    ContrastPhase Phase,
    double PixelSpacing,
    double SliceSpacing,
    int Matrix,
    int SliceCount,
    double NoiseHu,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string FrameOfReferenceUid);
