extension STUNMessage {
    /// Whether the parsed message's MESSAGE-INTEGRITY is an HMAC-SHA1 under `key`.
    ///
    /// RFC 8489 Section 14.5: the MAC covers the message up to the attribute, with the header's
    /// length adjusted to end just after MESSAGE-INTEGRITY. Computed over the original ``bytes``.
    /// False when the message has no MESSAGE-INTEGRITY or was not parsed.
    public func hasValidMessageIntegrity(key: [UInt8]) -> Bool {
        guard let offset = self.messageIntegrityOffset else { return false }
        return self.isValidIntegrity(at: offset, algorithm: .sha1, key: key, macLengths: 20...20)
    }

    /// Whether the parsed message's MESSAGE-INTEGRITY-SHA256 is an HMAC-SHA256 under `key`.
    ///
    /// RFC 8489 Section 14.6: the value may be truncated to 16..32 bytes in steps of four.
    /// False when the message has no MESSAGE-INTEGRITY-SHA256 or was not parsed.
    public func hasValidMessageIntegritySHA256(key: [UInt8]) -> Bool {
        guard let offset = self.messageIntegritySHA256Offset else { return false }
        return self.isValidIntegrity(at: offset, algorithm: .sha256, key: key, macLengths: 16...32)
    }

    /// The strongest integrity attribute present: SHA-256 when there is one, else SHA-1.
    public var integrityAlgorithm: STUNIntegrityAlgorithm? {
        if self.messageIntegritySHA256Offset != nil { return .sha256 }
        if self.messageIntegrityOffset != nil { return .sha1 }
        return nil
    }

    /// Whether the parsed message carries a FINGERPRINT that matches its bytes.
    ///
    /// RFC 8489 Section 14.7: CRC-32 of the message up to the attribute, with the length field
    /// covering the attribute, XOR 0x5354554E.
    public var hasValidFingerprint: Bool {
        guard let offset = self.fingerprintOffset, self.bytes.count == offset + 8,
            self.bytes[(offset + 2)...].readUInt16() == 4
        else { return false }
        let length = UInt16(truncatingIfNeeded: offset + 8 - STUNHeader.size)
        var crc = CRC32.update(CRC32.initial, self.bytes[0..<2])
        crc = CRC32.update(crc, [UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)])
        crc = CRC32.update(crc, self.bytes[4..<offset])
        let expected = CRC32.finish(crc) ^ Fingerprint.xorValue
        return self.bytes[(offset + 4)...].readUInt32() == expected
    }

    private func isValidIntegrity(
        at offset: Int,
        algorithm: STUNIntegrityAlgorithm,
        key: [UInt8],
        macLengths: ClosedRange<Int>
    ) -> Bool {
        guard self.bytes.count >= offset + 4, let declared = self.bytes[(offset + 2)...].readUInt16() else {
            return false
        }
        let macLength = Int(declared)
        guard macLengths.contains(macLength), macLength % 4 == 0, self.bytes.count >= offset + 4 + macLength else {
            return false
        }
        var covered = Array(self.bytes[0..<offset])
        covered.setBigEndian(UInt16(truncatingIfNeeded: offset + 4 + macLength - STUNHeader.size), at: 2)
        let mac = self.bytes[(offset + 4)..<(offset + 4 + macLength)]
        return STUNIntegrityCode.isValid(mac, algorithm: algorithm, key: key, over: covered)
    }
}
