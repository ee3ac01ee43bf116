/// Lays out a command's arguments the way `redisCommandArgv` wants them: an array of C pointers
/// and an array of lengths, both valid only inside the closure.
enum RedisArgv {
    /// Calls `body` with `argv` and `argvlen` for `arguments`, copied into one contiguous buffer.
    ///
    /// - Parameters:
    ///   - arguments: The command and its arguments.
    ///   - body: Receives the pointers; must not keep them.
    /// - Returns: What `body` returns.
    static func withArgv<Result>(
        _ arguments: [[UInt8]],
        _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        let count = max(arguments.count, 1)
        let total = arguments.reduce(0) { $0 + $1.count }
        let bytes = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        let argv = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: count)
        let argvlen = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer {
            bytes.deallocate()
            argv.deallocate()
            argvlen.deallocate()
        }
        argv.initialize(repeating: nil, count: count)
        argvlen.initialize(repeating: 0, count: count)
        var offset = 0
        for (index, argument) in arguments.enumerated() {
            let start = bytes.advanced(by: offset)
            argument.withUnsafeBytes { source in
                UnsafeMutableRawPointer(start).copyMemory(from: source.baseAddress ?? UnsafeRawPointer(start), byteCount: source.count)
            }
            argv[index] = UnsafePointer(start)
            argvlen[index] = argument.count
            offset += argument.count
        }
        return body(argv, argvlen)
    }
}
