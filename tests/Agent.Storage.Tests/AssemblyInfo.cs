// The tests run PostgreSQL server binaries and unix sockets: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
