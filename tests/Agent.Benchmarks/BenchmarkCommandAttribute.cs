namespace Agent.Benchmarks;

/// <summary>
/// Marks a <c>public static int M(string[] args)</c> (or <c>Task/// Marks a <c>public static int M(string[] args)</c> (or parameterless) methodlt;int/// Marks a <c>public static int M(string[] args)</c> (or parameterless) methodgt;</c>, or parameterless) method as the benchmark <see cref="Name"/>, so a
/// new benchmark is one new file and Program needs no edit.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BenchmarkCommandAttribute(string name, string arguments = "") : Attribute
{
    public string Name { get; } = name;
    public string Arguments { get; } = arguments;
}
