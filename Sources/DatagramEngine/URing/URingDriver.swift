#if canImport(Glibc)
import Glibc
#endif
import CURing

/// The engine's io_uring backend: a multishot `recvmsg` armed on every socket takes its
/// buffers from rings shared by the engine (small buffers for relay sockets, large ones for
/// listeners), so no system call is made per socket or per datagram to receive. The outbox's
/// messages are queued as submissions and go to the kernel with the next wait, in one
/// `io_uring_enter`. With a batching wait, the kernel holds the wait until the wait's
/// minimum time (Linux 6.12's `min_wait_usec`) has passed once a completion is there.
final class URingDriver: EngineDriver, DatagramSubmitter {
    /// Submission queue entries.
    static let entries: UInt32 = 1024
    /// Relay socket buffers: peers' datagrams up to 4,052 bytes of payload (WebRTC stays
    /// under about 1,300); larger ones are dropped and counted.
    static let smallBuffers: UInt32 = 1024
    static let smallBufferSize: UInt32 = 4096
    /// Listener buffers: any UDP datagram. Only the pages a datagram touches become resident,
    /// at most 32 MiB per engine.
    static let largeBuffers: UInt32 = 512
    static let largeBufferSize: UInt32 = 65_600
    /// Completions taken per pass: the whole completion queue, so that every send completion
    /// of a wait is handled before its datagrams reuse the outbox.
    static let completionBatch = Int(entries) * 8

    private let ring: OpaquePointer
    private let wakeDescriptor: CInt
    private let completions: UnsafeMutablePointer<tg_completion>
    /// Whether the kernel holds a wait for its minimum time.
    let hasMinimumWait: Bool
    private var pacing = PacedDrain()

    var submitter: (any DatagramSubmitter)? { self }

    /// Opens a ring; throws when io_uring or provided buffer rings are unavailable.
    init(wakeDescriptor: CInt) throws(DatagramSocketError) {
        var error: CInt = 0
        let sizes = tg_uring_sizes(
            entries: Self.entries, small_count: Self.smallBuffers, small_size: Self.smallBufferSize,
            large_count: Self.largeBuffers, large_size: Self.largeBufferSize)
        guard let ring = tg_uring_open(sizes, &error) else { throw DatagramSocketError(call: "io_uring_setup", errno: error) }
        self.ring = ring
        self.wakeDescriptor = wakeDescriptor
        self.hasMinimumWait = tg_uring_has_min_wait(ring) != 0
        self.completions = .allocate(capacity: Self.completionBatch)
        let armed = tg_uring_poll(ring, wakeDescriptor, EngineTag.wake)
        guard armed == 0 else {
            self.close()
            throw DatagramSocketError(call: "io_uring poll", errno: -armed)
        }
    }

    func start() throws(DatagramSocketError) {
        let result = tg_uring_start(self.ring)
        guard result >= 0 else { throw DatagramSocketError(call: "io_uring enable", errno: -result) }
    }

    func add(_ socket: DatagramSocket) throws(DatagramSocketError) {
        let group = socket.role == .listener ? CInt(tg_group_large) : CInt(tg_group_small)
        let result = tg_uring_receive(self.ring, socket.sender.descriptor, group, socket.tag)
        guard result == 0 else { throw DatagramSocketError(call: "io_uring recvmsg", errno: -result) }
        socket.armed = true
    }

    func remove(_ socket: DatagramSocket) {
        guard socket.armed else { return }
        socket.armed = false
        _ = tg_uring_cancel(self.ring, socket.tag)
    }

    func submit(_ message: UnsafePointer<msghdr>, from descriptor: CInt, index: Int) -> Bool {
        tg_uring_send(self.ring, descriptor, message, EngineTag.sendBit | UInt64(index)) == 0
    }

    func wait(timeout: Int64?, batchWait: Int64, engine: DatagramEngine) {
        var minimumWait: CUnsignedInt = 0
        var waitFor: CUnsignedInt = 1
        if batchWait > 0, self.pacing.isBusy {
            if self.hasMinimumWait {
                minimumWait = CUnsignedInt(max(1, batchWait / 1000))
                waitFor = 256
            } else {
                self.pacing.pause(batchWait: batchWait, timeout: timeout)
            }
        }
        _ = tg_uring_submit_and_wait(self.ring, waitFor, timeout ?? -1, minimumWait)
        var delivered = 0
        while true {
            let count = Int(tg_uring_completions(self.ring, self.completions, CUnsignedInt(Self.completionBatch)))
            guard count > 0 else {
                // Completions the kernel kept aside while the queue was full come back now.
                guard tg_uring_flush_overflow(self.ring) > 0 else { break }
                engine.counters.completionOverflows += 1
                continue
            }
            // Sends first: their completion frees the outbox for this turn's datagrams.
            for index in 0..<count where self.completions[index].user_data & EngineTag.sendBit != 0 {
                let completion = self.completions[index]
                engine.outbox.completed(Int(completion.user_data & 0xFFFF), result: completion.result)
            }
            for index in 0..<count where self.completions[index].user_data & EngineTag.sendBit == 0 {
                delivered += self.handle(self.completions[index], engine: engine)
            }
            tg_uring_consume(self.ring, CUnsignedInt(count))
        }
        self.pacing.turnBegan(received: delivered > 0, batchWait: batchWait)
    }

    /// One completion that is not a send; returns how many datagrams it delivered.
    private func handle(_ completion: tg_completion, engine: DatagramEngine) -> Int {
        let tag = completion.user_data
        if tag == 0 { return 0 }  // a cancellation's own completion
        if tag == EngineTag.wake {
            engine.wakeUp()
            if completion.more == 0, tg_uring_poll(self.ring, self.wakeDescriptor, EngineTag.wake) != 0 {
                engine.counters.receiveErrors += 1
            }
            return 0
        }
        let socket = engine.socket(tagged: tag)
        var delivered = 0
        if completion.buffer_id >= 0 {
            if let socket, completion.result >= 0 {
                if let payload = completion.payload, let name = completion.name {
                    engine.deliver(
                        UnsafeRawBufferPointer(start: payload, count: Int(completion.payload_length)),
                        from: UnsafeRawPointer(name), nameLength: Int(completion.name_length),
                        truncated: completion.truncated != 0, to: socket)
                    delivered = 1
                } else {
                    engine.counters.truncated += 1
                }
            }
            tg_uring_recycle(self.ring, completion.buffer_group, completion.buffer_id)
        }
        if completion.result < 0 {
            switch -completion.result {
            case ECANCELED: break
            case ENOBUFS: engine.counters.bufferShortages += 1
            default: engine.counters.receiveErrors += 1
            }
        }
        if completion.more == 0, let socket, socket.armed {
            // The kernel ended the multishot request (buffers ran out, an ICMP error): read on.
            socket.armed = false
            switch -completion.result {
            case EBADF, EINVAL, ENOTSOCK, EOPNOTSUPP: break
            default:
                do throws(DatagramSocketError) {
                    try self.add(socket)
                } catch {
                    engine.counters.receiveErrors += 1
                }
            }
        }
        return delivered
    }

    func close() {
        tg_uring_close(self.ring)
        self.completions.deallocate()
    }
}
