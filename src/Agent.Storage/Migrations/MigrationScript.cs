namespace Agent.Storage.Migrations;

/// <summary>One migration file: <c>{Version}_{Name}.sql</c>, its SQL and the sha256 of that SQL.</summary>
public sealed record MigrationScript(string Version, string Name, string Sql, string Sha256);
