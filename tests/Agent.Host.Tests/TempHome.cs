namespace Agent.Host.Tests;

/// <summary>
/// A throw-away AGENT_HOME. Mode 0755, because the embedded PostgreSQL server runs as the unprivileged 'postgres'
/// user when tests run as root and must traverse it.
/// </summary>
public sealed class TempHome : IDisposable
{
    public TempHome(string prefix = "agent-home-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a server still shutting down; the OS cleans /tmp */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }
}
