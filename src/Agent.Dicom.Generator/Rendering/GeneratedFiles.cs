namespace Agent.Dicom.Generator;

/// <summary>Every file the generator writes, rendered from the TSVs under src/Agent.Dicom/Dictionary.</summary>
internal static class GeneratedFiles
{
    public const string DictionaryFolder = "src/Agent.Dicom/Dictionary";

    /// <summary>Path relative to the repository root and its full expected content.</summary>
    public static IReadOnlyList<(string Path, string Content)> Render(string repositoryRoot)
    {
        string Read(string name) => File.ReadAllText(Path.Combine(repositoryRoot, DictionaryFolder, name));
        var dictionary = DictionaryRenderer.Read(Read("dicom-dictionary.tsv"));
        var privates = PrivateDictionaryRenderer.Read(Read("private-dictionary.tsv"));
        var uids = UidRenderer.Read(Read("uid-registry.tsv"));
        return
        [
            ("src/Agent.Dicom/DicomDictionary.Generated.cs", DictionaryRenderer.RenderEntries(dictionary)),
            ("src/Agent.Dicom/DicomDictionary.Private.Generated.cs", PrivateDictionaryRenderer.Render(privates)),
            ("src/Agent.Dicom/DicomTags.Generated.cs", DictionaryRenderer.RenderTags(dictionary)),
            ("src/Agent.Dicom/DicomUids.Generated.cs", UidRenderer.Render(uids)),
        ];
    }

    /// <summary>Walks up from <paramref name="start"/> to the folder holding Agent.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Agent.sln above {start}");
    }
}
