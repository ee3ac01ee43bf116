extension ConfigurationLoader {
    /// Adds a static user after checking its form; a name given again gets a warning, and its
    /// last entry counts.
    mutating func addUser(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive), let name = self.parsed(ConfigValueParsers.userAccount(text), directive) else {
            return
        }
        if let previous = self.userPlaces[name] {
            self.diagnostics.append(
                .warning(
                    "user '\(name)' is also given on \(previous.phrase): only the last one applies",
                    line: directive.line, key: directive.key
                ))
        }
        self.userPlaces[name] = Place(line: directive.line, key: directive.key)
        self.configuration.users.append(text)
    }

    /// Settles which credential mechanisms are on, as coturn does, and reports what cannot work.
    ///
    /// User accounts (`user`, `userdb`) turn the long-term mechanism on, and a
    /// `static-auth-secret` turns TURN REST API credentials on, whatever `lt-cred-mech` and
    /// `use-auth-secret` say. Both mechanisms at once are accepted, unlike in coturn. Reported:
    /// `use-auth-secret` without a secret (an error: TurnGate has no database to read one from),
    /// `no-auth` with a mechanism (an error, as in coturn), a mechanism that no one can use, a
    /// flag turned off to no effect, and no authentication at all (a warning about the whole
    /// configuration, since the relay will then refuse every Allocate).
    mutating func settleAuthentication() {
        let hasUsers = !self.configuration.users.isEmpty || self.configuration.userDB != nil
        let hasSecrets = !self.configuration.staticAuthSecrets.isEmpty
        self.configuration.longTermCredentials = self.ltCredMech == true || hasUsers
        self.configuration.restAPICredentials = self.useAuthSecret == true || hasSecrets

        if self.useAuthSecret == true, !hasSecrets, self.configuration.redisUserDB == nil, self.configuration.userDB == nil {
            self.report(
                .error, "use-auth-secret needs at least one static-auth-secret, or userdb or redis-userdb holding the secrets (turnadmin -s)",
                at: .useAuthSecret)
        }
        if self.useAuthSecret == false, hasSecrets {
            self.report(
                .warning, "use-auth-secret=no has no effect: static-auth-secret turns TURN REST API credentials on, as in coturn",
                at: .useAuthSecret)
        }
        if self.ltCredMech == false, hasUsers {
            self.report(
                .warning, "lt-cred-mech=no has no effect: user and userdb turn the long-term credential mechanism on, as in coturn",
                at: .ltCredMech)
        }
        if self.ltCredMech == true, !hasUsers, !self.configuration.restAPICredentials, self.configuration.redisUserDB == nil {
            self.report(
                .warning, "lt-cred-mech without user or userdb: no one can authenticate, so every Allocate will be refused",
                at: .ltCredMech)
        }
        self.checkNoAuth(hasUsers: hasUsers, hasSecrets: hasSecrets)
    }

    private mutating func checkNoAuth(hasUsers: Bool, hasSecrets: Bool) {
        let credentials: [(ConfigSetting, Bool)] = [
            (.ltCredMech, self.ltCredMech == true), (.user, !self.configuration.users.isEmpty), (.userDB, self.configuration.userDB != nil),
            (.useAuthSecret, self.useAuthSecret == true), (.staticAuthSecret, hasSecrets),
        ]
        let given = credentials.filter(\.1).map(\.0)
        if !self.configuration.authenticationRequired, !given.isEmpty {
            let place = self.latestPlace(of: given + [.noAuth])
            self.diagnostics.append(
                .error(
                    "no-auth cannot be used with lt-cred-mech, user, userdb, use-auth-secret or static-auth-secret",
                    line: place?.line, key: place?.key
                ))
        } else if self.configuration.authenticationRequired, !hasUsers, !self.configuration.restAPICredentials, self.ltCredMech != true,
            self.configuration.redisUserDB == nil, !self.configuration.stunOnly
        {
            self.diagnostics.append(
                .wholeConfigurationWarning(
                    "no authentication is configured: give lt-cred-mech with user or userdb, or use-auth-secret with "
                        + "static-auth-secret (or no-auth to relay for anyone); until then every Allocate will be refused"
                ))
        }
    }
}
