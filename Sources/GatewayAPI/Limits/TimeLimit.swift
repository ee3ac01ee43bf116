/// Runs request work under a deadline: the work is cancelled and 503 `timeout` is thrown when
/// it takes longer than `limit`.
enum TimeLimit {
    static func run<Value: Sendable>(
        _ limit: Duration, _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw GatewayError.timeout }
            return value
        }
    }
}
