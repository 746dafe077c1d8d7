using System.Security.Cryptography;

namespace Agent.Host.Configuration;

/// <summary>
/// Checks <c>Agent:Dicom:Tls</c> when enabled. The certificate files are actually loaded: a missing key or a wrong
/// password should stop the start, with the key named, rather than surface as a handshake failure on the first peer.
/// </summary>
internal static class DicomTlsValidator
{
    private const string P = DicomOptions.Section + ":Tls";

    public static void Validate(DicomOptions options, List<string> errors)
    {
        var tls = options.Tls;
        if (tls.Port is < 0 or > 65535)
            errors.Add($"{P}:Port must be 1-65535 (or 0 for a free port chosen at start), got {tls.Port}");
        else if (tls.Port != 0 && tls.Port == options.Port)
            errors.Add($"{P}:Port must differ from {DicomOptions.Section}:Port (both are {tls.Port})");

        var certificateOk = FileProblem(tls.CertificateFile) is not { } certificateProblem || Add(errors, $"{P}:CertificateFile {certificateProblem}");
        var keyOk = tls.KeyFile.Length == 0 || FileProblem(tls.KeyFile) is not { } keyProblem || Add(errors, $"{P}:KeyFile {keyProblem}");
        if (certificateOk && keyOk)
        {
            try
            {
                tls.LoadServerCertificate().Dispose();
            }
            catch (Exception e) when (e is CryptographicException or IOException or InvalidDataException or ArgumentException)
            {
                errors.Add($"{P}:CertificateFile '{tls.CertificateFile}' could not be loaded as a certificate with its private key: {e.Message}");
            }
        }

        for (int i = 0; i < tls.TrustedClientCertificateFiles.Count; i++)
        {
            var path = tls.TrustedClientCertificateFiles[i];
            if (FileProblem(path) is { } problem)
            {
                errors.Add($"{P}:TrustedClientCertificateFiles:{i} {problem}");
                continue;
            }
            try
            {
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path).Dispose();
            }
            catch (Exception e) when (e is CryptographicException or IOException)
            {
                errors.Add($"{P}:TrustedClientCertificateFiles:{i} '{path}' is not a PEM or DER certificate: {e.Message}");
            }
        }
    }

    private static bool Add(List<string> errors, string error)
    {
        errors.Add(error);
        return false;
    }

    private static string? FileProblem(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "must be set when TLS is enabled";
        if (!Path.IsPathFullyQualified(path)) return $"must be an absolute path, got '{path}'";
        if (!File.Exists(path)) return $"file not found: '{path}'";
        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: '{path}': {e.Message}";
        }
    }
}
