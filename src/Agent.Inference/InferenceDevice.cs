using System.Globalization;
using static TorchSharp.torch;

namespace Agent.Inference;

/// <summary>Turns the configured device (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a torch device.</summary>
public static class InferenceDevice
{
    /// <exception cref="ArgumentException">Unknown syntax, or CUDA requested on a build/host without it.</exception>
    public static Device Resolve(string? setting)
    {
        var s = (setting ?? "auto").Trim().ToLowerInvariant();
        if (s == "auto") return cuda.is_available() ? CUDA : CPU;
        if (s == "cpu") return CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (s.Length > 5 && !int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw new ArgumentException($"device '{setting}': expected cuda:N with N a GPU index");
            if (!cuda.is_available())
                throw new ArgumentException($"device '{setting}': CUDA is not available (CPU-only TorchSharp backend or no GPU); use 'auto' or 'cpu'");
            if (index >= cuda.device_count())
                throw new ArgumentException($"device '{setting}': only {cuda.device_count()} CUDA device(s) present");
            return new Device(TorchSharp.DeviceType.CUDA, index);
        }
        throw new ArgumentException($"device '{setting}': expected auto, cpu, cuda or cuda:N");
    }

    /// <summary>Intra-op threads = cores (libtorch's default can oversubscribe containers); call once at start-up.</summary>
    public static void ConfigureThreads(int? threads = null)
    {
        int n = threads ?? Environment.ProcessorCount;
        if (get_num_threads() != n) set_num_threads(n);
    }
}
