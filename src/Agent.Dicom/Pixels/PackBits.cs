namespace Agent.Dicom.Pixels;

/// <summary>The PackBits run-length scheme of RLE Lossless byte segments (PS3.5 G.3.1).</summary>
internal static class PackBits
{
    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> and returns the bytes produced. Runs that
    /// would pass the end of either buffer are cut there: a hostile segment can never write out of bounds.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int src = 0, dst = 0;
        while (src < source.Length && dst < destination.Length)
        {
            int n = (sbyte)source[src++];
            if (n >= 0)
            {
                int count = Math.Min(Math.Min(n + 1, source.Length - src), destination.Length - dst);
                source.Slice(src, count).CopyTo(destination[dst..]);
                src += n + 1;
                dst += count;
            }
            else if (n != -128)
            {
                if (src >= source.Length) break;
                int count = Math.Min(1 - n, destination.Length - dst);
                destination.Slice(dst, count).Fill(source[src++]);
                dst += count;
            }
        }
        return dst;
    }

    /// <summary>Most bytes <see cref="Encode"/> writes for <paramref name="length"/> input bytes: one header per 128 literals.</summary>
    public static int MaxEncodedLength(int length) => length + (length + 127) / 128;

    /// <summary>
    /// Encodes one row into <paramref name="output"/> (at least <see cref="MaxEncodedLength"/> bytes) and returns the
    /// bytes written: replicate runs of 3 or more bytes, literal runs otherwise, at most 128 bytes each.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> row, Span<byte> output)
    {
        int i = 0, o = 0;
        while (i < row.Length)
        {
            int run = RunLength(row, i);
            if (run >= 3 || (run == 2 && i + 2 == row.Length))
            {
                output[o++] = (byte)(sbyte)(1 - run);
                output[o++] = row[i];
                i += run;
                continue;
            }
            int start = i;
            // A literal ends where three equal bytes begin (worth a replicate run) or at 128 bytes.
            while (i < row.Length && i - start < 128 && !(i + 2 < row.Length && row[i] == row[i + 1] && row[i] == row[i + 2])) i++;
            output[o++] = (byte)(i - start - 1);
            row[start..i].CopyTo(output[o..]);
            o += i - start;
        }
        return o;
    }

    private static int RunLength(ReadOnlySpan<byte> row, int i)
    {
        int j = i + 1;
        while (j < row.Length && j - i < 128 && row[j] == row[i]) j++;
        return j - i;
    }
}
