/// The version `turngate --version` prints.
enum TurnGateVersion {
    static let current = "0.1.0"
}
