using System.Runtime.InteropServices;

namespace Agent.Storage.Files;

/// <summary>
/// fsync of a directory, so a rename or a newly created entry survives power loss. .NET has no API for it
/// (FileStream refuses directories), hence a few lines of libc.
/// </summary>
public static partial class DirectorySync
{
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // Windows: NTFS journals metadata.
        // O_CLOEXEC so a process started meanwhile (tests run DCMTK tools) never inherits the descriptor.
        var fd = Open(directory, OperatingSystem.IsLinux() ? 0x80000 /* O_RDONLY | O_CLOEXEC */ : 0x1000000 /* macOS O_CLOEXEC */);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
