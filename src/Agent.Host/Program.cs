namespace Agent.Host;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("agent: commands arrive with the host issue; nothing to run yet.");
        return args.Length == 0 ? 0 : 2;
    }
}
