/// How an engine waits for datagrams and hands them over: epoll or io_uring.
protocol EngineDriver: AnyObject {
    /// Takes the backend over on the engine's thread, before anything else.
    func start() throws(DatagramSocketError)
    /// Starts reading `socket`.
    func add(_ socket: DatagramSocket) throws(DatagramSocketError)
    /// Stops reading `socket`, before its descriptor closes.
    func remove(_ socket: DatagramSocket)
    /// Sends the outbox's messages with the next wait instead of `sendmmsg`, when the driver can.
    var submitter: (any DatagramSubmitter)? { get }
    /// Waits until a datagram, the wake-up descriptor or `timeout` (nanoseconds; nil: no
    /// limit), then hands every datagram ready to
    /// ``DatagramEngine/deliver(_:from:nameLength:truncated:to:)``.
    /// With `batchWait`, a wait that ends early gathers more datagrams for that long at most.
    func wait(timeout: Int64?, batchWait: Int64, engine: DatagramEngine)
    /// Releases the kernel objects.
    func close()
}
