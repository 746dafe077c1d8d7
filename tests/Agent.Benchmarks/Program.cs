using System.Reflection;

namespace Agent.Benchmarks;

/// <summary>Benchmarks print our time next to a reference tool's time measured in the same run.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commands = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => (Method: m, Command: m.GetCustomAttribute<BenchmarkCommandAttribute>()))
            .Where(c => c.Command is not null)
            .ToDictionary(c => c.Command!.Name, StringComparer.Ordinal);
        if (args.Length == 0 || !commands.TryGetValue(args[0], out var chosen))
        {
            Console.Error.WriteLine("usage: bench <name> [args]; benchmarks:");
            foreach (var (name, c) in commands.OrderBy(c => c.Key, StringComparer.Ordinal))
                Console.Error.WriteLine($"  {name} {c.Command!.Arguments}");
            return args.Length == 0 ? 0 : 2;
        }
        var parameters = chosen.Method.GetParameters().Length == 0 ? null : new object[] { args[1..] };
        var result = chosen.Method.Invoke(null, parameters);
        return result is Task<int> running ? await running : (int)result!;
    }
}
