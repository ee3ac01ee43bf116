import NIOCore
import NIOEmbedded
import Testing
@testable import TURNServer

struct StreamConnectionCounterTests {
    static func source(_ ip: String) throws -> StreamSource {
        try #require(StreamSource(try SocketAddress(ipAddress: ip, port: 40000)))
    }

    @Test func refusesPastTheTotalAndAdmitsAgainAfterARelease() throws {
        let counter = StreamConnectionCounter(total: 2, perSource: 0)
        let a = try Self.source("192.0.2.1"), b = try Self.source("192.0.2.2"), c = try Self.source("192.0.2.3")
        #expect(counter.admit(a) == nil)
        #expect(counter.admit(b) == nil)
        #expect(counter.admit(c) == .total)
        counter.release(a)
        #expect(counter.admit(c) == nil)
        #expect(counter.openConnections == 2)
    }

    @Test func refusesPastThePerSourceLimitWithoutTouchingOtherSources() throws {
        let counter = StreamConnectionCounter(total: 0, perSource: 2)
        let a = try Self.source("192.0.2.1"), b = try Self.source("192.0.2.2")
        #expect(counter.admit(a) == nil)
        #expect(counter.admit(a) == nil)
        #expect(counter.admit(a) == .source)
        #expect(counter.admit(b) == nil)
        counter.release(a)
        #expect(counter.admit(a) == nil)
        #expect(counter.openConnections == 3)
    }

    @Test func anIPv6SourceIsItsSlash64() throws {
        let counter = StreamConnectionCounter(total: 0, perSource: 1)
        #expect(counter.admit(try Self.source("2001:db8:1:2::1")) == nil)
        #expect(counter.admit(try Self.source("2001:db8:1:2:ffff::9")) == .source)
        #expect(counter.admit(try Self.source("2001:db8:1:3::1")) == nil)
    }

    @Test func anIPv4MappedSourceCountsAsItsIPv4Address() throws {
        #expect(try Self.source("::ffff:192.0.2.7") == Self.source("192.0.2.7"))
    }

    @Test func aRefusedConnectionIsClosedBeforeAnythingElseSeesIt() throws {
        let counter = StreamConnectionCounter(total: 1, perSource: 0)
        #expect(counter.admit(nil) == nil)
        var refusals: [StreamConnectionCounter.Refusal] = []
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(StreamConnectionLimitHandler(counter: counter) { refusal, _ in refusals.append(refusal) })
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 3478)).wait()
        #expect(refusals == [.total])
        #expect(!channel.isActive)
        #expect(counter.openConnections == 1)
    }

    @Test func anAdmittedConnectionGivesItsSlotBackWhenItCloses() throws {
        let counter = StreamConnectionCounter(total: 1, perSource: 1)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(StreamConnectionLimitHandler(counter: counter) { _, _ in })
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 3478)).wait()
        #expect(channel.isActive)
        #expect(counter.openConnections == 1)
        _ = try channel.finish()
        #expect(counter.openConnections == 0)
    }
}
