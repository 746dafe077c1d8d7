namespace Agent.Tests.Shared;

/// <summary>The checkout a test or benchmark runs from, for files it ships (bundled models, configuration).</summary>
internal static class RepositoryRoot
{
    /// <summary>Walks up from the running assembly's folder to the one holding Agent.sln.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no Agent.sln above " + AppContext.BaseDirectory);
    }
}
