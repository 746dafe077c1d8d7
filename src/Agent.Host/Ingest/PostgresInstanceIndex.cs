using System.Globalization;
using System.Text.Json;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Storage.Provenance;
using StorageDuplicatePolicy = Agent.Storage.Provenance.DuplicatePolicy;

namespace Agent.Host.Ingest;

/// <summary>Indexes received instances with storage's <see cref="InstanceIndex"/> (one transaction per instance).</summary>
public sealed class PostgresInstanceIndex(DatabaseAccess database, StorageOptions options) : IInstanceIndex
{
    private readonly StorageDuplicatePolicy _policy = options.DuplicatePolicy == Configuration.DuplicatePolicy.Overwrite
        ? StorageDuplicatePolicy.Overwrite
        : StorageDuplicatePolicy.KeepFirst;

    public async Task IndexAsync(IndexedInstance instance, CancellationToken cancellationToken)
    {
        // Asynchronous commit: the file is already fsynced and renamed, and StoreReconciler indexes any stored file
        // without a row at start-up, so a row lost to a database crash is rebuilt; the WAL fsync per instance is not
        // needed for durability-before-acknowledgement (see config/README.md, "Durable ingest").
        var index = new InstanceIndex(database.DataSource, asynchronousCommit: true);
        await index.IndexInstanceAsync(ToRecord(instance), _policy, cancellationToken).ConfigureAwait(false);
    }

    internal static InstanceRecord ToRecord(IndexedInstance instance)
    {
        var a = instance.Header.Attributes;
        string? Get(string keyword) => a.TryGetValue(keyword, out var v) && v.Length > 0 ? v : null;
        return new InstanceRecord
        {
            StudyInstanceUid = instance.Keys.StudyInstanceUid,
            SeriesInstanceUid = instance.Keys.SeriesInstanceUid,
            SopInstanceUid = instance.Keys.SopInstanceUid,
            SopClassUid = instance.Header.SopClassUid ?? "",
            TransferSyntaxUid = instance.Header.TransferSyntaxUid ?? "",
            FilePath = instance.File.RelativePath,
            FileSize = instance.File.Size,
            Sha256 = instance.File.Sha256,
            PatientId = Get("PatientID"),
            PatientName = Get("PatientName"),
            PatientBirthDate = Date(Get("PatientBirthDate")),
            PatientSex = Get("PatientSex"),
            AccessionNumber = Get("AccessionNumber"),
            StudyId = Get("StudyID"),
            StudyDate = Date(Get("StudyDate")),
            StudyTime = Get("StudyTime"),
            StudyDescription = Get("StudyDescription"),
            Modality = Get("Modality"),
            BodyPartExamined = Get("BodyPartExamined"),
            SeriesDescription = Get("SeriesDescription"),
            SeriesNumber = Integer(Get("SeriesNumber")),
            ProtocolName = Get("ProtocolName"),
            Manufacturer = Get("Manufacturer"),
            FrameOfReferenceUid = Get("FrameOfReferenceUID"),
            InstanceNumber = Integer(Get("InstanceNumber")),
            AttributesJson = JsonSerializer.Serialize(a),
            AssociationId = instance.AssociationId,
        };
    }

    /// <summary>DA is YYYYMMDD; anything else (old ACR-NEMA "YYYY.MM.DD", garbage) is kept only in the attributes.</summary>
    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static int? Integer(string? text) =>
        int.TryParse(text, NumberStyles.Integer | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var i) ? i : null;
}
