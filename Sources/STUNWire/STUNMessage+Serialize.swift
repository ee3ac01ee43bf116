extension STUNMessage {
    /// The message's wire bytes with its attributes exactly as they are, integrity and
    /// fingerprint attributes included as stored.
    public func serialize() -> [UInt8] {
        var buffer: [UInt8] = []
        self.serialize(into: &buffer)
        return buffer
    }

    /// Appends the message's wire bytes, attributes exactly as they are, to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        let start = buffer.count
        let bodyLength = self.attributes.reduce(0) { $0 + $1.encodedLength }
        buffer.reserveCapacity(start + STUNHeader.size + bodyLength)
        STUNHeader(messageType: self.type, length: bodyLength, transactionID: self.transactionID)
            .serialize(into: &buffer)
        for attribute in self.attributes {
            attribute.serialize(into: &buffer)
        }
    }

    /// The wire bytes with fresh integrity and fingerprint attributes.
    ///
    /// Any MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT already in
    /// ``attributes`` are left out; then the MAC over the message so far is appended (RFC 8489
    /// Section 14.5: the length field counts the integrity attribute), then FINGERPRINT
    /// (Section 14.7: CRC-32 of everything before it, XOR 0x5354554E).
    ///
    /// - Parameters:
    ///   - integrity: the key (see ``LongTermKey``) and algorithm, or nil for no integrity.
    ///   - fingerprint: whether to append FINGERPRINT.
    public func serialize(
        integrity: (key: [UInt8], algorithm: STUNIntegrityAlgorithm)?,
        fingerprint: Bool
    ) -> [UInt8] {
        var message = self
        message.attributes.removeAll {
            $0.type == .messageIntegrity || $0.type == .messageIntegritySHA256 || $0.type == .fingerprint
        }
        var buffer = message.serialize()
        if let integrity {
            let macLength = integrity.algorithm == .sha1 ? 20 : 32
            buffer.setBigEndian(UInt16(truncatingIfNeeded: buffer.count - STUNHeader.size + 4 + macLength), at: 2)
            let mac = STUNIntegrityCode.compute(integrity.algorithm, key: integrity.key, over: buffer)
            STUNAttribute(type: integrity.algorithm.attributeType, value: mac).serialize(into: &buffer)
        }
        if fingerprint {
            buffer.setBigEndian(UInt16(truncatingIfNeeded: buffer.count - STUNHeader.size + 8), at: 2)
            let crc = CRC32.checksum(buffer) ^ Fingerprint.xorValue
            STUNAttribute(Fingerprint(crc), transactionID: self.transactionID).serialize(into: &buffer)
        }
        return buffer
    }
}
