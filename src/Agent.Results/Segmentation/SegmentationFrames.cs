using System.Runtime.Intrinsics;
using Agent.Imaging;

namespace Agent.Results.Segmentation;

/// <summary>One SEG frame: segment number (1-based, in Segment Sequence order) and source slice index k.</summary>
public readonly record struct SegmentationFrame(int SegmentNumber, int Slice);

/// <summary>Finds the non-empty (segment, slice) frames and packs their bits (PS3.5 8.1.1: LSB first, no padding between frames).</summary>
internal static class SegmentationFrames
{
    public static List<SegmentationFrame> Find(LabelVolume labels, IReadOnlyList<SegmentDefinition> segments)
    {
        var (nx, ny, nz) = labels.Geometry.Size;
        int slice = nx * ny;
        var present = new bool[256 * nz];
        var data = labels.Labels;
        Parallel.For(0, nz, k =>
        {
            var span = data.AsSpan(k * slice, slice);
            var seen = new bool[256];
            foreach (var v in span) seen[v] = true;
            for (int v = 1; v < 256; v++) present[(k * 256) + v] = seen[v];
        });
        var frames = new List<SegmentationFrame>();
        for (int s = 0; s < segments.Count; s++)
            for (int k = 0; k < nz; k++)
                if (present[(k * 256) + segments[s].LabelValue]) frames.Add(new SegmentationFrame(s + 1, k));
        return frames;
    }

    public static byte[] Pack(LabelVolume labels, IReadOnlyList<SegmentationFrame> frames, IReadOnlyList<SegmentDefinition> segments)
    {
        var (nx, ny, _) = labels.Geometry.Size;
        int pixels = nx * ny;
        long totalBits = (long)frames.Count * pixels;
        var packed = new byte[(totalBits + 7) / 8 + ((totalBits + 7) / 8 & 1)];
        var data = labels.Labels;
        if (pixels % 8 == 0)
        {
            // Every frame starts on a byte boundary, so frames can be packed independently and in parallel.
            Parallel.For(0, frames.Count, f =>
            {
                var frame = frames[f];
                var value = (byte)segments[frame.SegmentNumber - 1].LabelValue;
                PackAligned(data.AsSpan(frame.Slice * pixels, pixels), value, packed.AsSpan((int)((long)f * pixels / 8), pixels / 8));
            });
            return packed;
        }
        long bit = 0;
        foreach (var frame in frames)
        {
            var value = (byte)segments[frame.SegmentNumber - 1].LabelValue;
            var span = data.AsSpan(frame.Slice * pixels, pixels);
            for (int i = 0; i < span.Length; i++, bit++)
                if (span[i] == value) packed[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
        return packed;
    }

    private static void PackAligned(ReadOnlySpan<byte> source, byte value, Span<byte> target)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; i + 32 <= source.Length; i += 32)
            {
                // Lane n's bit lands at bit n: exactly the LSB-first order of PS3.5 8.1.1.
                uint bits = Vector256.Equals(Vector256.Create(source.Slice(i, 32)), v).ExtractMostSignificantBits();
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(target.Slice(i / 8, 4), bits);
            }
        }
        for (; i < source.Length; i += 8)
        {
            int b = 0;
            for (int n = 0; n < 8; n++) if (source[i + n] == value) b |= 1 << n;
            target[i / 8] = (byte)b;
        }
    }

    /// <summary>Unpacks frame <paramref name="frame"/> of bit-packed pixel data into 0/1 bytes.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, int frame, int pixels, Span<byte> target)
    {
        long bit = (long)frame * pixels;
        for (int i = 0; i < pixels; i++, bit++)
            target[i] = (byte)((packed[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
    }
}
