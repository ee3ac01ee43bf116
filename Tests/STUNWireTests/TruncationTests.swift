import STUNWire
import Testing
import TURNTestSupport

struct TruncationTests {
    /// A valid message to cut or mutate.
    struct Sample: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var bytes: [UInt8]
    }

    static let samples: [Sample] =
        RFC5769.Vector.allCases.map { Sample(testDescription: $0.description, bytes: $0.bytes) } + [
            Sample(testDescription: "Allocate request", bytes: SampleMessages.allocateRequest),
            Sample(testDescription: "Allocate error response", bytes: SampleMessages.allocateErrorResponse),
            Sample(testDescription: "Data indication", bytes: SampleMessages.dataIndication),
            Sample(testDescription: "ChannelBind request", bytes: SampleMessages.channelBindRequest),
            Sample(testDescription: "dual integrity", bytes: IntegrityTests.dualIntegrityMessage),
        ]

    /// The offsets where attributes start, and the end of the message, read from the
    /// type-length-value layout directly rather than through the parser.
    static func attributeBoundaries(_ bytes: [UInt8]) -> [Int] {
        var boundaries = [STUNHeader.size]
        var offset = STUNHeader.size
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4 + (length + 3) / 4 * 4
            boundaries.append(offset)
        }
        return boundaries
    }

    /// `bytes` with the header's length field set to match its size.
    static func patchingLength(_ bytes: [UInt8]) -> [UInt8] {
        var patched = bytes
        let length = bytes.count - STUNHeader.size
        patched[2] = UInt8(truncatingIfNeeded: length >> 8)
        patched[3] = UInt8(truncatingIfNeeded: length)
        return patched
    }

    @Test(arguments: samples)
    func samplesAreWellFormed(sample: Sample) throws {
        #expect(Self.attributeBoundaries(sample.bytes).last == sample.bytes.count)
        #expect(try STUNMessage(parsing: sample.bytes).serialize() == sample.bytes)
    }

    @Test(arguments: samples)
    func everyTruncationThrows(sample: Sample) {
        for count in 0..<sample.bytes.count {
            let prefix = Array(sample.bytes.prefix(count))
            let expected: STUNParseError = count < STUNHeader.size ? .truncated : .lengthMismatch
            #expect(throws: expected, "cut at \(count)") { try STUNMessage(parsing: prefix) }
        }
    }

    @Test(arguments: samples)
    func everyTruncationWithAPatchedLengthFailsOrStopsOnABoundary(sample: Sample) throws {
        let boundaries = Self.attributeBoundaries(sample.bytes)
        let full = try STUNMessage(parsing: sample.bytes)
        for count in 0..<sample.bytes.count {
            let prefix = Array(sample.bytes.prefix(count))
            if count < STUNHeader.size {
                #expect(throws: STUNParseError.truncated, "cut at \(count)") { try STUNMessage(parsing: prefix) }
                continue
            }
            let patched = Self.patchingLength(prefix)
            if (count - STUNHeader.size) % 4 != 0 {
                #expect(throws: STUNParseError.badLength, "cut at \(count)") { try STUNMessage(parsing: patched) }
            } else if let attributeCount = boundaries.firstIndex(of: count) {
                let message = try STUNMessage(parsing: patched)
                #expect(message.attributes == Array(full.attributes.prefix(attributeCount)), "cut at \(count)")
                #expect(!message.hasValidFingerprint)
                if let integrityOffset = full.messageIntegrityOffset, integrityOffset + 24 <= count {
                    #expect(message.hasValidMessageIntegrity(key: Self.key(for: sample)), "cut at \(count)")
                }
            } else {
                #expect(throws: STUNParseError.attributeTruncated, "cut at \(count)") {
                    try STUNMessage(parsing: patched)
                }
            }
        }
    }

    /// The MESSAGE-INTEGRITY key of a sample.
    static func key(for sample: Sample) -> [UInt8] {
        RFC5769.Vector.allCases.first { $0.bytes == sample.bytes }?.integrityKey ?? SampleMessages.key
    }

    @Test(arguments: samples)
    func headerTruncationsThrowTruncated(sample: Sample) {
        for count in 0..<STUNHeader.size {
            let prefix = Array(sample.bytes.prefix(count))
            #expect(throws: STUNParseError.truncated) { try STUNHeader(parsing: prefix.span) }
        }
    }

    // MARK: Random mutation

    static let typedAttributeKinds: [any STUNAttributeValue.Type] = AttributeRoundTripTests.samples.map { type(of: $0) }

    /// Decodes every typed attribute of `message`; malformed ones throw and are ignored.
    static func decodeEveryKind(of message: STUNMessage) {
        for kind in Self.typedAttributeKinds {
            Self.decodeAll(kind, in: message)
        }
    }

    private static func decodeAll<Value: STUNAttributeValue>(_: Value.Type, in message: STUNMessage) {
        _ = try? message.attributes(Value.self)
    }

    /// Applies one random edit: a bit flip, a byte overwrite, an insertion, a deletion, a
    /// 16-bit length-field edit, a cut or a duplicated slice.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        let index = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<7, using: &generator) {
        case 0 where !bytes.isEmpty:
            bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
        case 1 where !bytes.isEmpty:
            bytes[index] = UInt8.random(in: 0...255, using: &generator)
        case 2:
            bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
        case 3 where !bytes.isEmpty:
            bytes.remove(at: index)
        case 4:
            let boundaries = Self.attributeBoundaries(bytes).filter { $0 + 4 <= bytes.count }
            guard let boundary = boundaries.randomElement(using: &generator) else { return }
            let lengths = [0, 1, 3, 4, 5, 0x7FFF, 0xFFFF, Int.random(in: 0..<64, using: &generator)]
            let length = lengths.randomElement(using: &generator) ?? 0
            bytes[boundary + 2] = UInt8(truncatingIfNeeded: length >> 8)
            bytes[boundary + 3] = UInt8(truncatingIfNeeded: length)
        case 5:
            bytes.removeLast(bytes.count - index)
        default:
            let end = Int.random(in: index...bytes.count, using: &generator)
            bytes.insert(contentsOf: bytes[index..<end], at: end)
        }
    }

    @Test func randomMutationsNeverCrashAndReparse() {
        var generator = SplitMix64(seed: 0x5354_554E)
        let seeds = Self.samples.map(\.bytes)
        var parsed = 0
        var notReparsed: [[UInt8]] = []
        var notStable: [[UInt8]] = []
        for _ in 0..<20_000 {
            var bytes = seeds.randomElement(using: &generator) ?? []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            if bytes.count >= STUNHeader.size, Bool.random(using: &generator) {
                bytes = Self.patchingLength(bytes)
            }
            _ = try? ChannelDataHeader.parseDatagram(bytes.span)
            _ = try? STUNStreamFraming.frame(at: bytes.span)
            guard let message = try? STUNMessage(parsing: bytes) else { continue }
            parsed += 1
            Self.decodeEveryKind(of: message)
            _ = message.hasValidFingerprint
            _ = message.hasValidMessageIntegrity(key: SampleMessages.key)
            _ = message.hasValidMessageIntegritySHA256(key: SampleMessages.key)
            _ = message.serialize(integrity: (SampleMessages.key, .sha256), fingerprint: true)
            let reserialised = message.serialize()
            guard let again = try? STUNMessage(parsing: reserialised) else {
                notReparsed.append(bytes)
                continue
            }
            let stable = again.attributes == message.attributes && again.type == message.type
            if !stable || again.serialize() != reserialised {
                notStable.append(bytes)
            }
        }
        #expect(notReparsed.isEmpty)
        #expect(notStable.isEmpty)
        #expect(parsed > 1_000, "the mutations should leave many messages parseable")
    }
}
