namespace Agent.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: bench <name>; benchmarks arrive with their issues.");
        return args.Length == 0 ? 0 : 2;
    }
}
