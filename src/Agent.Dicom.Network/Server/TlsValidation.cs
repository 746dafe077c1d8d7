using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Agent.Dicom.Network.Server;

/// <summary>Certificate chain checks with optional extra trust anchors (site CA or pinned self-signed certificates).</summary>
public static class TlsValidation
{
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, IReadOnlyList<X509Certificate2> anchors)
    {
        if (certificate is null) return false;
        if (errors == SslPolicyErrors.None) return true;
        if (anchors.Count == 0) return false;
        // Only chain problems can be fixed by our own anchors; a name mismatch cannot.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var cert = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var a in anchors) chain.ChainPolicy.CustomTrustStore.Add(a);
        return chain.Build(cert);
    }
}
