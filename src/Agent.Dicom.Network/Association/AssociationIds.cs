using System.Globalization;

namespace Agent.Dicom.Network.Association;

internal static class AssociationIds
{
    private static long _next;
    private static readonly string Prefix = Environment.ProcessId.ToString("x", CultureInfo.InvariantCulture);

    public static string Next() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Interlocked.Increment(ref _next)}");
}
