import NIOCore
import Testing
import TURNMetrics
@testable import TURNServer

struct StreamDeadlineStateMachineTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static let timeouts = StreamDeadlineStateMachine.Timeouts(handshake: .seconds(10), firstFrame: .seconds(5), idle: .seconds(60))

    static func at(_ seconds: Int64) -> NIODeadline { Self.start + .seconds(seconds) }

    @Test func aSilentConnectionIsClosedAtTheFirstFrameDeadline() {
        var machine = StreamDeadlineStateMachine(timeouts: Self.timeouts, tls: false, now: Self.start)
        #expect(machine.firstAction == .check(at: Self.at(5)))
        #expect(machine.timerFired(now: Self.at(5)) == .close(.firstFrameTimeout))
    }

    @Test func aFrameStartsTheIdleTimerAndEachFrameResetsIt() {
        var machine = StreamDeadlineStateMachine(timeouts: Self.timeouts, tls: false, now: Self.start)
        machine.frameReceived(now: Self.at(1))
        #expect(machine.timerFired(now: Self.at(5)) == .check(at: Self.at(61)))
        machine.frameReceived(now: Self.at(50))
        #expect(machine.timerFired(now: Self.at(61)) == .check(at: Self.at(110)))
        #expect(machine.timerFired(now: Self.at(110)) == .close(.idleTimeout))
    }

    @Test func aTLSConnectionMustFinishItsHandshakeInTime() {
        var machine = StreamDeadlineStateMachine(timeouts: Self.timeouts, tls: true, now: Self.start)
        #expect(machine.firstAction == .check(at: Self.at(10)))
        #expect(machine.timerFired(now: Self.at(10)) == .close(.handshakeTimeout))
    }

    @Test func theFirstFrameDeadlineOfATLSConnectionStartsAtTheEndOfTheHandshake() {
        var machine = StreamDeadlineStateMachine(timeouts: Self.timeouts, tls: true, now: Self.start)
        machine.handshakeCompleted(now: Self.at(8))
        #expect(machine.timerFired(now: Self.at(10)) == .check(at: Self.at(13)))
        #expect(machine.timerFired(now: Self.at(13)) == .close(.firstFrameTimeout))
    }

    @Test func withoutAHandshakeTimeoutTheFirstFrameDeadlineCoversTheHandshake() {
        let timeouts = StreamDeadlineStateMachine.Timeouts(handshake: nil, firstFrame: .seconds(5), idle: nil)
        var machine = StreamDeadlineStateMachine(timeouts: timeouts, tls: true, now: Self.start)
        #expect(machine.timerFired(now: Self.at(5)) == .close(.firstFrameTimeout))
    }

    @Test func aClosedConnectionStaysClosed() {
        var machine = StreamDeadlineStateMachine(timeouts: Self.timeouts, tls: false, now: Self.start)
        #expect(machine.timerFired(now: Self.at(6)) == .close(.firstFrameTimeout))
        machine.frameReceived(now: Self.at(7))
        #expect(machine.timerFired(now: Self.at(100)) == .wait)
    }
}
