using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Inference.Training;

namespace Agent.Inference.Packages;

/// <summary>
/// Source-generated JSON metadata: works where reflection-based serialisation is disabled (trimmed/AOT builds and
/// .NET 10 file-based apps such as the bundled model's training recipe).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(TrainingState))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext;
