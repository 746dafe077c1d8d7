using System.Diagnostics;

namespace Agent.Dicom.Tests.Support;

/// <summary>Runs a real tool (pydicom, dciodvfy) and returns what it printed.</summary>
public static class ExternalTool
{
    public static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, string? stdin = null,
        int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in {timeoutMs} ms");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public const string Python = "/usr/bin/python3";
}
