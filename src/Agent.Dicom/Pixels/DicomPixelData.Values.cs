using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Agent.Dicom.Pixels;

/// <summary>
/// Typed access to stored pixel values: bits outside Bits Stored/High Bit are masked off, signed values are sign
/// extended from Bits Stored, and samples come out pixel-interleaved (R,G,B,R,G,B...) whatever the planar configuration.
/// </summary>
public sealed partial class DicomPixelData
{
    /// <summary>Stored values of a frame. Unsigned 32-bit data above int.MaxValue cannot be represented: use the float or double reader.</summary>
    public int[] ReadFrameAsInt32(int index)
    {
        if (IsFloat) throw new DicomFormatException("float pixel data holds real numbers; read it as float or double");
        if (BitsStored > 32 || (BitsStored == 32 && !IsSigned))
            throw new DicomFormatException($"{BitsStored}-bit {(IsSigned ? "signed" : "unsigned")} values do not fit in Int32; read them as double");
        return ReadFrame<int>(index);
    }

    public float[] ReadFrameAsFloat(int index) => ReadFrame<float>(index);

    public double[] ReadFrameAsDouble(int index) => ReadFrame<double>(index);

    private T[] ReadFrame<T>(int index) where T : unmanaged, INumber<T>
    {
        var frame = GetFrame(index).Span;
        var output = new T[ValuesPerFrame];
        int samples = SamplesPerPixel;
        int pixels = Rows * Columns;
        // RLE frames are decoded pixel-interleaved whatever the attribute says (PS3.5 G.2).
        bool planar = PlanarConfiguration == 1 && samples > 1 && TransferSyntax != DicomTransferSyntax.RLELossless;
        bool ybr422 = IsSubsampledYbr422;
        int shift = HighBit + 1 - BitsStored;
        ulong mask = BitsStored == 64 ? ulong.MaxValue : (1UL << BitsStored) - 1;
        ulong signBit = 1UL << (BitsStored - 1);
        bool signed = IsSigned;
        int bytes = BitsAllocated / 8;
        if (frame.Length < FrameLength)
            throw new DicomFormatException($"frame {index} holds {frame.Length} bytes, expected {FrameLength}");
        if (IsFloat)
        {
            for (int o = 0; o < output.Length; o++)
            {
                output[o] = BitsAllocated == 32
                    ? T.CreateSaturating(BinaryPrimitives.ReadSingleLittleEndian(frame.Slice(o * 4, 4)))
                    : T.CreateSaturating(BinaryPrimitives.ReadDoubleLittleEndian(frame.Slice(o * 8, 8)));
            }
            return output;
        }
        if (!planar && !ybr422 && BitConverter.IsLittleEndian && BitsAllocated is 8 or 16)
        {
            // The common case (CT/MR/SEG labelmaps): one tight loop without per-value dispatch.
            if (BitsAllocated == 8)
            {
                for (int o = 0; o < output.Length; o++) output[o] = Convert<T>(((ulong)frame[o] >> shift) & mask, signed, signBit, mask);
            }
            else
            {
                var words = MemoryMarshal.Cast<byte, ushort>(frame[..(output.Length * 2)]);
                for (int o = 0; o < output.Length; o++) output[o] = Convert<T>(((ulong)words[o] >> shift) & mask, signed, signBit, mask);
            }
            return output;
        }
        for (int o = 0; o < output.Length; o++)
        {
            int source = ybr422 ? Ybr422Source(o)
                : planar ? (o % samples) * pixels + o / samples
                : o;
            ulong raw = BitsAllocated switch
            {
                1 => (ulong)((frame[source >> 3] >> (source & 7)) & 1),
                8 => frame[source],
                16 => BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(source * 2, 2)),
                32 => BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(source * 4, 4)),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(frame.Slice(source * bytes, 8)),
            };
            output[o] = Convert<T>((raw >> shift) & mask, signed, signBit, mask);
        }
        return output;
    }

    /// <summary>Output value o = (pixel, sample) of YBR_FULL_422 comes from Y1 Y2 Cb Cr of the pixel's pair.</summary>
    private static int Ybr422Source(int o)
    {
        int pixel = o / 3, sample = o % 3;
        int pair = pixel / 2;
        return sample == 0 ? pair * 4 + (pixel & 1) : pair * 4 + 1 + sample;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Convert<T>(ulong value, bool signed, ulong signBit, ulong mask) where T : INumber<T>
    {
        if (signed && (value & signBit) != 0) return T.CreateTruncating((long)(value | ~mask));
        return T.CreateTruncating(value);
    }
}
