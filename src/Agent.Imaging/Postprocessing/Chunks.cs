namespace Agent.Imaging.Postprocessing;

/// <summary>Splits a long element-wise pass over a box (up to a whole scan) across cores in 1 MiB pieces.</summary>
internal static class Chunks
{
    private const long Size = 1 << 20;

    public static void For(long count, Action<long, long> body) =>
        Parallel.For(0, (count + Size - 1) / Size, c => body(c * Size, Math.Min(count, (c + 1) * Size)));
}
