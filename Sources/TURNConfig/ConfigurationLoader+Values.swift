extension ConfigurationLoader {
    /// Sets a field from a flag: on when bare or empty, else its boolean value; `inverted` for
    /// coturn's `no-…` flags, which turn a field off.
    mutating func setFlag(_ directive: ConfDirective, _ field: WritableKeyPath<TURNServerConfiguration, Bool>, inverted: Bool = false) {
        guard let on = self.flag(directive) else { return }
        self.configuration[keyPath: field] = on != inverted
    }

    /// Sets a field from an option that needs a value; leaves it after an error.
    mutating func setValue<Value>(
        _ directive: ConfDirective,
        _ field: WritableKeyPath<TURNServerConfiguration, Value>,
        _ parse: (String) -> Result<Value, ConfigValueParsers.ValueError>
    ) {
        guard let text = self.requiredValue(directive), let value = self.parsed(parse(text), directive) else { return }
        self.configuration[keyPath: field] = value
    }

    /// Sets a field from an option whose value may be left out (`stale-nonce`), to `fallback`
    /// when it is.
    mutating func setOptionalValue(
        _ directive: ConfDirective,
        _ field: WritableKeyPath<TURNServerConfiguration, Int>,
        else fallback: Int,
        _ parse: (String) -> Result<Int, ConfigValueParsers.ValueError>
    ) {
        guard let text = directive.value, !text.isEmpty else {
            self.configuration[keyPath: field] = fallback
            return
        }
        guard let value = self.parsed(parse(text), directive) else { return }
        self.configuration[keyPath: field] = value
    }

    /// Adds one value of a repeatable option to a list field; nothing after an error.
    mutating func appendValue<Value>(
        _ directive: ConfDirective,
        _ field: WritableKeyPath<TURNServerConfiguration, [Value]>,
        _ parse: (String) -> Result<Value, ConfigValueParsers.ValueError>
    ) {
        guard let text = self.requiredValue(directive), let value = self.parsed(parse(text), directive) else { return }
        self.configuration[keyPath: field].append(value)
    }

    /// The value of an option that needs one, or `nil` after an error.
    mutating func requiredValue(_ directive: ConfDirective) -> String? {
        guard let value = directive.value, !value.isEmpty else {
            self.diagnostics.append(.error("option '\(directive.key)' requires a value", line: directive.line, key: directive.key))
            return nil
        }
        return value
    }

    /// A flag's state: on when bare or empty, else its boolean value; `nil` after an error.
    mutating func flag(_ directive: ConfDirective) -> Bool? {
        guard let value = directive.value, !value.isEmpty else { return true }
        guard let on = ConfigValueParsers.boolean(value) else {
            self.diagnostics.append(
                .error(
                    "option '\(directive.key)' is a flag: give it no value, or one of yes/no, on/off, true/false, 1/0"
                        + Self.remarkHint(value),
                    line: directive.line, key: directive.key
                ))
            return nil
        }
        return on
    }

    /// The parsed value, or `nil` after an error naming the option.
    mutating func parsed<Value>(_ result: Result<Value, ConfigValueParsers.ValueError>, _ directive: ConfDirective) -> Value? {
        switch result {
        case .success(let value):
            return value
        case .failure(let failure):
            self.diagnostics.append(
                .error(
                    "\(directive.key): \(failure.message)" + Self.remarkHint(directive.value ?? ""),
                    line: directive.line, key: directive.key
                ))
            return nil
        }
    }

    /// What to add to a bad value's error when the value holds a `#`, most likely meant as a
    /// comment (`user-quota=12 # per user`); empty otherwise.
    private static func remarkHint(_ value: String) -> String {
        guard value.contains("#") else { return "" }
        return " (coturn's syntax has no end-of-line comments: the '#' and the text after it are part of the value;"
            + " put the remark on a line of its own)"
    }
}
