using System.Globalization;

namespace Agent.Dicom.Generator;

/// <summary>"00100010" or a repeating-group pattern like "60xx3000": x digits vary and are cleared in the mask.</summary>
internal readonly record struct TagPattern(uint Tag, uint Mask)
{
    public bool IsMasked => Mask != 0xFFFFFFFF;

    public static TagPattern Parse(string text, string where)
    {
        if (text.Length != 8) throw new FormatException($"{where}: tag '{text}' must have 8 hex digits or x");
        uint tag = 0, mask = 0;
        foreach (var c in text)
        {
            tag <<= 4;
            mask <<= 4;
            if (c == 'x') continue;
            if (!uint.TryParse(c.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var nibble))
                throw new FormatException($"{where}: tag '{text}' has invalid digit '{c}'");
            tag |= nibble;
            mask |= 0xF;
        }
        return new TagPattern(tag, mask);
    }

    public string Display
    {
        get
        {
            var hex = Tag.ToString("X8", CultureInfo.InvariantCulture).ToCharArray();
            for (var i = 0; i < 8; i++)
                if (((Mask >> (28 - (4 * i))) & 0xF) == 0) hex[i] = 'x';
            var s = new string(hex);
            return $"({s[..4]},{s[4..]})";
        }
    }
}
