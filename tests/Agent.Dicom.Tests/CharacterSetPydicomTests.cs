using System.Diagnostics;
using System.Text.Json;

namespace Agent.Dicom.Tests;

/// <summary>
/// Cross-checks our character set codec against pydicom (python3-pydicom, installed by install/test): pydicom must read
/// what we write, and we must read what pydicom writes, for every character set both implement.
/// </summary>
public sealed class CharacterSetPydicomTests
{
    private const string Script = """
        import json, sys
        from pydicom import charset
        from pydicom.valuerep import PersonName, TEXT_VR_DELIMS
        out = []
        for case in json.load(sys.stdin):
            encodings = charset.convert_encodings(case["terms"])
            ours = bytes.fromhex(case["hex"])
            if case["vr"] == "PN":
                decoded = str(PersonName(ours, encodings))
                encoded = PersonName(case["text"]).encode(encodings)
            else:
                decoded = charset.decode_bytes(ours, encodings, TEXT_VR_DELIMS)
                encoded = charset.encode_string(case["text"], encodings)
            out.append({"decoded": decoded, "encoded": bytes(encoded).hex()})
        json.dump(out, sys.stdout)
        """;

    public static readonly (string Terms, string VR, string Text)[] Cases =
    [
        ("ISO_IR 100", "PN", "Äneas^Rüdiger"),
        ("ISO_IR 101", "LO", "Wałęsa Łódź"),
        ("ISO_IR 144", "PN", "Люкceмбypг"),
        ("ISO_IR 126", "PN", "Διονυσιος"),
        ("ISO_IR 127", "PN", "قباني^لنزار"),
        ("ISO_IR 138", "PN", "שרון^דבורה"),
        ("ISO_IR 148", "LO", "Çavuşoğlu"),
        ("ISO_IR 192", "PN", "Wang^XiaoDong=王^小東"),
        ("GB18030", "PN", "Wang^XiaoDong=王^小东"),
        ("GBK", "LO", "王小东"),
        ("\\ISO 2022 IR 87", "PN", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ("ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        ("ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN", "Mori^Ogai=森^鷗外=もり^おうがい"),
        ("\\ISO 2022 IR 149", "PN", "Hong^Gildong=洪^吉洞=홍^길동"),
        ("\\ISO 2022 IR 58", "PN", "Zhang^XiaoDong=张^小东"),
        ("\\ISO 2022 IR 87", "LT", "やまだ\r\nたろう"),
        ("\\ISO 2022 IR 149", "LO", "김희중 병원"),
    ];

    [Fact]
    public void Pydicom_reads_what_we_write_and_we_read_what_pydicom_writes()
    {
        var input = Cases.Select(c =>
        {
            var set = DicomCharacterSet.FromSpecificCharacterSet(c.Terms.Split('\\'));
            return new Dictionary<string, object>
            {
                ["terms"] = c.Terms.Split('\\'),
                ["vr"] = c.VR,
                ["text"] = c.Text,
                ["hex"] = Convert.ToHexString(set.Encode(c.Text, DicomVR.Parse(c.VR))),
            };
        }).ToArray();
        var results = RunPydicom(JsonSerializer.Serialize(input));
        var failures = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var (terms, vr, text) = Cases[i];
            var theirDecoding = results[i].GetProperty("decoded").GetString();
            // pydicom 2.3 neither writes nor understands the ESC $ ) A of ISO 2022 IR 58 (PS3.5 K.2 has it); skip that direction.
            if (theirDecoding != text && !terms.Contains("IR 58", StringComparison.Ordinal)) failures.Add($"[{terms}] pydicom read our bytes as '{theirDecoding}', expected '{text}'");
            var theirBytes = Convert.FromHexString(results[i].GetProperty("encoded").GetString()!);
            var ours = DicomCharacterSet.FromSpecificCharacterSet(terms.Split('\\')).Decode(theirBytes, DicomVR.Parse(vr));
            if (ours != text) failures.Add($"[{terms}] we read pydicom's bytes as '{ours}', expected '{text}'");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static JsonElement[] RunPydicom(string json)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        process.StandardInput.Write(json);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "pydicom did not finish within 60 s");
        Assert.True(process.ExitCode == 0, $"pydicom failed (install python3-pydicom via install/test): {stderr}");
        return JsonSerializer.Deserialize<JsonElement[]>(stdout.GetAwaiter().GetResult())!;
    }
}
