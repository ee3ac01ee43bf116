/// An error in credential configuration, such as a malformed coturn `user=` value.
///
/// Equality compares the ``code`` only. The description explains the problem in words a config
/// diagnostic can print; it never contains the password or key.
public struct TURNAuthError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: UInt8 {
            case missingSeparator
            case emptyUsername
            case emptyPassword
            case invalidKey
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A `user=` value with no `:` between name and password.
        public static let missingSeparator = Code(.missingSeparator)
        /// A `user=` value whose name is empty.
        public static let emptyUsername = Code(.emptyUsername)
        /// A `user=` value whose password is empty.
        public static let emptyPassword = Code(.emptyPassword)
        /// A `user=name:0x…` key that is not exactly 32 hexadecimal digits.
        public static let invalidKey = Code(.invalidKey)

        public var description: String {
            switch self.base {
            case .missingSeparator: "missingSeparator"
            case .emptyUsername: "emptyUsername"
            case .emptyPassword: "emptyPassword"
            case .invalidKey: "invalidKey"
            }
        }
    }

    /// What went wrong.
    public var code: Code

    /// Creates an error with a code.
    public init(_ code: Code) { self.code = code }

    /// A `user=` value with no `:`.
    public static let missingSeparator = TURNAuthError(.missingSeparator)
    /// A `user=` value with an empty name.
    public static let emptyUsername = TURNAuthError(.emptyUsername)
    /// A `user=` value with an empty password.
    public static let emptyPassword = TURNAuthError(.emptyPassword)
    /// A `user=name:0x…` key that is not 32 hexadecimal digits.
    public static let invalidKey = TURNAuthError(.invalidKey)

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        switch self.code {
        case .missingSeparator: "a user entry must be name:password or name:0x<32 hex digits>, but it has no ':'"
        case .emptyUsername: "a user entry must have a name before ':'"
        case .emptyPassword: "a user entry must have a password or key after ':'"
        case .invalidKey: "a user key after '0x' must be exactly 32 hexadecimal digits (an MD5 long-term key)"
        default: "credential error \(self.code)"
        }
    }
}
