extension ConfigValueParsers {
    /// A number of connections, 0 for no limit.
    static func connectionLimit(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 0, counting: "a number of connections")
    }

    /// A number of connections, 1 or more.
    static func positiveConnectionLimit(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 1, counting: "a number of connections")
    }
}

extension ConfigValueParsers {
    /// The longest connection timeout accepted, in seconds (a week).
    static let maximumConnectionTimeout = 604_800

    /// A connection timeout in seconds, from 1 to a week.
    static func connectionTimeout(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, in: 1...Self.maximumConnectionTimeout, counting: "a number of seconds")
    }
}
