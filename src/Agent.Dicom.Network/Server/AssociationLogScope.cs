using System.Collections;

namespace Agent.Dicom.Network.Server;

/// <summary>
/// Logging scope state for one association. AE titles are filled in after negotiation; providers read the values
/// when they format a message, so every log line of the association carries them.
/// </summary>
internal sealed class AssociationLogScope(string associationId, string remote) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string? CallingAeTitle { get; set; }
    public string? CalledAeTitle { get; set; }

    private KeyValuePair<string, object?>[] Items =>
    [
        new("AssociationId", associationId), new("RemoteIp", remote), new("CallingAe", CallingAeTitle), new("CalledAe", CalledAeTitle),
    ];

    public int Count => 4;
    public KeyValuePair<string, object?> this[int index] => Items[index];
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    public override string ToString() => $"association {associationId} {CallingAeTitle}->{CalledAeTitle} from {remote}";
}
