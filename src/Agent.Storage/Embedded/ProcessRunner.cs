using System.Diagnostics;
using System.Text;

namespace Agent.Storage.Embedded;

/// <summary>Result of one external command: exit code plus captured output (bounded).</summary>
internal sealed record ProcessResult(int ExitCode, string Output);

/// <summary>Runs PostgreSQL's command-line tools, optionally as another OS user, with a time limit.</summary>
internal static class ProcessRunner
{
    private const int MaxCapturedChars = 64 * 1024;

    /// <summary>Runs <paramref name="fileName"/>; when <paramref name="asUser"/> is set, through <c>runuser -u USER --</c>.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string? asUser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            // The server user may not be able to enter the agent's working directory (e.g. /root).
            WorkingDirectory = "/",
        };
        if (asUser is null)
        {
            psi.FileName = fileName;
        }
        else
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(asUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(fileName);
        }

        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        // Messages are parsed for diagnostics only; keep them in English and deterministic.
        psi.Environment["LC_ALL"] = "C";
        psi.Environment.Remove("PGDATA");
        psi.Environment.Remove("PGHOST");
        psi.Environment.Remove("PGPORT");

        using var process = new Process { StartInfo = psi };
        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < MaxCapturedChars)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EmbeddedPostgresException($"Cannot run '{psi.FileName}': {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new EmbeddedPostgresException(
                $"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0} s");
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new ProcessResult(process.ExitCode, text);
    }
}
