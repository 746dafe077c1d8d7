namespace Agent.Inference.SlidingWindow;

/// <summary>Patch start positions: evenly spaced, first at 0, last flush with the end, step at most patch*(1-overlap).</summary>
public static class PatchGrid
{
    public static int[] Starts(int size, int patch, double overlap)
    {
        if (size <= patch) return [0];
        double maxStep = Math.Max(1.0, patch * (1 - overlap));
        int steps = (int)Math.Ceiling((size - patch) / maxStep) + 1;
        var starts = new int[steps];
        double actual = (double)(size - patch) / (steps - 1);
        for (int i = 0; i < steps; i++) starts[i] = (int)Math.Round(i * actual);
        return starts;
    }
}
