using System.Buffers.Binary;

namespace Agent.Dicom.Tests.Support;

/// <summary>Deterministic mutations of a DICOM byte stream, the kinds that break naive parsers.</summary>
public static class Mutator
{
    private static readonly uint[] HugeLengths = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, 0x7FFFFFC7, 0x00FFFFFF, 0x0000FFFF, 0x10000000];

    public static (byte[] Bytes, string Description) Mutate(byte[] input, Random random)
    {
        if (input.Length < 2) return ([.. input, 0x08, 0x00], "grown");
        var bytes = (byte[])input.Clone();
        int kind = random.Next(7);
        switch (kind)
        {
            case 0:
            {
                int flips = 1 + random.Next(8);
                for (int i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return (bytes, $"{flips} bit flips");
            }
            case 1:
            {
                int keep = random.Next(bytes.Length);
                return (bytes[..keep], $"truncated to {keep} bytes");
            }
            case 2:
            {
                // Overwrite what is likely a length field: 4 bytes at an even offset.
                int at = random.Next(Math.Max(1, bytes.Length - 4)) & ~1;
                var value = HugeLengths[random.Next(HugeLengths.Length)];
                if (at + 4 <= bytes.Length) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                return (bytes, $"0x{value:X8} written at {at}");
            }
            case 3:
            {
                // A 16-bit explicit length made huge.
                int at = random.Next(Math.Max(1, bytes.Length - 2)) & ~1;
                if (at + 2 <= bytes.Length) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)random.Next(0x8000, 0x10000));
                return (bytes, $"16-bit length at {at}");
            }
            case 4:
            {
                int start = random.Next(bytes.Length);
                int length = Math.Min(random.Next(1, 512), bytes.Length - start);
                int at = random.Next(bytes.Length);
                var result = new byte[bytes.Length + length];
                bytes.AsSpan(0, at).CopyTo(result);
                bytes.AsSpan(start, length).CopyTo(result.AsSpan(at));
                bytes.AsSpan(at).CopyTo(result.AsSpan(at + length));
                return (result, $"duplicated {length} bytes from {start} at {at}");
            }
            case 5:
            {
                int start = random.Next(bytes.Length);
                int length = Math.Min(random.Next(1, 64), bytes.Length - start);
                var result = new byte[bytes.Length - length];
                bytes.AsSpan(0, start).CopyTo(result);
                bytes.AsSpan(start + length).CopyTo(result.AsSpan(start));
                return (result, $"deleted {length} bytes at {start}");
            }
            default:
            {
                // Item / delimiter tags dropped in at random, the structural markers of sequences.
                int at = random.Next(Math.Max(1, bytes.Length - 8)) & ~1;
                uint[] markers = [0xE000FFFE, 0xE00DFFFE, 0xE0DDFFFE];
                if (at + 8 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), markers[random.Next(3)]);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), random.Next(2) == 0 ? 0xFFFFFFFF : (uint)random.Next(64));
                }
                return (bytes, $"item marker at {at}");
            }
        }
    }
}
