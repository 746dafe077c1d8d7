namespace Agent.Benchmarks;

/// <summary>Benchmarks print our time next to a reference tool's time measured in the same run.</summary>
public static class Program
{
    private const string Usage = "usage: bench <name> [args]; benchmarks: parse [FOLDER], inference, resample, "
        + "fuzz [MINUTES] [SEED] [CORPUS], fuzz-one FILE, pixels, json";

    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "parse": return ParseBenchmark.Run(args[1..]);
            case "inference": return InferenceBenchmark.Run(args[1..]);
            case "resample": return ResampleBenchmark.Run(args[1..]);
            case "fuzz": return FuzzRun.Run(args[1..]);
            case "fuzz-one": return FuzzRun.RunOne(args[1..]);
            case "pixels": return PixelJsonBenchmark.RunPixels();
            case "json": return PixelJsonBenchmark.RunJson();
            default:
                Console.Error.WriteLine(Usage);
                return args.Length == 0 ? 0 : 2;
        }
    }
}
