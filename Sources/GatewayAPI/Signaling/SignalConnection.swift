import Foundation
import HummingbirdWebSocket
import NIOCore

/// One signaling WebSocket from upgrade to close: a writer draining the socket's outbox, a
/// reader handling the client's messages in order, and on Socket.IO the Engine.IO heartbeat.
struct SignalConnection: Sendable {
    let hub: SignalHub
    let core: GatewayCore
    let socket: SignalSocket
    /// The connection: closed outright when the client has not let a server-initiated close
    /// through within ``closeGrace`` (it does not read, so even the close frame waits).
    let channel: any Channel
    /// The settings in force at the upgrade (the message size and ping interval of the
    /// listener's WebSocket configuration stay those of the start).
    let settings: SignalSettings

    /// Runs until the client or the server closes the socket; a socket with a `refusal` (the
    /// upgrade broke the listener's rules) is sent it and closed at once.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, refusal: SignalError?) async {
        if let refusal {
            self.hub.reject(self.socket, refusal)
        } else {
            self.hub.opened(self.socket, settings: self.settings)
            if self.socket.framing == .socketIO { self.socket.send(text: self.openPacket) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.write(to: outbound) }
            group.addTask { await self.closeWhenStuck() }
            guard refusal == nil else {
                await group.next()
                group.cancelAll()
                return
            }
            group.addTask { await self.read(inbound) }
            if self.socket.framing == .socketIO { group.addTask { await self.heartbeat() } }
            await group.next()
            group.cancelAll()
        }
        await self.hub.closed(self.socket)
    }

    /// How long a socket the server closes may take to let the close through.
    static let closeGrace = Duration.seconds(5)

    /// Once the server has decided to close the socket, waits ``closeGrace`` and closes the
    /// connection: a client that does not read holds the writer (and the close frame) forever.
    private func closeWhenStuck() async {
        for await _ in self.socket.closing {}
        guard (try? await Task.sleep(for: Self.closeGrace)) != nil else { return }
        self.channel.close(promise: nil)
        await self.hub.closed(self.socket)
    }

    private func write(to outbound: WebSocketOutboundWriter) async {
        do {
            for await item in self.socket.outbox {
                switch item {
                case .text(let text):
                    try await outbound.write(.text(text))
                    self.socket.written(bytes: text.utf8.count)
                case .close(let code, let reason):
                    try await outbound.close(.unknown(code), reason: reason)
                    return
                }
            }
        } catch {
            return
        }
    }

    private func read(_ inbound: WebSocketInboundStream) async {
        var budget = SignalMessageBudget(rate: self.settings.messageRate, now: .now)
        var connected = self.socket.framing == .plain
        do {
            for try await message in inbound.messages(maxSize: self.settings.frameLimitBytes) {
                guard case .text(let text) = message else {
                    self.refuse(.badMessage("messages are JSON text frames"), type: "invalid")
                    continue
                }
                let limits = self.core.settings.configuration.signaling ?? self.settings
                guard text.utf8.count <= limits.maxMessageBytes else {
                    self.core.security.event(.oversized, reason: "message_too_large", client: self.socket.client)
                    self.refuse(.messageTooLarge, type: "invalid")
                    continue
                }
                guard budget.spend(rate: limits.messageRate, now: .now) else {
                    self.core.security.event(.rateLimited, reason: "signal", client: self.socket.client)
                    self.refuse(.rateLimited, type: "invalid")
                    continue
                }
                let request: SignalRequest
                do throws(SignalError) {
                    switch self.socket.framing {
                    case .plain:
                        request = try SignalRequest.plain(text.utf8)
                    case .socketIO:
                        guard let event = try self.engineIO(SocketIOPacket(text[...].utf8), connected: &connected) else { continue }
                        request = event
                    }
                } catch {
                    self.refuse(error, type: "invalid")
                    continue
                }
                self.hub.metrics.message(request.typeLabel)
                await self.handle(request)
            }
        } catch {
            return
        }
    }

    /// Answers Engine.IO and Socket.IO control packets; returns the event a packet carries.
    private func engineIO(_ packet: SocketIOPacket, connected: inout Bool) throws(SignalError) -> SignalRequest? {
        switch packet {
        case .pong:
            self.socket.receivedPong()
        case .ping(let reply):
            self.socket.send(text: reply)
        case .connect:
            connected = true
            self.socket.send(text: "40" + SignalJSON.object(["sid": .string(self.socket.id)]).text)
        case .connectRefused(let reply):
            self.socket.send(text: reply)
        case .disconnect:
            self.socket.closeQuietly()
        case .ignored:
            break
        case .event(let request):
            guard connected else { throw .badMessage("connect to the namespace first") }
            return request
        }
        return nil
    }

    private func handle(_ request: SignalRequest) async {
        switch request {
        case .authenticate(let token, let room):
            do throws(SignalError) {
                try await self.hub.authenticate(self.socket, token: token, room: room)
            } catch {
                self.hub.reject(self.socket, error)
            }
        case .signal(let to, let data):
            do throws(SignalError) {
                try await self.hub.signal(from: self.socket, to: to, data: data)
            } catch {
                self.hub.reject(self.socket, error)
            }
        }
    }

    /// Engine.IO's OPEN packet: the session id, no upgrades (WebSocket only), the heartbeat
    /// (the client waits `pingInterval + pingTimeout` for a ping) and the largest message.
    private var openPacket: String {
        let interval = SignalJSON.number(Double(self.settings.pingIntervalSeconds * 1000))
        let fields: [String: SignalJSON] = [
            "sid": .string(self.socket.id), "upgrades": .array([]), "pingInterval": interval, "pingTimeout": interval,
            "maxPayload": .number(Double(self.settings.maxMessageBytes)),
        ]
        return "0" + SignalJSON.object(fields).text
    }

    /// Engine.IO v4's heartbeat: a PING (`2`) every `signal-ping-interval`; a client that has
    /// not answered the previous one with a PONG by then is closed.
    private func heartbeat() async {
        let interval = Duration.seconds(self.settings.pingIntervalSeconds)
        var first = true
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            guard first || self.socket.takePong() else {
                self.socket.closeQuietly(code: 1001, reason: "ping timeout")
                return
            }
            first = false
            self.socket.send(text: "2")
        }
    }

    private func refuse(_ error: SignalError, type: String) {
        self.hub.metrics.message(type)
        self.hub.reject(self.socket, error)
    }
}
