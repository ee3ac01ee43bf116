/// A low-rate stream that keeps held allocations in use: each client sends one datagram per
/// interval to the shared peer socket, which drains and counts what arrives.
struct Trickle {
    /// The clients, each with an allocation whose permission covers the peer.
    var clients: [UDPSocket]
    /// The shared peer socket.
    var peer: UDPSocket
    /// The datagram each client sends (framing around the payload).
    var template: [UInt8]
    /// Seconds between two datagrams of one client.
    var interval: Double

    /// Sends and drains for `seconds`; returns (sent, received).
    func run(seconds: Double) -> (Int, Int) {
        let start = BenchClock.now()
        let end = start &+ UInt64(seconds * 1e9)
        let perSecond = Double(self.clients.count) / self.interval
        var buffer = [UInt8](repeating: 0, count: 2048)
        var attempted = 0
        var sent = 0
        var received = 0
        var cursor = 0
        guard let poller = try? Poller(capacity: 4), (try? poller.add(self.peer.fd, tag: 0)) != nil else { return (0, 0) }
        while true {
            let now = BenchClock.now()
            guard now < end else { break }
            let due = Int(perSecond * BenchClock.seconds(from: start, to: now)) - attempted
            for _ in 0..<max(0, min(due, 1000)) where !self.clients.isEmpty {
                attempted += 1
                if self.clients[cursor].send(self.template) { sent += 1 }
                cursor = (cursor + 1) % self.clients.count
            }
            poller.wait(timeoutMilliseconds: 10) { _ in
                for _ in 0..<1000 {
                    guard self.peer.receive(into: &buffer) != nil else { break }
                    received += 1
                }
            }
        }
        return (sent, received)
    }
}
