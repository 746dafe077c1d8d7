using System.Security.Cryptography.X509Certificates;

namespace Agent.Host.Configuration;

/// <summary>The TLS listener (section <c>Agent:Dicom:Tls</c>); PS3.15 BCP 195, TLS 1.2 or 1.3.</summary>
public sealed class DicomTlsSettings
{
    public bool Enabled { get; set; }

    /// <summary>Port of the TLS listener (2762 is the registered DICOM-TLS port); 0 picks a free port.</summary>
    public int Port { get; set; } = 2762;

    /// <summary>Absolute path of the server certificate: PEM (with <see cref="KeyFile"/>) or PKCS#12 (.pfx/.p12, key inside).</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>Absolute path of the PEM private key for a PEM <see cref="CertificateFile"/>; empty when the PEM file holds the key too.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>Password of a PKCS#12 <see cref="CertificateFile"/> (empty for none). Prefer the AGENT__Dicom__Tls__CertificatePassword variable.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>Refuse clients without a certificate that chains to <see cref="TrustedClientCertificateFiles"/> or the system store.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Absolute paths of PEM/DER certificates trusted for clients (a site CA or pinned self-signed client certificates).</summary>
    public List<string> TrustedClientCertificateFiles { get; set; } = [];

    /// <summary>Loads the server certificate with its private key; throws (IOException, CryptographicException, ...) when it cannot.</summary>
    public X509Certificate2 LoadServerCertificate()
    {
        if (IsPkcs12(CertificateFile))
            return X509CertificateLoader.LoadPkcs12FromFile(CertificateFile, CertificatePassword.Length == 0 ? null : CertificatePassword);
        var certificate = X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile.Length == 0 ? null : KeyFile);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidDataException("no private key found (set KeyFile, or put the key in the PEM file)");
        }
        return certificate;
    }

    /// <summary>Loads the trusted client certificates (PEM or DER, one per file).</summary>
    public List<X509Certificate2> LoadTrustedClientCertificates() =>
        TrustedClientCertificateFiles.Select(X509CertificateLoader.LoadCertificateFromFile).ToList();

    internal static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
}
