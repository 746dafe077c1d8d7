namespace Agent.Dicom.Tests;

/// <summary>
/// Byte strings are the examples of PS3.5 Annexes H (Japanese), I (Korean), J/K (Chinese) and the pydicom charset
/// corpus (pydicom/data/charset_files, tests/test_charset.py); the strings are what the standard says they mean.
/// </summary>
public sealed class CharacterSetTests
{
    private static DicomCharacterSet Set(string terms) => DicomCharacterSet.FromSpecificCharacterSet(terms.Split('\\'));

    private static DicomVR VR(string code) => DicomVR.Parse(code);

    [Theory]
    [InlineData("ISO_IR 127", "PN", "e2c8c7e6ea5ee4e6d2c7d1", "قباني^لنزار")] // chrArab.dcm
    [InlineData("ISO_IR 100", "PN", "4275635e4ae972f46d65", "Buc^Jérôme")] // chrFren.dcm
    [InlineData("ISO_IR 100", "PN", "4275635e4ae972f46d655c4275635e4ae972f46d65", "Buc^Jérôme\\Buc^Jérôme")] // chrFrenMulti.dcm
    [InlineData("ISO_IR 100", "PN", "c46e6561735e52fc6469676572", "Äneas^Rüdiger")] // chrGerm.dcm
    [InlineData("ISO_IR 126", "PN", "c4e9efedf5f3e9eff2", "Διονυσιος")] // chrGreek.dcm
    [InlineData("\\ISO 2022 IR 87", "PN", "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842", "Yamada^Tarou=山田^太郎=やまだ^たろう")] // PS3.5 H.3.1, chrH31.dcm
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "d4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a3d1b24422464245e24401b284a5e1b2442243f246d24261b284a", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")] // PS3.5 H.3.2, chrH32.dcm
    [InlineData("ISO_IR 138", "PN", "f9f8e5ef5ee3e1e5f8e4", "שרון^דבורה")] // chrHbrw.dcm
    [InlineData("\\ISO 2022 IR 149", "PN", "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf", "Hong^Gildong=洪^吉洞=홍^길동")] // PS3.5 I.2, chrI2.dcm
    [InlineData("\\ISO 2022 IR 87", "PN", "1b24422464245e24401b28425e1b2442243f246d24261b28425c1b24422464245e24401b28425e1b2442243f246d24261b2842", "やまだ^たろう\\やまだ^たろう")] // chrJapMulti.dcm
    [InlineData("\\ISO 2022 IR 87", "LT", "1b2442243f246d24261b2842", "たろう")] // chrJapMulti.dcm
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 87", "PN", "1b24422464245e24401b28425e1b2442243f246d24261b2842", "やまだ^たろう")] // chrJapMultiExplicitIR6.dcm
    [InlineData("\\ISO 2022 IR 149", "PN", "1b242943b1e8c8f1c1df1b2842", "김희중")] // chrKoreanMulti.dcm
    [InlineData("\\ISO 2022 IR 149", "PN", "1b242943b1e8c8f1c1df1b28425c1b242943b1e8c8f1c1df1b2842", "김희중\\김희중")] // chrKoreanMulti.dcm
    [InlineData("ISO_IR 144", "PN", "bbeeda6365dcd17970d3", "Люкceмбypг")] // chrRuss.dcm
    [InlineData("ISO_IR 192", "PN", "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d", "Wang^XiaoDong=王^小東=")] // PS3.5 J.1, chrX1.dcm
    [InlineData("GB18030", "PN", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d", "Wang^XiaoDong=王^小东=")] // PS3.5 J.2, chrX2.dcm
    [InlineData("\\ISO 2022 IR 58", "PN", "5a68616e675e5869616f446f6e673d1b242941d5c55e1b242941d0a1b6ab3d20", "Zhang^XiaoDong=张^小东= ")] // PS3.5 K.1
    [InlineData("ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN", "4d6f72695e4f6761693d1b24423f391b28425e1b2428446c3f1b244233301b28423d1b244224", "Mori^Ogai=森^鷗外=\uFFFD")] // truncated mid-character
    public void Decodes_the_standard_and_corpus_examples(string terms, string vr, string hex, string expected)
    {
        Assert.Equal(expected, Set(terms).Decode(Convert.FromHexString(hex), VR(vr)));
    }

    public static TheoryData<string, string, string> EncodedNames => new()
    {
        // PS3.5 H.3.1 and H.3.2, I.2: our greedy encoder reproduces the standard's bytes exactly.
        { "\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう", "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842" },
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", "d4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a3d1b24422464245e24401b284a5e1b2442243f246d24261b284a" },
        { "\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동", "486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf" },
        // pydicom test_charset.py: JIS X 0212 for 鷗, back to JIS X 0208 for 外.
        { "ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "Mori^Ogai=森^鷗外=もり^おうがい", "4d6f72695e4f6761693d1b24423f391b28425e1b2428446c3f1b244233301b28423d1b24422462246a1b28425e1b2442242a2426242c24241b2842" },
        { "\\ISO 2022 IR 58", "Zhang^XiaoDong=张^小东=", "5a68616e675e5869616f446f6e673d1b242941d5c55e1b242941d0a1b6ab3d" },
        { "GB18030", "Wang^XiaoDong=王^小东=", "57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d" },
        { "ISO_IR 192", "Wang^XiaoDong=王^小東=", "57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d" },
    };

    [Theory]
    [MemberData(nameof(EncodedNames))]
    public void Encodes_person_names_as_the_standard_does(string terms, string text, string hex)
    {
        var bytes = Set(terms).Encode(text, DicomVR.PN, out var lossless);
        Assert.Equal(hex, Convert.ToHexString(bytes).ToLowerInvariant());
        Assert.True(lossless);
    }

    [Theory]
    [InlineData("ISO 2022 IR 100", "1b2d414275635e1b2d414ae972f46d65", "Buc^Jérôme")]
    [InlineData("ISO 2022 IR 101", "1b2d425761b3ea7361", "Wałęsa")]
    [InlineData("ISO 2022 IR 109", "1b2d43616e7461fd6e6f6d6f", "antaŭnomo")]
    [InlineData("ISO 2022 IR 110", "1b2d4476e0726473", "vārds")]
    [InlineData("ISO 2022 IR 127", "1b2d47e2c8c7e6ea5e1b2d47e4e6d2c7d1", "قباني^لنزار")]
    [InlineData("ISO 2022 IR 126", "1b2d46c4e9efedf5f3e9eff2", "Διονυσιος")]
    [InlineData("ISO 2022 IR 138", "1b2d48f9f8e5ef5e1b2d48e3e1e5f8e4", "שרון^דבורה")]
    [InlineData("ISO 2022 IR 144", "1b2d4cbbeeda6365dcd17970d3", "Люкceмбypг")]
    [InlineData("ISO 2022 IR 148", "1b2d4dc7617675fe6ff06c75", "Çavuşoğlu")]
    [InlineData("ISO 2022 IR 166", "1b2d54b9d2c1caa1d8c5", "นามสกุล")]
    [InlineData("ISO 2022 IR 13", "1b2949d4cfc0de5e1b2949c0dbb3", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    public void Decodes_single_byte_code_extensions_with_escape_sequences(string term, string hex, string expected)
    {
        Assert.Equal(expected, Set("\\" + term).Decode(Convert.FromHexString(hex), DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Äneas^Rüdiger")]
    [InlineData("ISO_IR 101", "Wałęsa^Łódź")]
    [InlineData("ISO_IR 109", "antaŭnomo")]
    [InlineData("ISO_IR 110", "vārds")]
    [InlineData("ISO_IR 144", "Люкceмбypг")]
    [InlineData("ISO_IR 126", "Διονυσιος")]
    [InlineData("ISO_IR 127", "قباني^لنزار")]
    [InlineData("ISO_IR 138", "שרון^דבורה")]
    [InlineData("ISO_IR 148", "Çavuşoğlu")]
    [InlineData("ISO_IR 166", "นามสกุล")]
    [InlineData("ISO_IR 203", "Œuvre^€uro")]
    [InlineData("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    [InlineData("ISO_IR 192", "Müller^Jürgen=王^小東=😀")]
    [InlineData("GB18030", "Wang^XiaoDong=王^小东=😀")]
    [InlineData("GBK", "Wang^XiaoDong=王^小东")]
    [InlineData("\\ISO 2022 IR 87\\ISO 2022 IR 159", "Mori^Ogai=森^鷗外=もり^おうがい")]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [InlineData("\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동")]
    [InlineData("\\ISO 2022 IR 58", "Zhang^XiaoDong=张^小东=")]
    [InlineData("ISO 2022 IR 100\\ISO 2022 IR 126\\ISO 2022 IR 144", "Dionysios=Διονυσιος=Дионисий")]
    public void Encoding_then_decoding_gives_back_the_text(string terms, string text)
    {
        var set = Set(terms);
        Assert.True(set.IsKnown, string.Join("; ", set.Warnings));
        var bytes = set.Encode(text, DicomVR.PN, out var lossless);
        Assert.True(lossless);
        Assert.Equal(text, set.Decode(bytes, DicomVR.PN));
    }

    [Fact]
    public void Multi_line_text_returns_to_the_initial_set_at_each_line_end()
    {
        var set = Set("\\ISO 2022 IR 87");
        const string text = "やまだ\r\nたろう\tabc";
        var bytes = set.Encode(text, DicomVR.LT);
        // Every control character is preceded by ESC ( B while JIS X 0208 was active.
        Assert.Equal("1b24422464245e24401b28420d0a1b2442243f246d24261b2842096162", Convert.ToHexString(bytes).ToLowerInvariant()[..58]);
        Assert.Equal(text, set.Decode(bytes, DicomVR.LT));
    }

    [Fact]
    public void Backslash_is_a_reset_point_only_for_multi_valued_VRs()
    {
        var set = Set("\\ISO 2022 IR 149");
        // G1 designated once, then used after '\': in LT (single-valued) the designation survives the backslash.
        var bytes = Convert.FromHexString("1b242943b1e85cb1e8");
        Assert.Equal("김\\김", set.Decode(bytes, DicomVR.LT));
        // In LO it resets, but the decoder keeps the last G1 set rather than losing the text.
        Assert.Equal("김\\김", set.Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Eight_bit_bytes_without_any_G1_designation_use_the_declared_G1_set()
    {
        // GB2312 bytes without ESC $ ) A, as pydicom 2.3 writes ISO 2022 IR 58.
        Assert.Equal("Zhang^XiaoDong=张^小东", Set("\\ISO 2022 IR 58").Decode(Convert.FromHexString("5a68616e675e5869616f446f6e673dd5c55ed0a1b6ab"), DicomVR.PN));
    }

    [Fact]
    public void Default_repertoire_reads_bytes_as_latin1_and_encodes_unmappable_text_as_question_marks()
    {
        var set = DicomCharacterSet.Default;
        Assert.True(set.IsKnown);
        Assert.Equal("Ç", set.Decode([0xC7], DicomVR.LO));
        var bytes = set.Encode("山", DicomVR.LO, out var lossless);
        Assert.False(lossless);
        Assert.Equal("?"u8.ToArray(), bytes);
    }

    [Fact]
    public void Unknown_term_falls_back_to_latin1_and_reports_it()
    {
        var set = Set("ISO_IR 999");
        Assert.False(set.IsKnown);
        Assert.Contains(set.Warnings, w => w.Contains("ISO_IR 999", StringComparison.Ordinal));
        Assert.Equal("Jérôme", set.Decode(Convert.FromHexString("4ae972f46d65"), DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO IR 100")]
    [InlineData("ISO-IR 100")]
    [InlineData("ISO_IR100")]
    [InlineData("iso_ir 100")]
    public void Common_misspellings_are_understood_and_reported(string term)
    {
        var set = Set(term);
        Assert.False(set.IsKnown);
        Assert.Equal("Jérôme", set.Decode(Convert.FromHexString("4ae972f46d65"), DicomVR.PN));
    }

    [Fact]
    public void UTF8_spelled_as_an_encoding_name_is_read_as_ISO_IR_192()
    {
        Assert.Equal("Jérôme", Set("UTF-8").Decode("Jérôme"u8, DicomVR.PN));
    }

    [Fact]
    public void Stand_alone_sets_used_as_code_extensions_are_patched_with_a_warning()
    {
        var set = Set("ISO_IR 100\\ISO_IR 126");
        Assert.True(set.UsesCodeExtensions);
        Assert.NotEmpty(set.Warnings);
        Assert.Equal("Dionysios=Διονυσιος", set.Decode(Convert.FromHexString("44696f6e7973696f733d1b2d46c4e9efedf5f3e9eff2"), DicomVR.PN));
    }

    [Fact]
    public void UTF8_with_other_values_ignores_the_others()
    {
        var set = Set("ISO_IR 192\\ISO 2022 IR 87");
        Assert.False(set.UsesCodeExtensions);
        Assert.False(set.IsKnown);
        Assert.Equal("王", set.Decode("王"u8, DicomVR.PN));
    }

    [Fact]
    public void Unknown_escape_sequences_and_truncated_bytes_never_throw()
    {
        var set = Set("\\ISO 2022 IR 87");
        Assert.Equal("\uFFFDab", set.Decode(Convert.FromHexString("1b28586162"), DicomVR.PN));
        Assert.Contains('\uFFFD', set.Decode(Convert.FromHexString("1b2858"), DicomVR.PN));
        Assert.Equal("\uFFFD", set.Decode([0x1B], DicomVR.PN));
        Assert.Equal("\uFFFD", set.Decode(Convert.FromHexString("1b244224"), DicomVR.PN));
    }

    [Fact]
    public void Random_bytes_decode_without_exceptions_in_every_set()
    {
        var random = new Random(1234);
        string[] all =
        [
            "", "ISO_IR 100", "ISO_IR 13", "ISO_IR 192", "GB18030", "GBK", "ISO_IR 166", "\\ISO 2022 IR 87\\ISO 2022 IR 159",
            "ISO 2022 IR 13\\ISO 2022 IR 87", "\\ISO 2022 IR 149", "\\ISO 2022 IR 58", "ISO 2022 IR 100\\ISO 2022 IR 126",
        ];
        foreach (var terms in all)
        {
            var set = Set(terms);
            for (var n = 0; n < 300; n++)
            {
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                _ = set.Decode(bytes, n % 2 == 0 ? DicomVR.PN : DicomVR.LT);
            }
        }
    }

    [Fact]
    public void A_dataset_stores_and_reads_names_in_its_character_set_and_items_inherit_it()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎");
        var raw = ((DicomElement)ds.GetItem(DicomTags.PatientName)!).Buffer.Span.ToArray();
        Assert.Equal("59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b2842",
            Convert.ToHexString(raw).ToLowerInvariant());
        Assert.Equal("Yamada^Tarou=山田^太郎", ds.GetString(DicomTags.PatientName));
        var item = new DicomDataset { Parent = ds };
        item.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "やまだ^たろう");
        Assert.True(item.CharacterSet.UsesCodeExtensions);
        Assert.Equal("やまだ^たろう", item.GetString(DicomTags.PatientName));
    }

    [Theory]
    [InlineData("\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN")]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "PN")]
    [InlineData("ISO 2022 IR 100\\ISO 2022 IR 149", "LO")]
    [InlineData("\\ISO 2022 IR 58\\ISO 2022 IR 126", "LT")]
    [InlineData("ISO_IR 192", "PN")]
    [InlineData("GB18030", "LT")]
    [InlineData("ISO_IR 100", "LO")]
    public void Random_text_either_round_trips_or_is_reported_lossy(string terms, string vr)
    {
        // Mixed scripts with every delimiter; whatever the encoder says is lossless must decode back unchanged.
        const string alphabet = "aZ09 ^=\\\r\n\téßΩЖ山田やまだﾔﾏ홍길동张东鷗外😀";
        var set = Set(terms);
        var random = new Random(2024);
        var losslessCount = 0;
        for (var n = 0; n < 500; n++)
        {
            var length = random.Next(0, 24);
            var sb = new System.Text.StringBuilder();
            for (var i = 0; i < length; i++)
            {
                var at = random.Next(alphabet.Length);
                if (char.IsLowSurrogate(alphabet[at])) at--;
                sb.Append(alphabet[at]);
                if (char.IsHighSurrogate(alphabet[at])) sb.Append(alphabet[at + 1]);
            }
            var text = sb.ToString();
            var bytes = set.Encode(text, VR(vr), out var lossless);
            if (!lossless) continue;
            losslessCount++;
            Assert.Equal(text, set.Decode(bytes, VR(vr)));
        }
        Assert.True(losslessCount > 0);
    }

    [Fact]
    public void Sets_are_cached_per_distinct_terms()
    {
        Assert.Same(Set("ISO_IR 100"), Set("ISO_IR 100 "));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([]));
        Assert.Equal(["ISO 2022 IR 13", "ISO 2022 IR 87"], Set("ISO 2022 IR 13\\ISO 2022 IR 87").Terms);
    }
}
