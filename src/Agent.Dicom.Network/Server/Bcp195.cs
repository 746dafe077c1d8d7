using System.Net.Security;
using System.Security.Authentication;

namespace Agent.Dicom.Network.Server;

/// <summary>
/// The PS3.15 BCP 195 TLS profile (RFC 7525 / RFC 9325): TLS 1.2 or 1.3 only, and only forward-secret AEAD cipher
/// suites. Used by both our SCP and SCU so neither can be talked down to CBC, RSA key exchange or TLS 1.0/1.1.
/// </summary>
public static class Bcp195
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The allowed suites, most preferred first (TLS 1.3 ones, then TLS 1.2 ECDHE with AES-GCM or ChaCha20).</summary>
    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The cipher suite policy, or null where .NET cannot restrict suites (Windows uses the OS policy, which an
    /// administrator configures; CipherSuitesPolicy exists only on Linux and macOS with OpenSSL).
    /// </summary>
    public static CipherSuitesPolicy? Policy { get; } = CreatePolicy();

    private static CipherSuitesPolicy? CreatePolicy()
        => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(CipherSuites) : null;
}
