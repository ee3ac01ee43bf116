import STUNWire
import Testing
import TURNTestSupport

struct ChannelDataTests {
    /// Channel 0x4001 with five bytes of data, then `padding` zero bytes.
    static func datagram(padding: Int) -> [UInt8] {
        [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5] + Array(repeating: 0, count: padding)
    }

    @Test func parsesTheHeader() throws {
        let bytes: [UInt8] = [0x7F, 0xFE, 0x01, 0x02]
        let header = try ChannelDataHeader(parsing: bytes.span)
        #expect(header == ChannelDataHeader(channelNumber: 0x7FFE, length: 0x0102))
    }

    @Test(arguments: 0..<4)
    func headerNeedsFourBytes(count: Int) {
        let bytes = Array(Self.datagram(padding: 0).prefix(count))
        #expect(throws: STUNParseError.truncated) { try ChannelDataHeader(parsing: bytes.span) }
        #expect(throws: STUNParseError.truncated) { try ChannelDataHeader.parseDatagram(bytes.span) }
    }

    @Test(arguments: 0...3)
    func acceptsUpToThreeBytesOfPadding(padding: Int) throws {
        let bytes = Self.datagram(padding: padding)
        let (header, payload) = try ChannelDataHeader.parseDatagram(bytes.span)
        #expect(header == ChannelDataHeader(channelNumber: 0x4001, length: 5))
        #expect(payload == 4..<9)
        #expect(Array(bytes[payload]) == [1, 2, 3, 4, 5])
    }

    @Test(arguments: 4...8)
    func rejectsFourOrMoreBytesOfPadding(padding: Int) {
        let bytes = Self.datagram(padding: padding)
        #expect(throws: STUNParseError.lengthMismatch) { try ChannelDataHeader.parseDatagram(bytes.span) }
    }

    @Test(arguments: 0..<5)
    func rejectsALengthPastTheEnd(cut: Int) {
        let bytes = Array(Self.datagram(padding: 0).prefix(4 + cut))
        #expect(throws: STUNParseError.lengthMismatch) { try ChannelDataHeader.parseDatagram(bytes.span) }
    }

    @Test func acceptsAnEmptyPayload() throws {
        let bytes: [UInt8] = [0x40, 0x00, 0x00, 0x00]
        let (header, payload) = try ChannelDataHeader.parseDatagram(bytes.span)
        #expect(header.length == 0)
        #expect(payload.isEmpty)
        #expect(payload.lowerBound == 4)
    }

    @Test(arguments: [UInt8(0x00), 0x3F, 0x80, 0xBF, 0xC0, 0xFF])
    func rejectsFirstBitsOtherThan01(first: UInt8) {
        var bytes = Self.datagram(padding: 3)
        bytes[0] = first
        #expect(throws: STUNParseError.notChannelData) { try ChannelDataHeader(parsing: bytes.span) }
        #expect(throws: STUNParseError.notChannelData) { try ChannelDataHeader.parseDatagram(bytes.span) }
    }

    @Test func wireValueIsTheHeaderAsOneWord() {
        #expect(ChannelDataHeader(channelNumber: 0x4001, length: 0x1234).wireValue == 0x4001_1234)
        #expect(ChannelDataHeader(channelNumber: 0x7FFF, length: 0xFFFF).wireValue == 0x7FFF_FFFF)
        #expect(ChannelDataHeader(channelNumber: 0x4000, length: 0).wireValue == 0x4000_0000)
    }

    @Test(arguments: [(0, 4), (1, 8), (3, 8), (4, 8), (5, 12), (8, 12), (65535, 65540)])
    func streamFrameLengthPadsToFour(length: Int, frameLength: Int) {
        #expect(ChannelDataHeader(channelNumber: 0x4000, length: length).streamFrameLength == frameLength)
    }

    @Test func serialisesPaddedAndUnpadded() {
        var unpadded: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3, 4, 5], padded: false, into: &unpadded)
        #expect(unpadded == Self.datagram(padding: 0))

        var padded: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3, 4, 5], padded: true, into: &padded)
        #expect(padded == Self.datagram(padding: 3))

        var aligned: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3, 4], padded: true, into: &aligned)
        #expect(aligned == [0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4])
    }

    @Test func serialisedFramesParseBack() throws {
        for count in 0..<9 {
            let data = (0..<count).map { UInt8($0) }
            var bytes: [UInt8] = []
            ChannelDataHeader.serialize(channelNumber: 0x4ABC, data: data, padded: true, into: &bytes)
            #expect(bytes.count == ChannelDataHeader(channelNumber: 0x4ABC, length: count).streamFrameLength)
            let (header, payload) = try ChannelDataHeader.parseDatagram(bytes.span)
            #expect(header.channelNumber == 0x4ABC)
            #expect(Array(bytes[payload]) == data)
        }
    }

    @Test func paddingIsRelativeToTheFrameNotTheBuffer() {
        var buffer: [UInt8] = [0xAA, 0xBB, 0xCC]
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3, 4, 5], padded: true, into: &buffer)
        #expect(buffer == [0xAA, 0xBB, 0xCC] + Self.datagram(padding: 3))
    }

    // MARK: Stream framing

    @Test(arguments: RFC5769.Vector.allCases)
    func framesASTUNMessage(vector: RFC5769.Vector) throws {
        let frame = try STUNStreamFraming.frame(at: vector.bytes.span)
        #expect(frame == .stun(length: vector.bytes.count))
        #expect(frame?.length == vector.bytes.count)
    }

    @Test func framesASTUNMessageFromItsFirstFourBytes() throws {
        let bytes = Array(RFC5769.sampleRequest.prefix(4))
        #expect(try STUNStreamFraming.frame(at: bytes.span) == .stun(length: 108))
    }

    @Test(arguments: [(0, 4), (1, 8), (5, 12), (8, 12)])
    func framesChannelDataWithPadding(length: Int, frameLength: Int) throws {
        let bytes: [UInt8] = [0x40, 0x01, UInt8(length >> 8), UInt8(length & 0xFF)]
        let frame = try STUNStreamFraming.frame(at: bytes.span)
        #expect(frame == .channelData(length: frameLength))
        #expect(frame?.length == frameLength)
    }

    @Test(arguments: 0..<4)
    func needsFourBytesToTell(count: Int) throws {
        let bytes = Array(Self.datagram(padding: 0).prefix(count))
        #expect(try STUNStreamFraming.frame(at: bytes.span) == nil)
    }

    @Test(arguments: [UInt8(0x80), 0xBF, 0xC0, 0xFF])
    func rejectsFirstBits10And11(first: UInt8) {
        let bytes: [UInt8] = [first, 0x01, 0x00, 0x04]
        #expect(throws: STUNParseError.notSTUN) { try STUNStreamFraming.frame(at: bytes.span) }
    }

    @Test(arguments: [1, 2, 3, 0x4E, 0xFFFF])
    func rejectsAnOddSTUNLength(length: Int) {
        let bytes: [UInt8] = [0x00, 0x01, UInt8(length >> 8), UInt8(length & 0xFF)]
        #expect(throws: STUNParseError.badLength) { try STUNStreamFraming.frame(at: bytes.span) }
    }

    @Test func splitsAStreamOfMixedFrames() throws {
        var stream = RFC5769.sampleIPv4Response
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3], padded: true, into: &stream)
        stream += RFC5769.sampleRequest
        var frames: [STUNStreamFraming.Frame] = []
        var offset = 0
        while offset < stream.count {
            let rest = Array(stream[offset...])
            let frame = try #require(try STUNStreamFraming.frame(at: rest.span))
            frames.append(frame)
            offset += frame.length
        }
        #expect(frames == [.stun(length: 80), .channelData(length: 8), .stun(length: 108)])
        #expect(offset == stream.count)
    }
}
