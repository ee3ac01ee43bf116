/// A Redis reply as a Swift value, converted from hiredis's `redisReply` as soon as it arrives.
///
/// hiredis 0.14 speaks RESP2, whose five reply kinds map one to one onto these cases (a RESP2 null
/// bulk string and a null array both become ``null``). An error reply from the server (`-ERR ...`)
/// is a value here, not a thrown error: the typed helpers (``CoturnUserDatabase``,
/// ``RedisLeaseCounter``) turn it into a ``RedisError`` with code ``RedisError/Code/serverError``.
///
/// See the RESP specification, <https://redis.io/docs/latest/develop/reference/protocol-spec/>.
public enum RedisReply: Sendable, Hashable {
    /// A bulk string (`$`), binary-safe.
    case string([UInt8])
    /// A simple status string (`+OK`, `+QUEUED`).
    case status(String)
    /// An integer (`:`).
    case integer(Int64)
    /// A multi-bulk array (`*`), possibly nested (EVAL can return nested tables).
    case array([RedisReply])
    /// A null bulk string or null array (`$-1`, `*-1`), for example GET of a missing key.
    case null
    /// An error reply (`-ERR ...`, `-WRONGPASS ...`), with the server's text.
    case error(String)
}

extension RedisReply {
    /// The bytes of a bulk string or the UTF-8 of a status; `nil` for other kinds.
    public var bytes: [UInt8]? {
        switch self {
        case .string(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// A bulk string or status decoded as UTF-8 (invalid sequences repaired); `nil` for other kinds.
    public var text: String? {
        switch self {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The value of an integer reply; `nil` for other kinds.
    public var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The elements of an array reply; `nil` for other kinds.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// Whether this is a null reply.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The server's message if this is an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { message } else { nil }
    }
}
