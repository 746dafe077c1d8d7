using System.CommandLine;

namespace Agent.Host.Cli;

/// <summary>Options shared by the SCU commands (echo, send): where to connect and as whom.</summary>
internal sealed class NetworkOptions
{
    public Option<string> Host { get; } = new("--host") { Description = "Peer host name or address", DefaultValueFactory = _ => "127.0.0.1" };
    public Option<int> Port { get; } = new("--port", "-p") { Description = "Peer DICOM port", DefaultValueFactory = _ => 11112 };
    public Option<string> CalledAe { get; } = new("--aec") { Description = "Called AE title (the peer's)", DefaultValueFactory = _ => "AGENT" };
    public Option<string?> CallingAe { get; } = new("--aet") { Description = "Calling AE title (default: Agent:Dicom:AeTitle)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(CalledAe);
        command.Options.Add(CallingAe);
    }

    /// <summary>Validated client options, or the usage error to print.</summary>
    public (Agent.Dicom.Network.Client.DicomClientOptions? Options, string? Error) Resolve(ParseResult parse, string defaultCallingAe)
    {
        var port = parse.GetValue(Port);
        if (port is < 1 or > 65535) return (null, $"--port must be 1-65535, got {port}");
        var called = parse.GetValue(CalledAe) ?? "";
        var calling = parse.GetValue(CallingAe) ?? defaultCallingAe;
        if (Configuration.DicomOptionsValidator.AeTitleProblem(called) is { } c) return (null, "--aec " + c);
        if (Configuration.DicomOptionsValidator.AeTitleProblem(calling) is { } a) return (null, "--aet " + a);
        return (new Agent.Dicom.Network.Client.DicomClientOptions
        {
            Host = parse.GetValue(Host) ?? "127.0.0.1",
            Port = port,
            CalledAeTitle = called.Trim(),
            CallingAeTitle = calling.Trim(),
        }, null);
    }
}
