using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Agent.Host.Tests;

/// <summary>The built <c>agent</c> executable run as a child process (as systemd or a user would run it).</summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(Process process) => _process = process;

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "agent");

    public static AgentProcess Start(string home, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = home };
        foreach (var a in args.Length == 0 ? ["serve"] : args) info.ArgumentList.Add(a);
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("AGENT", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["AGENT_HOME"] = home;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        process.Exited += (_, _) => agent._listening.TrySetException(new InvalidOperationException("agent exited before listening:\n" + agent.Output));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    [GeneratedRegex(@"Listening for DICOM on (?<address>[^ ]+):(?<port>\d+) as AE title (?<ae>\S+)")]
    private static partial Regex ListeningLine();

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        var m = ListeningLine().Match(line);
        if (m.Success) _listening.TrySetResult(int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture));
    }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public int Id => _process.Id;

    /// <summary>The port from the "Listening for DICOM" line (the first start creates a cluster: allow for initdb).</summary>
    public Task<int> ListeningPortAsync(TimeSpan timeout) => _listening.Task.WaitAsync(timeout);

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>
    /// SIGSTOP: freezes the process where it is (it cannot finish what it is doing before a later SIGKILL). Returns once
    /// every thread is stopped: the signal is delivered asynchronously, and a thread still running right after `kill`
    /// returned could take one more job (seen on a loaded machine).
    /// </summary>
    public async Task FreezeAsync()
    {
        using var stop = Process.Start("kill", ["-STOP", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await stop.WaitForExitAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!AllThreadsStopped())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"agent {_process.Id} did not stop within a minute of SIGSTOP");
            await Task.Delay(10);
        }
    }

    private bool AllThreadsStopped()
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            string stat;
            try { stat = File.ReadAllText(Path.Combine(task, "stat")); }
            catch (IOException) { continue; } // the thread ended meanwhile
            // "pid (comm) S ...": the state follows the last ')' (comm may contain parentheses).
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (state is not ('T' or 't')) return false;
        }
        return true;
    }

    /// <summary>SIGCONT: lets a frozen process go on where it stopped.</summary>
    public async Task ThawAsync()
    {
        using var cont = Process.Start("kill", ["-CONT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await cont.WaitForExitAsync();
    }

    /// <summary>SIGTERM (systemd stop) and wait for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { await StopAsync(TimeSpan.FromMinutes(3)); }
            catch (OperationCanceledException) { _process.Kill(); }
        }
        _process.Dispose();
    }
}
