namespace Agent.Dicom.IO;

/// <summary>
/// Receives what <see cref="DicomReader"/> parses, in stream order. One parser feeds many consumers: the dataset
/// builder, a dumper, a validator. Lengths are -1 when undefined.
/// </summary>
public interface IDicomReaderObserver
{
    void OnElement(DicomTag tag, DicomVR vr, DicomBuffer value);

    void OnBeginSequence(DicomTag tag, DicomVR vr, long length);

    void OnBeginItem(long length);

    void OnEndItem();

    void OnEndSequence();

    /// <summary>Encapsulated pixel data starts; the first <see cref="OnFragment"/> is the basic offset table item.</summary>
    void OnBeginFragments(DicomTag tag, DicomVR vr);

    void OnFragment(DicomBuffer fragment);

    void OnEndFragments();
}
