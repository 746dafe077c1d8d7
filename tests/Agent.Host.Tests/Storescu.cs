using System.Diagnostics;

namespace Agent.Host.Tests;

/// <summary>DCMTK storescu as a real sender; reports which files the SCP acknowledged with Success.</summary>
public sealed class Storescu
{
    private readonly Process _process;
    private readonly List<string> _acknowledged = [];
    private readonly List<string> _log = [];
    private string? _current;

    private Storescu(Process process) => _process = process;

    public static Storescu Start(int port, string callingAe, IEnumerable<string> files, string calledAe = "AGENT")
    {
        var info = new ProcessStartInfo("storescu") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "-nh", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        foreach (var f in files) info.ArgumentList.Add(f);
        info.Environment["TCP_NODELAY"] = "1"; // Debian's DCMTK: without it Nagle adds ~45 ms per image
        var process = new Process { StartInfo = info };
        var s = new Storescu(process);
        process.OutputDataReceived += (_, e) => s.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => s.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return s;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Add(line);
            if (line.StartsWith("I: Sending file: ", StringComparison.Ordinal)) _current = line["I: Sending file: ".Length..];
            else if (line.StartsWith("I: Received Store Response (Success)", StringComparison.Ordinal) && _current is not null) _acknowledged.Add(_current);
        }
    }

    public IReadOnlyList<string> Acknowledged
    {
        get { lock (_log) return [.. _acknowledged]; }
    }

    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected output events
        return _process.ExitCode;
    }
}
