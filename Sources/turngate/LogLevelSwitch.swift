import Logging
import Synchronization

/// The lowest level logged, shared by every log handler so that a reload changes it at once.
final class LogLevelSwitch: Sendable {
    private let rawLevel: Atomic<UInt8>

    init(_ level: Logger.Level) {
        self.rawLevel = Atomic(Self.index(level))
    }

    /// The current level.
    var level: Logger.Level {
        get { Logger.Level.allCases[Int(self.rawLevel.load(ordering: .relaxed))] }
        set { self.rawLevel.store(Self.index(newValue), ordering: .relaxed) }
    }

    private static func index(_ level: Logger.Level) -> UInt8 {
        UInt8(Logger.Level.allCases.firstIndex(of: level) ?? 0)
    }
}
