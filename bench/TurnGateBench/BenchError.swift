/// A failure the bench reports to the user and exits on: a one-line message, no stack.
struct BenchError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, worded for the person running the bench.
    var message: String

    /// Creates an error with its message.
    init(_ message: String) { self.message = message }

    var description: String { self.message }
}
