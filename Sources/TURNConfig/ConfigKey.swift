/// An option TurnGate recognises: one of coturn's, or one of TurnGate's own.
///
/// The whole set is ``catalogue``; the file lexer, the command line and the loader all read it,
/// as coturn's file reader and `getopt_long` share its `long_options` table.
struct ConfigKey: Hashable, Sendable {
    /// Whether an option takes a value.
    enum Arity: Hashable, Sendable {
        /// No value, or a boolean (`yes`/`no`, `on`/`off`, `true`/`false`, `1`/`0`, `y`/`n`,
        /// `t`/`f`): coturn's optional-argument switches, such as `fingerprint`.
        case flag
        /// A value is required: `listening-port=3478`.
        case value
        /// The value may be left out, and coturn then uses its default: `stale-nonce`.
        /// On the command line such a value must be attached: `--stale-nonce=600`.
        case optionalValue
    }

    /// Whether TurnGate applies an option today.
    enum Support: Hashable, Sendable {
        /// Applied: the option sets this field of ``TURNServerConfiguration``.
        case supported(ConfigSetting)
        /// A coturn option TurnGate knows but ignores, with a warning.
        case recognisedNotSupported
    }

    /// Where an option comes from.
    enum Origin: Hashable, Sendable {
        /// coturn's `turnserver.conf` or its command line.
        case coturn
        /// TurnGate's own addition.
        case turnGate
    }

    /// The canonical name, as coturn spells it (case-sensitive).
    let name: String
    /// Whether a value is taken.
    let arity: Arity
    /// Whether every occurrence counts (`listening-ip`), rather than the last one.
    let isRepeatable: Bool
    /// Whether TurnGate applies it.
    let support: Support
    /// coturn's or TurnGate's.
    let origin: Origin
    /// Other names coturn accepts for the same option (`db` for `userdb`).
    let aliases: [String]
    /// coturn's one-letter command-line form (`-p` for `listening-port`), if any.
    let shortOption: Character?

    /// Whether TurnGate applies the option today.
    var isSupported: Bool {
        if case .supported = self.support { return true }
        return false
    }
}
