import Foundation
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import TURNServer

/// `AcceptFailureHandler.addAcceptPause(toRunning:onFailure:)`, for listeners that are already
/// bound (the gateway's): the handler goes in front of every handler already there, so an
/// accept failure reaches it even when a handler behind it (NIO's `AcceptBackoffHandler`
/// in an async bootstrap) would swallow it.
struct AcceptPauseTests {
    /// Records the errors that reach it and swallows them, as NIO's `AcceptBackoffHandler`
    /// does in an async `ServerBootstrap`.
    final class ErrorSwallower: ChannelInboundHandler, Sendable {
        typealias InboundIn = NIOAny
        let seen = Mutex<[String]>([])
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.seen.withLock { $0.append("\(error)") }
        }
    }

    @Test func anAcceptFailureReachesThePauseBeforeAnyHandlerAlreadyThere() async throws {
        let channel = NIOAsyncTestingChannel()
        let swallower = ErrorSwallower()
        try await channel.pipeline.addHandler(swallower)
        let failures = Mutex(0)
        try await AcceptFailureHandler.addAcceptPause(toRunning: channel) { failures.withLock { $0 += 1 } }
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))
        }
        #expect(failures.withLock { $0 } == 1)
        #expect(swallower.seen.withLock { $0 }.isEmpty)
        try await channel.testingEventLoop.executeInContext {
            channel.pipeline.fireErrorCaught(ChannelError.inappropriateOperationForState)
        }
        #expect(failures.withLock { $0 } == 1, "only I/O errors are accept failures")
        #expect(swallower.seen.withLock { $0 }.count == 1)
        _ = try? await channel.finish()
    }
}
