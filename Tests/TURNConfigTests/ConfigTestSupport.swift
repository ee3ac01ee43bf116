@testable import TURNConfig

/// Loads `text` as a configuration file, without command-line arguments, and leaves out the
/// diagnostic about the whole configuration: the warning (an error under strict mode) that no
/// authentication is configured, which `AuthenticationConfigurationTests` covers. Tests of
/// other options use it so that their files need no credentials.
func loadOptions(_ text: String, strict: Bool = false) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
    let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: text, arguments: [], strict: strict)
    return (configuration, diagnostics.filter { !$0.concernsWholeConfiguration })
}

/// Loads `text` as a configuration file, without command-line arguments, keeping every
/// diagnostic.
func loadFile(_ text: String, strict: Bool = false) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
    TURNServerConfiguration.load(fileText: text, arguments: [], strict: strict)
}
