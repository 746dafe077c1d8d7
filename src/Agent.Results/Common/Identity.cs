using Agent.Results.Coding;

namespace Agent.Results.Common;

/// <summary>The algorithm that produced a result: name, version and family (Segmentation Algorithm Identification, TID 4019).</summary>
public sealed record AlgorithmIdentity(string Name, string Version)
{
    public Code Family { get; init; } = Codes.ArtificialIntelligence;
}

/// <summary>Our software as equipment (General/Enhanced General Equipment and Contributing Equipment).</summary>
public sealed record EquipmentIdentity
{
    public string Manufacturer { get; init; } = "Agent";
    public string ModelName { get; init; } = "Agent AI Node";
    public string SerialNumber { get; init; } = "0";
    public string SoftwareVersion { get; init; } = typeof(EquipmentIdentity).Assembly.GetName().Version?.ToString() ?? "0";
    public string InstitutionName { get; init; } = "";
}
