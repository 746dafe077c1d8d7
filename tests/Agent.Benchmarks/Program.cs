namespace Agent.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "parse": return ParseBenchmark.Run(args[1..]);
            case "resample": return ResampleBenchmark.Run(args[1..]);
            case "series": return SeriesBenchmark.Run(args[1..]);
        }
        Console.Error.WriteLine("usage: bench <name>; benchmarks: parse [FOLDER], resample [SLICES], series [SLICE_MM]");
        return args.Length == 0 ? 0 : 2;
    }
}
