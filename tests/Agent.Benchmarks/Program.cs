namespace Agent.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "store-receive": return await StoreReceiveBenchmark.RunAsync(args[1..]);
        }
        Console.Error.WriteLine("usage: bench <name>; benchmarks arrive with their issues.");
        return args.Length == 0 ? 0 : 2;
    }
}
