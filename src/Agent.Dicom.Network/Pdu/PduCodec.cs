using System.Buffers.Binary;
using System.Text;
using Agent.Dicom;

namespace Agent.Dicom.Network.Pdu;

/// <summary>
/// Byte-exact encoding and decoding of every PDU (PS3.8 9.3). Decoding validates each length against its container
/// and throws <see cref="DicomFormatException"/> for anything malformed; it never reads outside the given span.
/// </summary>
public static class PduCodec
{
    public const int HeaderLength = 6;

    /// <summary>A PDV item's header (PS3.8 9.3.5.1): item length (4), presentation context id, message control header.</summary>
    public const int PdvHeaderLength = 6;

    /// <summary>The bytes in front of the value of a P-DATA-TF that carries one PDV.</summary>
    public const int SinglePdvHeaderLength = HeaderLength + PdvHeaderLength;

    /// <summary>
    /// Writes the first <see cref="SinglePdvHeaderLength"/> bytes of a P-DATA-TF carrying one PDV whose
    /// <paramref name="valueLength"/> bytes the caller places right behind them: a sender can read a data set straight
    /// into its PDU buffer instead of copying it into a <see cref="DataTransferPdu"/>. Same bytes as <see cref="Encode"/>.
    /// </summary>
    public static void WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, int valueLength, bool isCommand, bool isLast)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        destination[0] = (byte)PduType.DataTransfer;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)(PdvHeaderLength + valueLength));
        WritePdvHeader(destination[HeaderLength..], presentationContextId, valueLength,
            new PresentationDataValue(presentationContextId, isCommand, isLast, default).MessageControlHeader);
    }

    private static void WritePdvHeader(Span<byte> destination, byte presentationContextId, int valueLength, byte messageControlHeader)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(valueLength + 2));
        destination[4] = presentationContextId;
        destination[5] = messageControlHeader;
    }

    public static byte[] Encode(DicomPdu pdu)
    {
        var w = new BigEndianWriter(256);
        w.U8((byte)pdu.Type);
        w.U8(0);
        var lengthAt = w.Reserve32();
        switch (pdu)
        {
            case AssociateRequestPdu rq:
                WriteAssociateHeader(w, rq);
                foreach (var pc in rq.PresentationContexts)
                {
                    var at = BeginItem(w, 0x20);
                    w.U8(pc.Id); w.U8(0); w.U8(0); w.U8(0);
                    UidItem(w, 0x30, pc.AbstractSyntax);
                    foreach (var ts in pc.TransferSyntaxes) UidItem(w, 0x40, ts);
                    EndItem(w, at);
                }
                WriteUserInformation(w, rq.UserInformation);
                break;
            case AssociateAcceptPdu ac:
                WriteAssociateHeader(w, ac);
                foreach (var pc in ac.PresentationContexts)
                {
                    var at = BeginItem(w, 0x21);
                    w.U8(pc.Id); w.U8(0); w.U8((byte)pc.Result); w.U8(0);
                    UidItem(w, 0x40, pc.TransferSyntax);
                    EndItem(w, at);
                }
                WriteUserInformation(w, ac.UserInformation);
                break;
            case AssociateRejectPdu rj:
                w.U8(0); w.U8((byte)rj.Result); w.U8((byte)rj.Source); w.U8(rj.Reason);
                break;
            case DataTransferPdu dt:
                foreach (var pdv in dt.Values)
                {
                    WritePdvHeader(w.Append(PdvHeaderLength), pdv.PresentationContextId, pdv.Data.Length, pdv.MessageControlHeader);
                    w.Bytes(pdv.Data.Span);
                }
                break;
            case ReleaseRequestPdu or ReleaseResponsePdu:
                w.U32(0);
                break;
            case AbortPdu ab:
                w.U8(0); w.U8(0); w.U8((byte)ab.Source); w.U8((byte)ab.Reason);
                break;
            default:
                throw new ArgumentException($"unsupported PDU {pdu.GetType().Name}", nameof(pdu));
        }
        w.Patch32(lengthAt, (uint)(w.Length - HeaderLength));
        return w.ToArray();
    }

    private static void WriteAssociateHeader(BigEndianWriter w, AssociatePdu a)
    {
        w.U16(a.ProtocolVersion);
        w.U16(0);
        w.Ae(a.CalledAeTitle);
        w.Ae(a.CallingAeTitle);
        w.Zeros(32);
        UidItem(w, 0x10, a.ApplicationContext);
    }

    private static void WriteUserInformation(BigEndianWriter w, UserInformation u)
    {
        var at = BeginItem(w, 0x50);
        w.U8(0x51); w.U8(0); w.U16(4); w.U32(u.MaximumLength);
        if (u.ImplementationClassUid.Length > 0) UidItem(w, 0x52, u.ImplementationClassUid);
        if (u.AsyncOperations is { } ops)
        {
            w.U8(0x53); w.U8(0); w.U16(4); w.U16(ops.MaxInvoked); w.U16(ops.MaxPerformed);
        }
        foreach (var role in u.RoleSelections)
        {
            var r = BeginItem(w, 0x54);
            LengthPrefixed(w, role.SopClassUid);
            w.U8(role.ScuRole ? (byte)1 : (byte)0);
            w.U8(role.ScpRole ? (byte)1 : (byte)0);
            EndItem(w, r);
        }
        if (u.ImplementationVersionName is { } name) UidItem(w, 0x55, name);
        foreach (var ext in u.ExtendedNegotiations)
        {
            var r = BeginItem(w, 0x56);
            LengthPrefixed(w, ext.SopClassUid);
            w.Bytes(ext.ApplicationInformation.Span);
            EndItem(w, r);
        }
        foreach (var ext in u.CommonExtendedNegotiations)
        {
            var r = BeginItem(w, 0x57);
            LengthPrefixed(w, ext.SopClassUid);
            LengthPrefixed(w, ext.ServiceClassUid);
            var inner = w.Length;
            w.U16(0);
            foreach (var rel in ext.RelatedGeneralSopClasses) LengthPrefixed(w, rel);
            w.Patch16(inner, (ushort)(w.Length - inner - 2));
            EndItem(w, r);
        }
        if (u.UserIdentity is { } id)
        {
            var r = BeginItem(w, 0x58);
            w.U8((byte)id.IdentityType);
            w.U8(id.PositiveResponseRequested ? (byte)1 : (byte)0);
            w.U16((ushort)id.PrimaryField.Length); w.Bytes(id.PrimaryField.Span);
            w.U16((ushort)id.SecondaryField.Length); w.Bytes(id.SecondaryField.Span);
            EndItem(w, r);
        }
        if (u.UserIdentityResponse is { } idr)
        {
            var r = BeginItem(w, 0x59);
            w.U16((ushort)idr.ServerResponse.Length); w.Bytes(idr.ServerResponse.Span);
            EndItem(w, r);
        }
        foreach (var raw in u.Unknown)
        {
            w.U8(raw.ItemType); w.U8(0); w.U16((ushort)raw.Value.Length); w.Bytes(raw.Value.Span);
        }
        EndItem(w, at);
    }

    private static int BeginItem(BigEndianWriter w, byte type)
    {
        w.U8(type);
        w.U8(0);
        var at = w.Length;
        w.U16(0);
        return at;
    }

    private static void EndItem(BigEndianWriter w, int lengthAt)
    {
        var len = w.Length - lengthAt - 2;
        if (len > ushort.MaxValue) throw new ArgumentException("PDU item longer than 65535 bytes");
        w.Patch16(lengthAt, (ushort)len);
    }

    private static void UidItem(BigEndianWriter w, byte type, string uid)
    {
        var at = BeginItem(w, type);
        w.Ascii(uid);
        EndItem(w, at);
    }

    private static void LengthPrefixed(BigEndianWriter w, string uid)
    {
        w.U16((ushort)Encoding.ASCII.GetByteCount(uid));
        w.Ascii(uid);
    }

    // ------------------------------------------------------------------ decoding

    /// <summary>Decodes a whole PDU (header included).</summary>
    public static DicomPdu Decode(ReadOnlyMemory<byte> pdu)
    {
        if (pdu.Length < HeaderLength) throw new DicomFormatException("PDU shorter than its 6-byte header");
        var length = BinaryPrimitives.ReadUInt32BigEndian(pdu.Span[2..]);
        if (length != pdu.Length - HeaderLength) throw new DicomFormatException($"PDU length {length} does not match the {pdu.Length - HeaderLength} bytes present");
        return DecodeBody((PduType)pdu.Span[0], pdu[HeaderLength..]);
    }

    /// <summary>Decodes the body (after the 6-byte header) of a PDU of the given type.</summary>
    public static DicomPdu DecodeBody(PduType type, ReadOnlyMemory<byte> body)
    {
        var r = new BigEndianReader(body);
        switch (type)
        {
            case PduType.AssociateRequest:
            case PduType.AssociateAccept:
                return DecodeAssociate(type, ref r);
            case PduType.AssociateReject:
                r.Expect(4);
                r.Skip(1);
                return new AssociateRejectPdu((RejectResult)r.U8(), (RejectSource)r.U8(), r.U8());
            case PduType.DataTransfer:
                return new DataTransferPdu(DecodePdvs(body));
            case PduType.ReleaseRequest:
                r.Expect(4);
                return new ReleaseRequestPdu();
            case PduType.ReleaseResponse:
                r.Expect(4);
                return new ReleaseResponsePdu();
            case PduType.Abort:
                r.Expect(4);
                r.Skip(2);
                return new AbortPdu((AbortSource)r.U8(), (AbortReason)r.U8());
            default:
                throw new DicomFormatException($"unknown PDU type 0x{(byte)type:X2}");
        }
    }

    /// <summary>Splits a P-DATA-TF body into its PDVs (each at least the 2 header bytes).</summary>
    public static List<PresentationDataValue> DecodePdvs(ReadOnlyMemory<byte> body)
    {
        var list = new List<PresentationDataValue>(2);
        DecodePdvs(body, list);
        return list;
    }

    public static void DecodePdvs(ReadOnlyMemory<byte> body, List<PresentationDataValue> into)
    {
        var span = body.Span;
        int pos = 0;
        if (span.Length == 0) throw new DicomFormatException("P-DATA-TF without any PDV");
        while (pos < span.Length)
        {
            if (span.Length - pos < 6) throw new DicomFormatException("truncated PDV header", pos);
            var len = BinaryPrimitives.ReadUInt32BigEndian(span[pos..]);
            if (len < 2 || len > (uint)(span.Length - pos - 4)) throw new DicomFormatException($"PDV length {len} exceeds its PDU", pos);
            var flags = span[pos + 5];
            if ((flags & 0xFC) != 0) throw new DicomFormatException($"PDV message control header 0x{flags:X2} has reserved bits set", pos);
            into.Add(new PresentationDataValue(span[pos + 4], (flags & 1) != 0, (flags & 2) != 0, body.Slice(pos + 6, (int)len - 2)));
            pos += 4 + (int)len;
        }
    }

    private static AssociatePdu DecodeAssociate(PduType type, ref BigEndianReader r)
    {
        if (r.Remaining < 68) throw new DicomFormatException("A-ASSOCIATE PDU shorter than its fixed fields");
        var version = r.U16();
        r.Skip(2);
        var called = r.Ae();
        var calling = r.Ae();
        r.Skip(32);
        string? appContext = null;
        var proposals = new List<PresentationContextProposal>();
        var results = new List<PresentationContextResult>();
        UserInformation? user = null;
        while (r.Remaining > 0)
        {
            var itemType = r.U8();
            r.Skip(1);
            var len = r.U16();
            var item = r.Sub(len);
            switch (itemType)
            {
                case 0x10:
                    appContext = item.Ascii(len);
                    break;
                case 0x20 when type == PduType.AssociateRequest:
                    proposals.Add(DecodeProposal(ref item));
                    break;
                case 0x21 when type == PduType.AssociateAccept:
                    results.Add(DecodeResult(ref item));
                    break;
                case 0x50:
                    user = DecodeUserInformation(ref item);
                    break;
                default:
                    throw new DicomFormatException($"unexpected item 0x{itemType:X2} in {type}");
            }
        }
        if (appContext is null) throw new DicomFormatException("A-ASSOCIATE PDU without an application context item");
        if (type == PduType.AssociateRequest)
        {
            return new AssociateRequestPdu
            {
                ProtocolVersion = version, CalledAeTitle = called, CallingAeTitle = calling, ApplicationContext = appContext,
                PresentationContexts = proposals, UserInformation = user ?? new UserInformation(),
            };
        }
        return new AssociateAcceptPdu
        {
            ProtocolVersion = version, CalledAeTitle = called, CallingAeTitle = calling, ApplicationContext = appContext,
            PresentationContexts = results, UserInformation = user ?? new UserInformation(),
        };
    }

    private static PresentationContextProposal DecodeProposal(ref BigEndianReader r)
    {
        var id = r.U8();
        r.Skip(3);
        string? abstractSyntax = null;
        var ts = new List<string>();
        while (r.Remaining > 0)
        {
            var t = r.U8();
            r.Skip(1);
            var len = r.U16();
            var s = r.Sub(len).Ascii(len);
            if (t == 0x30) abstractSyntax = s;
            else if (t == 0x40) ts.Add(s);
            else throw new DicomFormatException($"unexpected sub-item 0x{t:X2} in a presentation context");
        }
        if (abstractSyntax is null) throw new DicomFormatException($"presentation context {id} has no abstract syntax");
        return new PresentationContextProposal(id, abstractSyntax, ts);
    }

    private static PresentationContextResult DecodeResult(ref BigEndianReader r)
    {
        var id = r.U8();
        r.Skip(1);
        var result = r.U8();
        r.Skip(1);
        var ts = "";
        while (r.Remaining > 0)
        {
            var t = r.U8();
            r.Skip(1);
            var len = r.U16();
            var s = r.Sub(len).Ascii(len);
            if (t == 0x40) ts = s;
            else throw new DicomFormatException($"unexpected sub-item 0x{t:X2} in a presentation context result");
        }
        return new PresentationContextResult(id, (PresentationContextResultCode)result, ts);
    }

    private static UserInformation DecodeUserInformation(ref BigEndianReader r)
    {
        uint max = 0;
        string impl = "";
        string? version = null;
        AsyncOperationsWindow? ops = null;
        var roles = new List<RoleSelection>();
        var ext = new List<ExtendedNegotiation>();
        var common = new List<CommonExtendedNegotiation>();
        var unknown = new List<RawSubItem>();
        UserIdentityRequest? identity = null;
        UserIdentityResponse? identityResponse = null;
        while (r.Remaining > 0)
        {
            var t = r.U8();
            r.Skip(1);
            var len = r.U16();
            var item = r.Sub(len);
            switch (t)
            {
                case 0x51: item.Expect(4); max = item.U32(); break;
                case 0x52: impl = item.Ascii(len); break;
                case 0x53: item.Expect(4); ops = new AsyncOperationsWindow(item.U16(), item.U16()); break;
                case 0x54:
                    {
                        var uid = item.Ascii(item.U16());
                        var scu = item.U8();
                        var scp = item.U8();
                        roles.Add(new RoleSelection(uid, scu == 1, scp == 1));
                        break;
                    }
                case 0x55: version = item.Ascii(len); break;
                case 0x56:
                    {
                        var uid = item.Ascii(item.U16());
                        ext.Add(new ExtendedNegotiation(uid, item.Rest().ToArray()));
                        break;
                    }
                case 0x57:
                    {
                        var sop = item.Ascii(item.U16());
                        var service = item.Ascii(item.U16());
                        var relLen = item.U16();
                        var rel = item.Sub(relLen);
                        var related = new List<string>();
                        while (rel.Remaining > 0) related.Add(rel.Ascii(rel.U16()));
                        common.Add(new CommonExtendedNegotiation(sop, service, related));
                        break;
                    }
                case 0x58:
                    {
                        var idType = (UserIdentityType)item.U8();
                        var positive = item.U8() == 1;
                        var primary = item.Bytes(item.U16());
                        var secondary = item.Remaining >= 2 ? item.Bytes(item.U16()) : ReadOnlyMemory<byte>.Empty;
                        identity = new UserIdentityRequest(idType, positive, primary, secondary);
                        break;
                    }
                case 0x59:
                    identityResponse = new UserIdentityResponse(item.Bytes(item.U16()));
                    break;
                default:
                    unknown.Add(new RawSubItem(t, item.Rest().ToArray()));
                    break;
            }
        }
        return new UserInformation
        {
            MaximumLength = max, ImplementationClassUid = impl, ImplementationVersionName = version, AsyncOperations = ops,
            RoleSelections = roles, ExtendedNegotiations = ext, CommonExtendedNegotiations = common, UserIdentity = identity,
            UserIdentityResponse = identityResponse, Unknown = unknown,
        };
    }
}
