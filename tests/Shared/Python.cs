using System.Diagnostics;

namespace Agent.Tests.Shared;

/// <summary>Runs Debian's python3 (with nibabel/pydicom) as an independent reference implementation.</summary>
internal static class Python
{
    public const string Executable = "/usr/bin/python3";

    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"python3 failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }
}
