/// Applies directives, in order, to a ``TURNServerConfiguration``, collecting diagnostics.
///
/// For a single-valued option the last occurrence wins, as in coturn; a repeatable option
/// accumulates. Conflicts between options are checked once every directive is in
/// (``finish(earlier:strict:)``).
struct ConfigurationLoader {
    private var configuration = TURNServerConfiguration()
    private var diagnostics: [ConfigDiagnostic] = []
    /// Where each single-valued supported option was last given, by canonical name.
    private var lastSeen: [String: Place] = [:]
    /// Where each setting was last given, for conflict messages.
    private var settingPlaces: [ConfigSetting: Place] = [:]
    private var listeningAddresses: Set<IPAddressLiteral> = []
    private var verbosity = Verbosity.none
    private var explicitLogLevel: TURNServerConfiguration.LogLevel?
    private var sendsSoftware = true
    private var softwareName = TURNServerConfiguration.defaultSoftwareName
    private var noStdoutLog = false
    private var logFileIsStandardOutput = false
    private var strictConfig = false

    /// coturn's three verbosity states (`TURN_VERBOSE_NONE`, `_NORMAL`, `_EXTRA`).
    private enum Verbosity {
        case none, normal, extra

        var logLevel: TURNServerConfiguration.LogLevel {
            switch self {
            case .none: .info
            case .normal: .debug
            case .extra: .trace
            }
        }
    }

    /// A line of the file, or the command line.
    private struct Place: Hashable {
        let line: Int?

        var phrase: String {
            self.line.map { "line \($0)" } ?? "the command line"
        }
    }

    /// Applies one directive: unknown and unsupported options give warnings, bad values errors.
    ///
    /// - Parameter directive: The directive, from the file or the command line.
    mutating func apply(_ directive: ConfDirective) {
        let place = Place(line: directive.line)
        guard let key = ConfigKey.named(directive.key) else {
            var message = "unknown option '\(directive.key)'"
            if let suggestion = ConfigKey.suggestion(for: directive.key) {
                message += " (did you mean '\(suggestion)'?)"
            }
            self.diagnostics.append(.warning(message, line: directive.line, key: directive.key))
            return
        }
        guard case .supported(let setting) = key.support else {
            self.diagnostics.append(
                .warning(
                    "option '\(directive.key)' is recognised, not supported by TurnGate yet: ignored",
                    line: directive.line, key: directive.key
                ))
            return
        }
        if !key.isRepeatable {
            if let previous = self.lastSeen[key.name] {
                self.diagnostics.append(
                    .warning(
                        "option '\(directive.key)' is also given on \(previous.phrase): only the last one applies",
                        line: directive.line, key: directive.key
                    ))
            }
            self.lastSeen[key.name] = place
        }
        self.settingPlaces[setting] = place
        self.apply(setting, directive)
    }

    /// Checks conflicts and returns the configuration with every diagnostic, sorted by line
    /// (command-line diagnostics last).
    ///
    /// - Parameters:
    ///   - earlier: Diagnostics from before loading (lexer, command line), to sort in and, under
    ///     strict mode, escalate with the rest.
    ///   - strict: Whether warnings become errors even without `strict-config`.
    /// - Returns: The configuration and the diagnostics.
    mutating func finish(earlier: [ConfigDiagnostic], strict: Bool) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        self.checkConflicts()
        var configuration = self.configuration
        configuration.logLevel = self.explicitLogLevel ?? self.verbosity.logLevel
        configuration.softwareName = self.sendsSoftware ? self.softwareName : nil
        configuration.stdoutLog = !self.noStdoutLog || self.logFileIsStandardOutput
        configuration.strict = strict || self.strictConfig

        var all = Array((earlier + self.diagnostics).enumerated())
        all.sort { left, right in
            let leftLine = left.element.line ?? Int.max
            let rightLine = right.element.line ?? Int.max
            return leftLine != rightLine ? leftLine < rightLine : left.offset < right.offset
        }
        let sorted = all.map { configuration.strict ? $0.element.escalated : $0.element }
        return (configuration, sorted)
    }

    private mutating func apply(_ setting: ConfigSetting, _ directive: ConfDirective) {
        switch setting {
        case .listeningIP:
            guard let text = self.requiredValue(directive), let address = self.parsed(ConfigValueParsers.ipAddress(text), directive) else {
                return
            }
            if !self.listeningAddresses.insert(address).inserted {
                self.diagnostics.append(.warning("listening-ip \(text) is given more than once", line: directive.line, key: directive.key))
                return
            }
            self.configuration.listeningIPs.append(text)
        case .listeningPort:
            guard let text = self.requiredValue(directive), let port = self.parsed(ConfigValueParsers.port(text), directive) else { return }
            self.configuration.listeningPort = port
        case .noUDP:
            guard let on = self.flag(directive) else { return }
            self.configuration.udpEnabled = !on
        case .noTCP:
            guard let on = self.flag(directive) else { return }
            self.configuration.tcpEnabled = !on
        case .fingerprint:
            guard let on = self.flag(directive) else { return }
            self.configuration.fingerprint = on
        case .noSoftwareAttribute:
            guard let on = self.flag(directive) else { return }
            self.sendsSoftware = !on
        case .softwareAttribute:
            guard let on = self.flag(directive) else { return }
            self.sendsSoftware = on
        case .verbose:
            guard let on = self.flag(directive) else { return }
            if self.verbosity != .extra {
                self.verbosity = on ? .normal : .none
            }
        case .extraVerbose:
            guard let on = self.flag(directive) else { return }
            if on {
                self.verbosity = .extra
            }
        case .logFile:
            guard let text = self.requiredValue(directive) else { return }
            self.applyLogFile(text, directive)
        case .noStdoutLog:
            guard let on = self.flag(directive) else { return }
            self.noStdoutLog = on
        case .pidFile:
            guard let text = self.requiredValue(directive) else { return }
            self.configuration.pidFile = text
        case .softwareName:
            guard let text = self.requiredValue(directive), let name = self.parsed(ConfigValueParsers.softwareName(text), directive) else {
                return
            }
            self.softwareName = name
        case .logLevel:
            guard let text = self.requiredValue(directive),
                let level = self.parsed(
                    ConfigValueParsers.choice(text, of: TURNServerConfiguration.LogLevel.self, naming: "log level"), directive)
            else { return }
            self.explicitLogLevel = level
        case .logFormat:
            guard let text = self.requiredValue(directive),
                let format = self.parsed(
                    ConfigValueParsers.choice(text, of: TURNServerConfiguration.LogFormat.self, naming: "log format"), directive)
            else { return }
            self.configuration.logFormat = format
        case .strictConfig:
            guard let on = self.flag(directive) else { return }
            self.strictConfig = on
        }
    }

    /// coturn's `log-file` names a file, except `stdout` and `-` (standard output) and `syslog`.
    private mutating func applyLogFile(_ text: String, _ directive: ConfDirective) {
        switch text {
        case "stdout", "-":
            self.configuration.logFile = nil
            self.logFileIsStandardOutput = true
        case "syslog":
            self.diagnostics.append(
                .warning(
                    "log-file=syslog sends coturn's log to syslog, which TurnGate does not support: logging to standard output",
                    line: directive.line, key: directive.key
                ))
            self.configuration.logFile = nil
            self.logFileIsStandardOutput = true
        default:
            self.configuration.logFile = text
            self.logFileIsStandardOutput = false
        }
    }

    private mutating func checkConflicts() {
        if !self.configuration.udpEnabled, !self.configuration.tcpEnabled {
            self.diagnostics.append(
                .error(
                    "no-udp and no-tcp together leave no listener",
                    line: self.laterLine(.noUDP, .noTCP), key: nil
                ))
        }
        if self.explicitLogLevel != nil {
            for setting in [ConfigSetting.verbose, .extraVerbose] {
                guard let place = self.settingPlaces[setting] else { continue }
                let name = setting == .verbose ? "verbose" : "Verbose"
                self.diagnostics.append(.warning("'\(name)' has no effect: log-level sets the level", line: place.line, key: name))
            }
        }
        if !self.sendsSoftware, let place = self.settingPlaces[.softwareName] {
            self.diagnostics.append(
                .warning(
                    "software-name has no effect: the SOFTWARE attribute is turned off",
                    line: place.line, key: "software-name"
                ))
        }
        if self.noStdoutLog, !self.logFileIsStandardOutput, self.configuration.logFile == nil {
            self.diagnostics.append(
                .warning(
                    "no-stdout-log without log-file: nothing will be logged",
                    line: self.settingPlaces[.noStdoutLog]?.line, key: "no-stdout-log"
                ))
        }
    }

    /// The later of two settings' lines; the command line counts as later than any file line.
    private func laterLine(_ first: ConfigSetting, _ second: ConfigSetting) -> Int? {
        guard let one = self.settingPlaces[first], let other = self.settingPlaces[second],
            let oneLine = one.line, let otherLine = other.line
        else { return nil }
        return max(oneLine, otherLine)
    }

    /// The value of an option that needs one, or `nil` after an error.
    private mutating func requiredValue(_ directive: ConfDirective) -> String? {
        guard let value = directive.value, !value.isEmpty else {
            self.diagnostics.append(.error("option '\(directive.key)' requires a value", line: directive.line, key: directive.key))
            return nil
        }
        return value
    }

    /// A flag's state: on when bare or empty, else its boolean value; `nil` after an error.
    private mutating func flag(_ directive: ConfDirective) -> Bool? {
        guard let value = directive.value, !value.isEmpty else { return true }
        guard let on = ConfigValueParsers.boolean(value) else {
            self.diagnostics.append(
                .error(
                    "option '\(directive.key)' is a flag: give it no value, or one of yes/no, on/off, true/false, 1/0",
                    line: directive.line, key: directive.key
                ))
            return nil
        }
        return on
    }

    /// The parsed value, or `nil` after an error naming the option.
    private mutating func parsed<Value>(_ result: Result<Value, ConfigValueParsers.ValueError>, _ directive: ConfDirective) -> Value? {
        switch result {
        case .success(let value):
            return value
        case .failure(let failure):
            self.diagnostics.append(.error("\(directive.key): \(failure.message)", line: directive.line, key: directive.key))
            return nil
        }
    }
}
