/// The shared wire format of the STUN address attributes, plain and XOR-obfuscated.
///
/// RFC 8489 Section 14.1 (MAPPED-ADDRESS: one reserved byte, family, port, address) and
/// Section 14.2 (XOR-MAPPED-ADDRESS: port XOR the cookie's top 16 bits, address XOR the cookie,
/// and for IPv6 also XOR the transaction ID).
enum AddressAttributeCodec {
    static func decode(_ value: [UInt8], xorWith transactionID: STUNTransactionID?) throws(STUNParseError) -> STUNTransportAddress {
        guard value.count >= 4, let family = STUNAddressFamily(rawValue: value[1]) else {
            throw .invalidAttributeValue
        }
        let addressBytes = value[4...]
        let expected = family == .ipv4 ? 4 : 16
        guard addressBytes.count == expected, var port = value[2...].readUInt16() else {
            throw .invalidAttributeValue
        }
        var bytes = Array(addressBytes)
        if let transactionID {
            port ^= UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16)
            let mask = Self.mask(transactionID)
            for index in bytes.indices {
                bytes[index] ^= mask[index]
            }
        }
        guard let address = IPAddress(bytes: bytes) else { throw .invalidAttributeValue }
        return STUNTransportAddress(address: address, port: port)
    }

    static func encode(_ transportAddress: STUNTransportAddress, xorWith transactionID: STUNTransactionID?) -> [UInt8] {
        var out: [UInt8] = [0, transportAddress.address.family.rawValue]
        var port = transportAddress.port
        var bytes = transportAddress.address.bytes
        if let transactionID {
            port ^= UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16)
            let mask = Self.mask(transactionID)
            for index in bytes.indices {
                bytes[index] ^= mask[index]
            }
        }
        out.appendBigEndian(port)
        out.append(contentsOf: bytes)
        return out
    }

    /// The magic cookie followed by the transaction ID: 16 bytes of XOR mask.
    private static func mask(_ transactionID: STUNTransactionID) -> [UInt8] {
        var mask: [UInt8] = []
        mask.reserveCapacity(16)
        mask.appendBigEndian(STUNHeader.magicCookie)
        transactionID.write(into: &mask)
        return mask
    }
}

/// An attribute whose value is a plain transport address (RFC 8489 Section 14.1 format).
public protocol STUNPlainAddressAttribute: STUNAttributeValue {
    /// The transport address.
    var address: STUNTransportAddress { get }
    /// Creates the attribute from a transport address.
    init(_ address: STUNTransportAddress)
}

extension STUNPlainAddressAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        self.init(try AddressAttributeCodec.decode(value, xorWith: nil))
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        AddressAttributeCodec.encode(self.address, xorWith: nil)
    }
}

/// An attribute whose value is an XOR-obfuscated transport address (RFC 8489 Section 14.2 format).
public protocol STUNXORAddressAttribute: STUNAttributeValue {
    /// The transport address, already de-obfuscated.
    var address: STUNTransportAddress { get }
    /// Creates the attribute from a transport address.
    init(_ address: STUNTransportAddress)
}

extension STUNXORAddressAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        self.init(try AddressAttributeCodec.decode(value, xorWith: transactionID))
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        AddressAttributeCodec.encode(self.address, xorWith: transactionID)
    }
}
