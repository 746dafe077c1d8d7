namespace Agent.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "inference": return InferenceBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: bench <name>; benchmarks: inference");
                return args.Length == 0 ? 0 : 2;
        }
    }
}
