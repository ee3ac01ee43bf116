import GatewayAPI

/// Signaling's parsing of a client's frames (plain JSON and Socket.IO packets): any input is
/// read without a crash, and a `signal`'s data is delivered unchanged.
///
/// The first byte chooses the framing; the rest is the frame's text.
enum SignalTarget {
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let socketIO = input.byte() % 2 == 1
        let outcome = SignalFrameCheck.read(String(decoding: input.rest(), as: UTF8.self), socketIO: socketIO)
        precondition(outcome.dataSurvivesDelivery, "a signal's data changed on its way to the peer")
    }
}
