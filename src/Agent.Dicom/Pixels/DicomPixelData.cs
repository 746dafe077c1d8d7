namespace Agent.Dicom.Pixels;

/// <summary>
/// The Image Pixel module of a dataset (PS3.3 C.7.6.3) and access to its frames: native data is sliced, RLE Lossless
/// is decoded, other compressed transfer syntaxes are refused with a clear message rather than misread.
/// </summary>
public sealed partial class DicomPixelData
{
    private readonly DicomDataset _dataset;
    private readonly DicomItem _pixelItem;
    private EncapsulatedFrames? _encapsulated;
    private ReadOnlyMemory<byte>? _native;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, DicomItem pixelItem)
    {
        _dataset = dataset;
        _pixelItem = pixelItem;
        TransferSyntax = syntax;
        Rows = Required(dataset, DicomTags.Rows);
        Columns = Required(dataset, DicomTags.Columns);
        SamplesPerPixel = dataset.GetNumber<int>(DicomTags.SamplesPerPixel) ?? 1;
        BitsAllocated = Required(dataset, DicomTags.BitsAllocated);
        // Float pixel data has no Bits Stored / High Bit / Pixel Representation: every bit is the value.
        bool isFloat = pixelItem.Tag != DicomTags.PixelData;
        BitsStored = isFloat ? BitsAllocated : dataset.GetNumber<int>(DicomTags.BitsStored) ?? BitsAllocated;
        HighBit = isFloat ? BitsAllocated - 1 : dataset.GetNumber<int>(DicomTags.HighBit) ?? BitsStored - 1;
        PixelRepresentation = isFloat ? 0 : dataset.GetNumber<int>(DicomTags.PixelRepresentation) ?? 0;
        PlanarConfiguration = SamplesPerPixel > 1 ? dataset.GetNumber<int>(DicomTags.PlanarConfiguration) ?? 0 : 0;
        PhotometricInterpretation = dataset.GetString(DicomTags.PhotometricInterpretation) ?? "";
        NumberOfFrames = dataset.GetNumber<int>(DicomTags.NumberOfFrames) ?? 1;
        Validate();
    }

    public DicomTransferSyntax TransferSyntax { get; }
    public int Rows { get; }
    public int Columns { get; }
    public int SamplesPerPixel { get; }
    public int BitsAllocated { get; }
    public int BitsStored { get; }
    public int HighBit { get; }

    /// <summary>0 unsigned, 1 two's complement.</summary>
    public int PixelRepresentation { get; }
    public bool IsSigned => PixelRepresentation == 1;

    /// <summary>0 pixel-interleaved (RGBRGB...), 1 colour-by-plane (RR..GG..BB..) for native data.</summary>
    public int PlanarConfiguration { get; }
    public string PhotometricInterpretation { get; }
    public int NumberOfFrames { get; }

    public bool IsEncapsulated => _pixelItem is DicomFragmentSequence;

    /// <summary>Float (32-bit) or Double Float (64-bit) Pixel Data of parametric maps (PS3.3 C.7.6.24): IEEE values, no bit masking.</summary>
    public bool IsFloat => _pixelItem.Tag == DicomTags.FloatPixelData || _pixelItem.Tag == DicomTags.DoubleFloatPixelData;

    /// <summary>Pixels per frame times samples: the length of the arrays the typed readers return.</summary>
    public int ValuesPerFrame => Rows * Columns * SamplesPerPixel;

    /// <summary>
    /// Native YBR_FULL_422 (PS3.3 C.7.6.3.1.2) stores two luminance values and one Cb/Cr pair per two pixels
    /// (Y1 Y2 Cb Cr), so a frame holds two values per pixel; the typed readers expand it to three samples per pixel.
    /// </summary>
    public bool IsSubsampledYbr422 => !IsEncapsulated && SamplesPerPixel == 3 && PhotometricInterpretation == "YBR_FULL_422";

    /// <summary>Bytes of one native frame; for 1-bit data the bits of one frame rounded up to whole bytes.</summary>
    public int FrameLength => BitsAllocated == 1 ? (ValuesPerFrame + 7) / 8
        : IsSubsampledYbr422 ? Rows * Columns * 2 * (BitsAllocated / 8)
        : ValuesPerFrame * (BitsAllocated / 8);

    /// <summary>Reads the pixel attributes; fails on missing or inconsistent ones. Frames are decoded on request.</summary>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if (!dataset.TryGetItem(DicomTags.PixelData, out var item)
            && !dataset.TryGetItem(DicomTags.FloatPixelData, out item)
            && !dataset.TryGetItem(DicomTags.DoubleFloatPixelData, out item))
            throw new DicomFormatException("dataset has no Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009)");
        return new DicomPixelData(dataset, syntax, item);
    }

    private static int Required(DicomDataset dataset, DicomTag tag)
        => dataset.GetNumber<int>(tag) ?? throw new DicomFormatException($"pixel data needs {tag} {DicomDictionary.Keyword(tag)}, which is missing or empty");

    private void Validate()
    {
        if (Rows < 1 || Columns < 1) throw new DicomFormatException($"image size {Rows}x{Columns} is empty");
        if (SamplesPerPixel is < 1 or > 4) throw new DicomFormatException($"Samples per Pixel {SamplesPerPixel} is not between 1 and 4");
        if (BitsAllocated is not (1 or 8 or 16 or 32 or 64))
            throw new DicomFormatException($"Bits Allocated {BitsAllocated} is not 1, 8, 16, 32 or 64");
        if (BitsStored < 1 || BitsStored > BitsAllocated || HighBit >= BitsAllocated || HighBit + 1 < BitsStored)
            throw new DicomFormatException($"Bits Stored {BitsStored} / High Bit {HighBit} do not fit in Bits Allocated {BitsAllocated}");
        if (PixelRepresentation is not (0 or 1)) throw new DicomFormatException($"Pixel Representation {PixelRepresentation} is not 0 or 1");
        if (PlanarConfiguration is not (0 or 1)) throw new DicomFormatException($"Planar Configuration {PlanarConfiguration} is not 0 or 1");
        if (IsFloat && BitsAllocated != (_pixelItem.Tag == DicomTags.FloatPixelData ? 32 : 64))
            throw new DicomFormatException($"{_pixelItem.Tag} needs Bits Allocated {(_pixelItem.Tag == DicomTags.FloatPixelData ? 32 : 64)}, not {BitsAllocated}");
        if (NumberOfFrames < 1) throw new DicomFormatException($"Number of Frames {NumberOfFrames} is less than 1");
        long values = (long)Rows * Columns * SamplesPerPixel;
        long bits = values * BitsAllocated;
        if (values > Array.MaxLength || bits / 8 > Array.MaxLength) throw new DicomFormatException($"one frame of {Rows}x{Columns}x{SamplesPerPixel} at {BitsAllocated} bits is too large");
    }

    /// <summary>
    /// The native bytes of frame <paramref name="index"/> (0-based), little endian, in the frame's stored planar
    /// configuration (RLE frames decode to planar configuration 0). 1-bit frames start at bit 0 of byte 0.
    /// </summary>
    public ReadOnlyMemory<byte> GetFrame(int index)
    {
        if (index < 0 || index >= NumberOfFrames)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"frame index must be 0-{NumberOfFrames - 1}");
        if (_pixelItem is DicomElement element)
        {
            if (TransferSyntax.IsEncapsulated)
                throw new DicomFormatException($"transfer syntax {TransferSyntax} needs encapsulated pixel data but the value is native");
            return NativeFrame(_native ??= NativeBytes(element), index);
        }
        if (_pixelItem is not DicomFragmentSequence fragments)
            throw new DicomFormatException($"pixel data {_pixelItem.Tag} is a {_pixelItem.VR} sequence, not an image");
        _encapsulated ??= EncapsulatedFrames.Create(_dataset, fragments, NumberOfFrames);
        if (TransferSyntax == DicomTransferSyntax.RLELossless)
            return RleCodec.DecodeFrame(_encapsulated.GetFrame(index).Span, Rows, Columns, SamplesPerPixel, BitsAllocated);
        if (TransferSyntax == DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian)
        {
            var frame = _encapsulated.GetFrame(index);
            if (frame.Length < FrameLength) throw new DicomFormatException($"frame {index} holds {frame.Length} bytes, expected {FrameLength}");
            return frame[..FrameLength];
        }
        throw new DicomFormatException($"transfer syntax {TransferSyntax} is not supported for pixel decoding");
    }

    /// <summary>
    /// The reader makes big endian OW values little endian 16 bits at a time; 32- and 64-bit pixels were written as
    /// whole big endian units, so their 16-bit words must also change order.
    /// </summary>
    private ReadOnlyMemory<byte> NativeBytes(DicomElement element)
    {
        var bytes = element.Buffer.Memory;
        if (!TransferSyntax.IsBigEndian || element.VR != DicomVR.OW || BitsAllocated < 32) return bytes;
        int unit = BitsAllocated / 8;
        var copy = bytes.ToArray();
        for (int i = 0; i + unit <= copy.Length; i += unit)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(copy.AsSpan(i, unit)).Reverse();
        }
        return copy;
    }

    /// <summary>Frame <paramref name="index"/> of native data. 1-bit frames are packed back to back with no padding
    /// between them (PS3.5 8.1.1), so a frame may start mid-byte and is then realigned into a copy.</summary>
    private ReadOnlyMemory<byte> NativeFrame(ReadOnlyMemory<byte> all, int index)
    {
        if (BitsAllocated == 1)
        {
            long startBit = (long)index * ValuesPerFrame;
            long endByte = (startBit + ValuesPerFrame + 7) / 8;
            if (endByte > all.Length)
                throw new DicomFormatException($"pixel data holds {all.Length} bytes, frame {index} of 1-bit data needs {endByte}");
            // Whole bytes can be sliced; otherwise copy, so the bits of neighbouring frames never show up in this one.
            if (startBit % 8 == 0 && ValuesPerFrame % 8 == 0) return all.Slice((int)(startBit / 8), FrameLength);
            var copy = new byte[FrameLength];
            var src = all.Span;
            for (int i = 0; i < ValuesPerFrame; i++)
            {
                long bit = startBit + i;
                if ((src[(int)(bit >> 3)] >> (int)(bit & 7) & 1) != 0) copy[i >> 3] |= (byte)(1 << (i & 7));
            }
            return copy;
        }
        long start = (long)index * FrameLength;
        if (start + FrameLength > all.Length)
            throw new DicomFormatException($"pixel data holds {all.Length} bytes, frame {index} needs bytes {start}-{start + FrameLength}");
        return all.Slice((int)start, FrameLength);
    }
}
