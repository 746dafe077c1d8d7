namespace Agent.Dicom.Network.Pdu;

/// <summary>User Information item (0x50) sub-items, PS3.7 Annex D.3.3 and PS3.8 Annex D.</summary>
public sealed record UserInformation
{
    /// <summary>Maximum length of P-DATA-TF variable fields this side receives; 0 means no limit.</summary>
    public uint MaximumLength { get; init; }
    public string ImplementationClassUid { get; init; } = "";
    public string? ImplementationVersionName { get; init; }
    public AsyncOperationsWindow? AsyncOperations { get; init; }
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];
    public IReadOnlyList<ExtendedNegotiation> ExtendedNegotiations { get; init; } = [];
    public IReadOnlyList<CommonExtendedNegotiation> CommonExtendedNegotiations { get; init; } = [];
    public UserIdentityRequest? UserIdentity { get; init; }
    public UserIdentityResponse? UserIdentityResponse { get; init; }

    /// <summary>Sub-items of types this implementation does not know, kept so they pass through unchanged.</summary>
    public IReadOnlyList<RawSubItem> Unknown { get; init; } = [];

    public bool Equals(UserInformation? other)
        => other is not null && MaximumLength == other.MaximumLength && ImplementationClassUid == other.ImplementationClassUid
           && ImplementationVersionName == other.ImplementationVersionName && AsyncOperations == other.AsyncOperations
           && RoleSelections.SequenceEqual(other.RoleSelections) && ExtendedNegotiations.SequenceEqual(other.ExtendedNegotiations)
           && CommonExtendedNegotiations.SequenceEqual(other.CommonExtendedNegotiations)
           && Equals(UserIdentity, other.UserIdentity) && Equals(UserIdentityResponse, other.UserIdentityResponse)
           && Unknown.SequenceEqual(other.Unknown);

    public override int GetHashCode() => HashCode.Combine(MaximumLength, ImplementationClassUid);
}

/// <summary>Asynchronous Operations Window (0x53): 0 means unlimited.</summary>
public sealed record AsyncOperationsWindow(ushort MaxInvoked, ushort MaxPerformed);

/// <summary>SCP/SCU Role Selection (0x54): which roles the proposer wants for one SOP class (needed for C-GET).</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>SOP Class Extended Negotiation (0x56): service-class specific bytes passed through untouched.</summary>
public sealed record ExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ApplicationInformation)
{
    public bool Equals(ExtendedNegotiation? other)
        => other is not null && SopClassUid == other.SopClassUid && ApplicationInformation.Span.SequenceEqual(other.ApplicationInformation.Span);

    public override int GetHashCode() => SopClassUid.GetHashCode(StringComparison.Ordinal);
}

/// <summary>SOP Class Common Extended Negotiation (0x57).</summary>
public sealed record CommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClasses)
{
    public bool Equals(CommonExtendedNegotiation? other)
        => other is not null && SopClassUid == other.SopClassUid && ServiceClassUid == other.ServiceClassUid
           && RelatedGeneralSopClasses.SequenceEqual(other.RelatedGeneralSopClasses);

    public override int GetHashCode() => SopClassUid.GetHashCode(StringComparison.Ordinal);
}

/// <summary>User identity types of PS3.7 D.3.3.7.</summary>
public enum UserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    Kerberos = 3,
    Saml = 4,
    Jwt = 5,
}

/// <summary>User Identity Negotiation request (0x58).</summary>
public sealed record UserIdentityRequest(UserIdentityType IdentityType, bool PositiveResponseRequested, ReadOnlyMemory<byte> PrimaryField, ReadOnlyMemory<byte> SecondaryField)
{
    public bool Equals(UserIdentityRequest? other)
        => other is not null && IdentityType == other.IdentityType && PositiveResponseRequested == other.PositiveResponseRequested
           && PrimaryField.Span.SequenceEqual(other.PrimaryField.Span) && SecondaryField.Span.SequenceEqual(other.SecondaryField.Span);

    public override int GetHashCode() => HashCode.Combine(IdentityType, PrimaryField.Length);
}

/// <summary>User Identity Negotiation response (0x59).</summary>
public sealed record UserIdentityResponse(ReadOnlyMemory<byte> ServerResponse)
{
    public bool Equals(UserIdentityResponse? other) => other is not null && ServerResponse.Span.SequenceEqual(other.ServerResponse.Span);
    public override int GetHashCode() => ServerResponse.Length;
}

/// <summary>A sub-item kept as bytes.</summary>
public sealed record RawSubItem(byte ItemType, ReadOnlyMemory<byte> Value)
{
    public bool Equals(RawSubItem? other) => other is not null && ItemType == other.ItemType && Value.Span.SequenceEqual(other.Value.Span);
    public override int GetHashCode() => ItemType;
}
