namespace Agent.Benchmarks;

/// <summary>Benchmarks print our time next to a reference tool's time measured in the same run.</summary>
public static class Program
{
    private const string Usage = "usage: bench <name> [args]; benchmarks: parse [FOLDER], inference";

    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "parse": return ParseBenchmark.Run(args[1..]);
            case "inference": return InferenceBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine(Usage);
                return args.Length == 0 ? 0 : 2;
        }
    }
}
