using Agent.Dicom.Generator;

// Usage: dotnet run --project src/Agent.Dicom.Generator [-- --check]
// Writes the generated dictionary sources; with --check, only reports which files differ (exit code 1).
var check = args.Contains("--check");
var root = GeneratedFiles.FindRepositoryRoot(Directory.GetCurrentDirectory());
var stale = 0;
foreach (var (path, content) in GeneratedFiles.Render(root))
{
    var full = Path.Combine(root, path);
    var current = File.Exists(full) ? File.ReadAllText(full).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
    if (current == content)
    {
        Console.WriteLine($"up to date  {path}");
        continue;
    }
    stale++;
    if (check)
    {
        Console.WriteLine($"stale       {path}");
        continue;
    }
    File.WriteAllText(full, content);
    Console.WriteLine($"written     {path} ({content.Length / 1024} KiB)");
}
return check && stale > 0 ? 1 : 0;
