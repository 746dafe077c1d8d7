using System.Globalization;
using System.Text;
using Agent.Inference.Packages;

namespace Agent.Inference.Training;

/// <summary>Markdown report: one row per epoch (loss, learning rate, time, validation Dice per label), best epoch marked.</summary>
public static class TrainingReport
{
    public static string Write(string folder, ModelManifest manifest, IReadOnlyList<EpochRecord> history, int bestEpoch)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(history);
        var names = manifest.Labels.Select(l => l.Name).ToArray();
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# Training report: {manifest.Name} {manifest.Version}\n\n");
        sb.Append(inv, $"Best epoch: {bestEpoch} (weights in `{Trainer.PackageFolder}/`). Learning curves: `learning-curves.png`.\n\n");
        sb.Append("| epoch | train loss | lr | seconds | ").Append(string.Join(" | ", names.Select(n => "Dice " + n))).Append(" | mean |\n");
        sb.Append("|---|---|---|---|").Append(string.Concat(names.Select(_ => "---|"))).Append("---|\n");
        foreach (var h in history)
        {
            sb.Append(inv, $"| {h.Epoch}{(h.Epoch == bestEpoch ? " *" : "")} | {h.TrainLoss:F4} | {h.LearningRate:G3} | {h.Seconds:F1} | ");
            foreach (var n in names)
            {
                sb.Append(h.ValidationDice is { } d && d.TryGetValue(n, out var v) ? v.ToString("F3", inv) : "-").Append(" | ");
            }
            sb.Append(h.MeanDice is double m ? m.ToString("F3", inv) : "-").Append(" |\n");
        }
        var path = Path.Combine(folder, "report.md");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
