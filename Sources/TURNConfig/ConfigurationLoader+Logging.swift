extension ConfigurationLoader {
    /// coturn's `log-file` names a file, except `stdout` and `-` (standard output) and `syslog` (as the `syslog` flag).
    mutating func applyLogFile(_ text: String, _ directive: ConfDirective) {
        switch text {
        case "stdout", "-":
            self.configuration.logFile = nil
            self.logFileIsStandardOutput = true
        case "syslog":
            self.configuration.logFile = nil
            self.configuration.syslog = true
        default:
            self.configuration.logFile = text
            self.logFileIsStandardOutput = false
        }
    }

    /// Warns about logging options that cancel each other out.
    mutating func checkLogging() {
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
}
