namespace Agent.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "parse": return ParseBenchmark.Run(args[1..]);
            case "pixels": return PixelJsonBenchmark.RunPixels();
            case "json": return PixelJsonBenchmark.RunJson();
        }
        Console.Error.WriteLine("usage: bench <name>; benchmarks: parse [FOLDER], pixels, json");
        return args.Length == 0 ? 0 : 2;
    }
}
