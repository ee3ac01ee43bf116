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
        guard let text = self.requiredValue(directive), let value = self.value(text, directive, parse) else { return }
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
        guard let value = self.value(text, directive, parse) else { return }
        self.configuration[keyPath: field] = value
    }

    /// Adds one value of a repeatable option to a list field; nothing after an error.
    mutating func appendValue<Value>(
        _ directive: ConfDirective,
        _ field: WritableKeyPath<TURNServerConfiguration, [Value]>,
        _ parse: (String) -> Result<Value, ConfigValueParsers.ValueError>
    ) {
        guard let text = self.requiredValue(directive), let value = self.value(text, directive, parse) else { return }
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

    /// `text` parsed, or `nil` after an error naming the option.
    ///
    /// coturn reads a number with `atoi`, so `user-quota=12 # at most 3 calls` is 12 there; a
    /// value that fails as a whole but is a number, blanks and a `#` remark is read the same way,
    /// with a warning naming the remark that is ignored. A value that is valid as a whole (a realm
    /// holding a `#`) stays whole.
    mutating func value<Value>(
        _ text: String, _ directive: ConfDirective, _ parse: (String) -> Result<Value, ConfigValueParsers.ValueError>
    ) -> Value? {
        let whole = parse(text)
        if case .failure = whole, let (number, remark) = Self.numberBeforeRemark(text), case .success(let value) = parse(number) {
            self.diagnostics.append(
                .warning(
                    "\(directive.key): the remark '\(remark.prefix(80))' after \(number) is ignored, as coturn ignores it "
                        + "(put remarks on a line of their own)",
                    line: directive.line, key: directive.key
                ))
            if let line = directive.line { self.remarkLinesRead.insert(line) }
            return value
        }
        return self.parsed(whole, directive)
    }

    /// The digits and the remark of "digits, blanks, `#` remark"; nil for any other text.
    private static func numberBeforeRemark(_ text: String) -> (String, Substring)? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let rest = text[digits.endIndex...]
        let remark = rest.drop { $0 == " " || $0 == "\t" }
        guard !digits.isEmpty, remark.startIndex > rest.startIndex, remark.first == "#" else { return nil }
        return (String(digits), remark)
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
