import Foundation
import Logging
import NIOCore
import STUNWire
import TURNCore
import TURNLogging

/// The control path: STUN messages from clients go to the processor, and its actions are
/// carried out (RFC 8656 Sections 7-11).
extension RelayLoop {
    /// A STUN message from a client. Send indications take the allocation-free path.
    func receiveControl(_ message: UnsafeRawBufferPointer, on fiveTuple: FiveTuple, link: ClientLink) {
        let bytes = message.assumingMemoryBound(to: UInt8.self)
        if SendIndicationView.isSendIndication(bytes.span) {
            self.receiveSendIndication(message, on: fiveTuple)
            return
        }
        let actions = self.processor.handle(bytes.span, on: fiveTuple, now: .now, date: Date())
        if self.deferForCredentialMiss(actions, message: message, on: fiveTuple, link: link) { return }
        self.perform(actions, link: link, message: message)
    }

    /// Executes the processor's actions; `message` is the message they answer, whose bytes a
    /// ``TURNAction/sendToPeer(_:peer:data:)`` range points into.
    func perform(_ actions: [TURNAction], link: ClientLink, message: UnsafeRawBufferPointer? = nil) {
        for action in actions {
            switch action {
            case .respond(let bytes, let summary):
                self.metrics.response(method: summary.method.rawValue, errorCode: summary.errorCode?.rawValue)
                if let refusal = summary.refusal {
                    self.recordRefusal(refusal, summary: summary, link: link)
                } else if let code = summary.errorCode {
                    self.logger.debug("request refused", metadata: [
                        "turn.client": "\(link.clientDescription)", "turn.method": "\(summary.method)", "turn.error.code": "\(code)",
                    ])
                }
                self.send(bytes, to: link)
            case .redirect(let bytes, let summary, let origin, let destination):
                self.metrics.response(method: summary.method.rawValue, errorCode: summary.errorCode?.rawValue)
                self.redirect(bytes, to: link, from: origin, to: destination)
            case .openRelay(let request):
                self.openRelay(request, link: link)
            case .closeRelay(let fiveTuple, let endpoint):
                self.closeRelay(fiveTuple, endpoint: RelayEndpoint.of(endpoint?.endpoint))
            case .sendToPeer(let fiveTuple, let peer, let data):
                guard let message, let endpoint = self.endpoint(of: fiveTuple) else { continue }
                self.forward(message, range: data, to: peer, from: endpoint, now: .now)
            case .connectPeer(let request):
                self.connectPeer(request, link: link)
            case .bindConnection(let request):
                self.bindConnection(request, link: link)
            case .ignore(let reason):
                self.metrics.ignored(reason: reason.rawValue)
            }
        }
    }

    /// Carries out the ``TURNAction/closeRelay(_:endpoint:)`` actions among `actions`.
    func closeRelays(_ actions: [TURNAction]) {
        for action in actions {
            if case .closeRelay(let fiveTuple, let endpoint) = action {
                self.closeRelay(fiveTuple, endpoint: RelayEndpoint.of(endpoint?.endpoint))
            }
        }
    }

    /// Sends a whole message to the client (a response or an indication), at the end of the
    /// read batch.
    func send(_ message: [UInt8], to link: ClientLink) {
        switch link {
        case .datagram(let listener, let client):
            self.outbox.enqueue(from: listener, to: client, length: message.count) { out in
                message.withUnsafeBytes { out.copyMemory(from: $0) }
            }
        case .stream(let connection):
            connection.write(connection.allocator.buffer(bytes: message), promise: nil)
            self.scheduleFlush(connection)
        }
    }

    /// Sends a Binding response of a UDP client's request from this loop's listener socket on
    /// `origin` to `destination` (RFC 5780); nothing when this loop has no socket there.
    private func redirect(_ message: [UInt8], to link: ClientLink, from origin: STUNTransportAddress, to destination: STUNTransportAddress) {
        guard case .datagram = link, let sender = self.listenerSenders[origin] else { return }
        self.send(message, to: .datagram(listener: sender, client: destination))
    }

    /// Samples the `request refused` lines: at most one a second per refusal reason, shared by
    /// every loop of the process so that the rate holds whatever loop a flood lands on.
    static let refusalSampler = LogSampler<String>(interval: .seconds(1))

    /// Counts a refusal and logs it as a security event, except the ordinary first 401
    /// challenge of every client.
    ///
    /// Every refusal is counted; the log has at most one line a second per reason across the
    /// loops (``refusalSampler``), with `turn.suppressed` the number left out since the last.
    private func recordRefusal(_ refusal: TURNRefusal, summary: ResponseSummary, link: ClientLink) {
        if case .authentication(let reason) = refusal {
            self.metrics.refused(reason.rawValue, authentication: true)
            if reason == .missingIntegrity { return }
        } else {
            self.metrics.refused(refusal.label, authentication: false)
        }
        guard let suppressed = Self.refusalSampler.admit(refusal.label, now: .now) else { return }
        var metadata: Logger.Metadata = [
            "turn.event": "request_refused", "turn.reason": "\(refusal.label)", "turn.client": "\(link.clientDescription)",
            "turn.method": "\(summary.method)", "turn.error.code": "\(summary.errorCode?.rawValue ?? 0)",
        ]
        if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
        self.logger.notice("request refused", metadata: metadata)
    }
}
