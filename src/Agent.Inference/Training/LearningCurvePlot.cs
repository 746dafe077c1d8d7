using System.Globalization;
using SkiaSharp;

namespace Agent.Inference.Training;

/// <summary>PNG with two panels: training loss per epoch, and validation Dice per label per epoch.</summary>
public static class LearningCurvePlot
{
    private static readonly SKColor[] Palette =
        [new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b)];

    public static string Write(string path, IReadOnlyList<EpochRecord> history, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(labels);
        const int width = 1000, height = 420;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 13);
        var left = new SKRect(60, 40, 480, 370);
        var right = new SKRect(560, 40, 980, 370);
        int epochs = Math.Max(1, history.Count == 0 ? 1 : history.Max(h => h.Epoch));

        double maxLoss = history.Count == 0 ? 1 : Math.Max(1e-6, history.Max(h => h.TrainLoss));
        Axes(canvas, font, left, "training loss", epochs, 0, maxLoss);
        Line(canvas, left, history.Select(h => (h.Epoch, h.TrainLoss / maxLoss)).ToArray(), epochs, Palette[0]);

        Axes(canvas, font, right, "validation Dice", epochs, 0, 1);
        for (int i = 0; i < labels.Count; i++)
        {
            var points = history.Where(h => h.ValidationDice?.ContainsKey(labels[i]) == true)
                .Select(h => (h.Epoch, h.ValidationDice![labels[i]])).ToArray();
            var colour = Palette[i % Palette.Length];
            Line(canvas, right, points, epochs, colour);
            using var paint = new SKPaint { Color = colour, IsAntialias = true };
            canvas.DrawText(labels[i], right.Right - 110, right.Bottom - 15 - 16 * (labels.Count - 1 - i), font, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using (var stream = File.Create(path)) data.SaveTo(stream);
        return path;
    }

    private static void Axes(SKCanvas canvas, SKFont font, SKRect r, string title, int epochs, double min, double max)
    {
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawLine(r.Left, r.Bottom, r.Right, r.Bottom, axis);
        canvas.DrawLine(r.Left, r.Top, r.Left, r.Bottom, axis);
        canvas.DrawText(title, r.Left, r.Top - 12, font, text);
        canvas.DrawText("epoch", r.MidX - 15, r.Bottom + 32, font, text);
        var inv = CultureInfo.InvariantCulture;
        canvas.DrawText(max.ToString("G3", inv), r.Left - 50, r.Top + 5, font, text);
        canvas.DrawText(min.ToString("G3", inv), r.Left - 50, r.Bottom, font, text);
        canvas.DrawText("1", r.Left - 3, r.Bottom + 16, font, text);
        canvas.DrawText(epochs.ToString(inv), r.Right - 10, r.Bottom + 16, font, text);
    }

    private static void Line(SKCanvas canvas, SKRect r, (int Epoch, double Value)[] points, int epochs, SKColor colour)
    {
        if (points.Length == 0) return;
        using var paint = new SKPaint { Color = colour, StrokeWidth = 2, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var path = new SKPath();
        for (int i = 0; i < points.Length; i++)
        {
            float x = r.Left + (float)((points[i].Epoch - 1) / Math.Max(1.0, epochs - 1) * r.Width);
            float y = r.Bottom - (float)(Math.Clamp(points[i].Value, 0, 1) * r.Height);
            if (i == 0) path.MoveTo(x, y); else path.LineTo(x, y);
            canvas.DrawCircle(x, y, 2.5f, paint);
        }
        canvas.DrawPath(path, paint);
    }
}
