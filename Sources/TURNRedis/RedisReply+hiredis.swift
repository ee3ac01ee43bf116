import CHiredis

extension RedisReply {
    /// Converts a hiredis reply tree into a ``RedisReply``, checking every pointer and size.
    ///
    /// The caller keeps ownership of `raw` and frees it with `freeReplyObject` afterwards. Reply
    /// kinds follow hiredis 0.14's `read.h` (`REDIS_REPLY_STRING` ... `REDIS_REPLY_ERROR`).
    ///
    /// - Parameters:
    ///   - raw: The root reply returned by `redisCommandArgv` or `redisGetReply`.
    ///   - limits: Bounds on sizes; see ``RedisReplyLimits``.
    /// - Throws: ``RedisError`` with ``RedisError/Code/replyTooLarge`` or
    ///   ``RedisError/Code/protocolError``.
    init(converting raw: UnsafePointer<redisReply>, limits: RedisReplyLimits) throws(RedisError) {
        var budget = limits.maximumElements
        self = try Self.convert(raw, depth: 0, budget: &budget, limits: limits)
    }

    private static func convert(
        _ raw: UnsafePointer<redisReply>, depth: Int, budget: inout Int, limits: RedisReplyLimits
    ) throws(RedisError) -> RedisReply {
        let reply = raw.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .string(try Self.bytes(reply.str, reply.len, limits: limits))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: try Self.bytes(reply.str, reply.len, limits: limits), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: try Self.bytes(reply.str, reply.len, limits: limits), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            return .array(try Self.elements(of: reply, depth: depth, budget: &budget, limits: limits))
        default:
            throw RedisError(.protocolError, "unknown reply type \(reply.type)")
        }
    }

    private static func elements(
        of reply: redisReply, depth: Int, budget: inout Int, limits: RedisReplyLimits
    ) throws(RedisError) -> [RedisReply] {
        guard depth < limits.maximumDepth else {
            throw RedisError(.replyTooLarge, "reply nested deeper than \(limits.maximumDepth) arrays")
        }
        let count = reply.elements
        guard count >= 0, count <= budget else {
            throw RedisError(.replyTooLarge, "reply has more than \(limits.maximumElements) array elements")
        }
        budget -= count
        guard count > 0 else { return [] }
        guard let children = reply.element else {
            throw RedisError(.protocolError, "array reply of \(count) elements without an element vector")
        }
        var result: [RedisReply] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let child = children[index] else {
                throw RedisError(.protocolError, "array reply element \(index) is missing")
            }
            result.append(try Self.convert(child, depth: depth + 1, budget: &budget, limits: limits))
        }
        return result
    }

    private static func bytes(
        _ pointer: UnsafeMutablePointer<CChar>?, _ length: Int, limits: RedisReplyLimits
    ) throws(RedisError) -> [UInt8] {
        guard length >= 0, length <= limits.maximumStringBytes else {
            throw RedisError(.replyTooLarge, "bulk string of \(length) bytes exceeds \(limits.maximumStringBytes)")
        }
        guard length > 0 else { return [] }
        guard let pointer else {
            throw RedisError(.protocolError, "string reply of \(length) bytes without data")
        }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
