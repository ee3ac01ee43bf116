#if canImport(Glibc)
package import Glibc
#endif
import Foundation
package import STUNWire
import Synchronization

/// TurnGate's own UDP engine: one thread that reads its sockets (listeners and relay
/// sockets), hands each datagram to the socket's receiver, runs its timers and the tasks other
/// threads post, and sends what the receivers queued in its ``outbox`` at the end of each
/// turn.
///
/// One engine per core, each owning the sockets it opened: nothing on the data path takes a
/// lock, hops threads or allocates. Receive buffers are shared by the engine's sockets, not
/// held per socket. Datagrams arrive whole or are dropped and counted (``counters``), and no
/// error on the data path closes a socket. The backend is io_uring when the kernel offers it
/// (``Backend/ioUring``), else epoll.
package final class DatagramEngine: @unchecked Sendable {
    /// How the engine waits for datagrams.
    package enum Backend: String, Sendable, CaseIterable {
        /// Multishot receives into shared buffer rings; sends submitted with the wait.
        case ioUring = "io-uring"
        /// One epoll and one shared `recvmmsg` array; `sendmmsg`.
        case epoll
    }

    /// Which backend to use.
    package enum Choice: String, Sendable, CaseIterable {
        /// io_uring when it works here, else epoll.
        case auto
        case ioUring = "io-uring"
        case epoll
    }

    /// The largest peer datagram a relay socket takes whole with io_uring (with epoll, any).
    package static var relayDatagramLimit: Int { Int(URingDriver.smallBufferSize) - 44 }

    /// The backend in use (final once ``start()`` returns).
    package private(set) var backend: Backend
    /// Why io_uring is not in use, when `auto` fell back to epoll.
    package private(set) var fallbackReason: String?
    /// What the receivers send, sent at the end of each turn.
    package let outbox: DatagramOutbox
    /// Drops on the receive side since ``takeCounters()``.
    package var counters = EngineCounters()
    /// Called at the end of every turn, after the datagrams and before the outbox is sent.
    package var turnEnded: (() -> Void)?
    /// How long a turn may wait to gather more datagrams once one is there (nanoseconds).
    package let batchWait: Int64

    private var driver: any EngineDriver
    private let choice: Choice
    private var startError: DatagramSocketError?
    private let inbox: EngineInbox
    private var sockets: [DatagramSocket?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private var timers = EngineTimers()
    private let nextTimerID = Atomic<UInt64>(1)
    private let threadID = Atomic<UInt>(0)
    private var running = true
    private let finished = Mutex<[@Sendable () -> Void]?>([])
    private let name: String

    /// Creates an engine; ``start()`` runs it.
    ///
    /// - Parameters:
    ///   - choice: the backend; `auto` takes io_uring when it can be set up here.
    ///   - batchWait: the longest a busy turn waits for more datagrams.
    /// - Throws: ``DatagramSocketError`` when the chosen backend cannot be set up.
    package init(choice: Choice = .auto, batchWait: Duration = .zero, name: String = "turngate-udp") throws(DatagramSocketError) {
        let inbox = try EngineInbox()
        var fallback: String?
        switch choice {
        case .epoll:
            self.driver = try EpollDriver(wakeDescriptor: inbox.descriptor)
            self.backend = .epoll
        case .ioUring:
            self.driver = try URingDriver(wakeDescriptor: inbox.descriptor)
            self.backend = .ioUring
        case .auto:
            do throws(DatagramSocketError) {
                self.driver = try URingDriver(wakeDescriptor: inbox.descriptor)
                self.backend = .ioUring
            } catch {
                fallback = "\(error)"
                self.driver = try EpollDriver(wakeDescriptor: inbox.descriptor)
                self.backend = .epoll
            }
        }
        self.fallbackReason = fallback
        self.choice = choice
        self.inbox = inbox
        self.name = name
        let (seconds, attoseconds) = batchWait.components
        self.batchWait = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.outbox = DatagramOutbox()
        self.outbox.submitter = self.driver.submitter
    }

    /// Monotonic nanoseconds (`CLOCK_MONOTONIC`, the clock of NIO's deadlines).
    package static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    // MARK: Threads

    /// Starts the engine's thread, which takes its backend over (an io_uring ring belongs to
    /// the one thread that submits to it).
    ///
    /// - Throws: ``DatagramSocketError`` when io_uring was chosen and the thread cannot use it.
    package func start() throws(DatagramSocketError) {
        let thread = Thread { self.run() }
        thread.name = self.name
        thread.start()
        while self.threadID.load(ordering: .acquiring) == 0 { sched_yield() }
        if let error = self.startError { throw error }
    }

    /// Whether the caller runs on the engine's thread.
    package var isCurrent: Bool { self.threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Runs `task` on the engine's thread, in a coming turn.
    package func execute(_ task: @escaping @Sendable () -> Void) {
        self.inbox.post(task)
    }

    /// Runs `task` on the engine's thread at `deadline` (monotonic nanoseconds); returns an id
    /// for ``cancelTimer(_:)``. Any thread.
    package func schedule(at deadline: UInt64, _ task: @escaping @Sendable () -> Void) -> UInt64 {
        let id = self.nextTimerID.wrappingAdd(1, ordering: .relaxed).oldValue
        if self.isCurrent {
            self.timers.insert(id: id, deadline: deadline, task)
        } else {
            self.execute { self.timers.insert(id: id, deadline: deadline, task) }
        }
        return id
    }

    /// Cancels a timer that has not run; `whenCancelled` runs (on the engine's thread) only
    /// if it had not. Any thread.
    package func cancelTimer(_ id: UInt64, whenCancelled: (@Sendable () -> Void)? = nil) {
        if self.isCurrent, self.timers.cancel(id) {
            whenCancelled?()
            return
        }
        // Not found on the engine's thread: it may still be an insert waiting in the inbox,
        // which runs before this (the inbox keeps order).
        self.execute { if self.timers.cancel(id) { whenCancelled?() } }
    }

    /// Stops the engine after its current turn: every socket is closed; `whenStopped` runs
    /// on the engine's thread as it ends. Any thread.
    package func stop(whenStopped: (@Sendable () -> Void)? = nil) {
        let alreadyStopped = self.finished.withLock { callbacks -> Bool in
            guard callbacks != nil else { return true }
            if let whenStopped { callbacks?.append(whenStopped) }
            return false
        }
        if alreadyStopped {
            whenStopped?()
            return
        }
        self.execute { self.running = false }
    }

    // MARK: Sockets (engine thread)

    /// Opens a UDP socket bound to `address` and reads it; its datagrams go to `receiver`.
    ///
    /// - Throws: ``DatagramSocketError``; nothing is left open.
    package func open(
        _ address: STUNTransportAddress,
        options: DatagramSender.Options,
        role: DatagramSocket.Role,
        receiver: any DatagramReceiver
    ) throws(DatagramSocketError) -> DatagramSocket {
        guard self.running else { throw DatagramSocketError(call: "open", errno: ESHUTDOWN) }
        let sender = try DatagramSender.open(boundTo: SocketAddressStorage(address), options: options)
        let slot = self.freeSlots.popLast() ?? self.appendSlot()
        self.generations[slot] &+= 1
        let socket = DatagramSocket(
            sender: sender, local: address, role: role, receiver: receiver, slot: slot, generation: self.generations[slot] & 0x1FFF_FFFF)
        do throws(DatagramSocketError) {
            try self.driver.add(socket)
        } catch {
            sender.close()
            _ = Glibc.close(sender.descriptor)
            self.freeSlots.append(slot)
            throw error
        }
        self.sockets[slot] = socket
        return socket
    }

    /// Stops reading `socket` and closes it; datagrams still queued from it are dropped (EBADF).
    package func close(_ socket: DatagramSocket) {
        guard socket.receiver != nil else { return }
        socket.receiver = nil
        self.driver.remove(socket)
        socket.sender.close()
        _ = Glibc.close(socket.sender.descriptor)
        self.sockets[socket.slot] = nil
        self.freeSlots.append(socket.slot)
    }

    /// How many sockets are open.
    package var socketCount: Int { self.sockets.count - self.freeSlots.count }

    /// The counters since the last call; starts them again from zero.
    package func takeCounters() -> EngineCounters {
        defer { self.counters = EngineCounters() }
        return self.counters
    }

    private func appendSlot() -> Int {
        self.sockets.append(nil)
        self.generations.append(0)
        return self.sockets.count - 1
    }

    // MARK: The loop (engine thread)

    /// The open socket a tag names, or nil when that socket has closed since.
    func socket(tagged tag: UInt64) -> DatagramSocket? {
        let slot = EngineTag.slot(tag)
        guard slot < self.sockets.count, let socket = self.sockets[slot], socket.generation == EngineTag.generation(tag) else { return nil }
        return socket
    }

    /// Hands a received datagram to its socket's receiver, unless it was cut or its source is
    /// not an IP address.
    func deliver(_ bytes: UnsafeRawBufferPointer, from name: UnsafeRawPointer, nameLength: Int, truncated: Bool, to socket: DatagramSocket) {
        guard !truncated else {
            self.counters.truncated += 1
            return
        }
        guard let source = SocketAddressStorage.transportAddress(at: name, length: nameLength) else {
            self.counters.unknownSource += 1
            return
        }
        socket.receiver?.receive(bytes, from: source, on: socket)
    }

    /// The wake-up descriptor fired: runs the tasks other threads posted.
    func wakeUp() {
        self.inbox.acknowledge()
        for task in self.inbox.take() { task() }
    }

    /// Takes the backend over on the engine's thread; with `auto`, falls back to epoll.
    private func startDriver() -> Bool {
        do throws(DatagramSocketError) {
            try self.driver.start()
            return true
        } catch {
            self.driver.close()
            guard self.choice == .auto, let epoll = try? EpollDriver(wakeDescriptor: self.inbox.descriptor) else {
                self.startError = error
                return false
            }
            self.driver = epoll
            self.backend = .epoll
            self.fallbackReason = "\(error)"
            self.outbox.submitter = nil
            return true
        }
    }

    private func run() {
        let started = self.startDriver()
        self.threadID.store(UInt(pthread_self()), ordering: .releasing)
        guard started else { return }
        while self.running {
            var timeout: Int64?
            if let deadline = self.timers.nextDeadline() {
                let now = Self.monotonicNow()
                timeout = deadline > now ? Int64(deadline - now) : 0
            }
            self.driver.wait(timeout: timeout, batchWait: self.batchWait, engine: self)
            let due = self.timers.takeDue(now: Self.monotonicNow())
            for task in due { task() }
            self.turnEnded?()
            self.outbox.flush()
        }
        self.finish()
    }

    private func finish() {
        // The last turn's sends first, while their sockets are open; then the sockets, and a
        // last wait so the kernel completes the cancellations before the buffers go.
        self.driver.wait(timeout: 0, batchWait: 0, engine: self)
        for socket in self.sockets {
            if let socket { self.close(socket) }
        }
        self.driver.wait(timeout: 0, batchWait: 0, engine: self)
        self.driver.close()
        // No thread is this engine's any more (a later thread may get the same pthread_t).
        self.threadID.store(UInt.max, ordering: .releasing)
        self.turnEnded = nil
        let callbacks = self.finished.withLock { callbacks in
            defer { callbacks = nil }
            return callbacks ?? []
        }
        for callback in callbacks { callback() }
    }
}
