#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RedisSubscriber {
    /// The blocking loop; runs on the subscriber's thread until ``shutdown()``.
    func runLoop() {
        var connection: RedisConnection? = nil
        var failures = 0
        let pollMilliseconds = Int32(clamping: Self.milliseconds(self.pollInterval))
        while !self.isStopping {
            guard let current = connection else {
                do throws(RedisError) {
                    let opened = try RedisConnection(connectingTo: self.configuration)
                    connection = opened
                    failures = 0
                    self.recordConnected()
                    try self.subscribeAll(on: opened)
                } catch {
                    connection = nil
                    failures += 1
                    self.recordFailure(error)
                    self.sleep(self.backoff.delay(afterFailures: failures))
                }
                continue
            }
            do throws(RedisError) {
                if let reply = try current.nextPushedReply(timeoutMilliseconds: pollMilliseconds) {
                    self.handle(reply)
                }
            } catch {
                connection = nil
                self.recordFailure(error)
            }
        }
    }

    /// Sends SUBSCRIBE and PSUBSCRIBE; the replies they return are handled like pushed ones
    /// (the first may be a confirmation of an earlier command, or a message).
    private func subscribeAll(on connection: RedisConnection) throws(RedisError) {
        if !self.channels.isEmpty {
            self.handle(try connection.command(["SUBSCRIBE"] + self.channels))
        }
        if !self.patterns.isEmpty {
            self.handle(try connection.command(["PSUBSCRIBE"] + self.patterns))
        }
    }

    private func handle(_ reply: RedisReply) {
        if let message = RedisPubSubMessage(pushed: reply) {
            self.continuation.yield(message)
            self.state.withLock { $0.messagesDelivered += 1 }
            return
        }
        guard let parts = reply.array, parts.count == 3, let kind = parts[0].text,
            kind == "subscribe" || kind == "psubscribe", let count = parts[2].integer
        else {
            if let error = reply.errorMessage {
                self.logger.warning("Redis refused a subscription", metadata: ["turn.error": "\(error)"])
            }
            return
        }
        let expected = Int64(self.channels.count + self.patterns.count)
        if count == expected {
            self.state.withLock { $0.isSubscribed = true }
            self.logger.debug(
                "Redis subscriptions confirmed", metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)"])
        }
    }

    private func recordConnected() {
        self.state.withLock { state in
            state.isConnected = true
            state.isSubscribed = false
            state.connects += 1
        }
        self.logger.info(
            "Redis subscriber connected", metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)"])
    }

    private func recordFailure(_ error: RedisError) {
        let wasConnected = self.state.withLock { state in
            defer {
                state.isConnected = false
                state.isSubscribed = false
                state.lastError = error
            }
            return state.isConnected
        }
        if wasConnected || !self.isStopping {
            self.logger.warning(
                "Redis subscriber connection failed",
                metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)", "turn.error": "\(error)"])
        }
    }

    /// Sleeps for `duration` in poll-interval slices, returning early on shutdown.
    private func sleep(_ duration: Duration) {
        var remaining = Self.milliseconds(duration)
        let slice = max(Self.milliseconds(self.pollInterval), 1)
        while remaining > 0 && !self.isStopping {
            let step = min(remaining, slice)
            usleep(useconds_t(step * 1000))
            remaining -= step
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
