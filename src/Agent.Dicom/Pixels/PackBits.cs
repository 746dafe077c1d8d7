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

    /// <summary>Encodes one row: replicate runs of 3 or more bytes, literal runs otherwise, at most 128 bytes each.</summary>
    public static void Encode(ReadOnlySpan<byte> row, List<byte> output)
    {
        int i = 0;
        while (i < row.Length)
        {
            int run = RunLength(row, i);
            if (run >= 3 || (run == 2 && i + 2 == row.Length))
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(row[i]);
                i += run;
                continue;
            }
            int start = i;
            while (i < row.Length && i - start < 128 && RunLength(row, i) < 3) i++;
            output.Add((byte)(i - start - 1));
            for (int k = start; k < i; k++) output.Add(row[k]);
        }
    }

    private static int RunLength(ReadOnlySpan<byte> row, int i)
    {
        int j = i + 1;
        while (j < row.Length && j - i < 128 && row[j] == row[i]) j++;
        return j - i;
    }
}
