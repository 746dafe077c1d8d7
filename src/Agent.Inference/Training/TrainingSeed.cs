namespace Agent.Inference.Training;

/// <summary>
/// Random streams derived from the run's seed alone, so one seed means the same draws in every process. (The epoch
/// seeds were once <c>HashCode.Combine(seed, epoch)</c>, which .NET randomises per process: the "fixed" seed was not.)
/// </summary>
internal static class TrainingSeed
{
    /// <summary>Seed of epoch <paramref name="epoch"/>'s <see cref="Random"/> (patch sampling, augmentation draws).</summary>
    public static int ForEpoch(int seed, int epoch) => (int)(Mix(((ulong)(uint)seed << 32) | (uint)epoch) & int.MaxValue);

    /// <summary>Seed of libtorch's generator for epoch <paramref name="epoch"/> (noise tensors drawn by torch itself).</summary>
    public static long TorchForEpoch(int seed, int epoch) => (long)(Mix((((ulong)(uint)epoch << 32) | (uint)seed) ^ TorchSalt) & long.MaxValue);

    // Keeps the torch stream apart from the managed one even where seed and epoch coincide.
    private const ulong TorchSalt = 0xD1B5_4A32_D192_ED03UL;

    // SplitMix64's finaliser: a fixed bijection that spreads nearby inputs (seed 1 epoch 2 vs seed 2 epoch 1) apart.
    private static ulong Mix(ulong z)
    {
        z += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
