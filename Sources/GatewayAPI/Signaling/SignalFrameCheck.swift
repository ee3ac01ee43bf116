/// Signaling's reading of a client's text frame, without a socket: for the fuzz target, which
/// drives it with any input.
package enum SignalFrameCheck {
    /// What a frame came to.
    package struct Outcome: Sendable, Hashable {
        /// `authenticate`, `signal`, `control` (an Engine.IO or Socket.IO packet without an
        /// event), or the code of the error the socket is sent.
        package var label: String
        /// For a `signal`: whether its data, delivered in a `signal` event, reads back the same.
        package var dataSurvivesDelivery: Bool
    }

    /// Reads `text` as a frame of the plain framing, or of Socket.IO when `socketIO`.
    package static func read(_ text: String, socketIO: Bool) -> Outcome {
        let request: SignalRequest?
        do throws(SignalError) {
            if socketIO {
                guard case .event(let event) = try SocketIOPacket(text[...].utf8) else { return Outcome(label: "control", dataSurvivesDelivery: true) }
                request = event
            } else {
                request = try SignalRequest.plain(text.utf8)
            }
        } catch {
            return Outcome(label: error.code, dataSurvivesDelivery: true)
        }
        guard case .signal(_, let data)? = request else { return Outcome(label: request?.typeLabel ?? "control", dataSurvivesDelivery: true) }
        let delivered = SignalEvent.signal(from: "p_fuzz", data: data)
        guard case .object(let object)? = SignalJSON.parse(delivered.json.utf8) else {
            return Outcome(label: "signal", dataSurvivesDelivery: false)
        }
        return Outcome(label: "signal", dataSurvivesDelivery: object["data"] == data)
    }
}
