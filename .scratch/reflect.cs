#:project /work/main/src/Agent.Inference/Agent.Inference.csproj
#:property TreatWarningsAsErrors=false
#:property EnableNETAnalyzers=false
using System.Reflection;
var asm = typeof(TorchSharp.torch).Assembly;
foreach (var t in new[]{ asm.GetType("TorchSharp.torch+nn+init")!, typeof(TorchSharp.torch) })
  foreach (var m in t.GetMethods(BindingFlags.Public|BindingFlags.Static).Where(m => m.Name is "kaiming_uniform_" or "uniform_" or "randn" or "randn_like" or "normal_" or "rand"))
    Console.WriteLine($"{t.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name))})");
var g = asm.GetType("TorchSharp.torch+Generator");
Console.WriteLine(g);
foreach (var c in g!.GetConstructors()) Console.WriteLine("ctor(" + string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name)) + ")");
foreach (var m in asm.GetType("TorchSharp.torch+Tensor")!.GetMethods().Where(m => m.Name is "uniform_" or "normal_" or "random_")) Console.WriteLine($"Tensor.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name))})");
