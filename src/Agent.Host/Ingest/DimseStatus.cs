namespace Agent.Host.Ingest;

/// <summary>The C-STORE response statuses the ingest path answers with (PS3.4 B.2.3, PS3.7 C).</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;

    /// <summary>Refused: out of resources (disk, database): the sender may retry later.</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>Error: cannot understand (unparseable header, missing or malformed UIDs).</summary>
    public const ushort CannotUnderstand = 0xC000;
}
