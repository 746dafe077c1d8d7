using Microsoft.Extensions.Configuration;

namespace Agent.Host.Configuration;

/// <summary>All bound option sections plus the paths derived from them.</summary>
public sealed class AgentSettings
{
    public required DicomOptions Dicom { get; init; }
    public required StorageOptions Storage { get; init; }
    public required DatabaseOptions Database { get; init; }
    public required JobsOptions Jobs { get; init; }

    /// <summary>AGENT_HOME (or the working directory): relative paths resolve against it.</summary>
    public required string Home { get; init; }

    /// <summary>Absolute data folder (relative settings resolve against AGENT_HOME).</summary>
    public required string DataFolder { get; init; }

    public string InstancesFolder => Path.Combine(DataFolder, "instances");
    public string EmbeddedDatabaseFolder => Path.Combine(DataFolder, "postgres");

    public static AgentSettings From(IConfiguration configuration, string home)
    {
        var storage = AgentOptionsRegistration.Bind<StorageOptions>(configuration, StorageOptions.Section);
        return new AgentSettings
        {
            Home = home,
            Dicom = AgentOptionsRegistration.Bind<DicomOptions>(configuration, DicomOptions.Section),
            Storage = storage,
            Database = AgentOptionsRegistration.Bind<DatabaseOptions>(configuration, DatabaseOptions.Section),
            Jobs = AgentOptionsRegistration.Bind<JobsOptions>(configuration, JobsOptions.Section),
            DataFolder = ResolveDataFolder(home, storage.DataFolder),
        };
    }

    public static string ResolveDataFolder(string home, string dataFolder) => Path.GetFullPath(Path.Combine(home, dataFolder));
}
