import TURNTestSupport
import Testing

@testable import TURNConfig

struct RobustnessTests {
    /// Pieces that make random text look like configuration, so that the inputs reach past the
    /// first character.
    private static let pieces: [[UInt8]] = {
        let words =
            ConfigKey.catalogue.map(\.name) + [
                "=", " ", "\t", "\n", "\r\n", "\r", "#", "\"", ";", "::", ".", ":", "-", "--", "=\"", "0", "1", "yes", "off",
                "127.0.0.1", "::1", "65535", "65536", "99999999999999999999", "json", "trace", "stdout", "syslog", "\u{FEFF}",
                "é", "\u{0}", "\u{7F}",
            ]
        return words.map { Array($0.utf8) }
    }()

    private static func randomBytes(_ generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        let pieceCount = Int.random(in: 0...24, using: &generator)
        for _ in 0..<pieceCount {
            if Bool.random(using: &generator) {
                bytes += Self.pieces.randomElement(using: &generator) ?? []
            } else {
                bytes += (0..<Int.random(in: 1...6, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
        }
        return bytes
    }

    @Test
    func randomFilesNeverCrashTheLexerOrLoader() {
        var generator = SplitMix64(seed: 0x7475_726E_6761_7465)
        for _ in 0..<3000 {
            let text = String(decoding: Self.randomBytes(&generator), as: UTF8.self)
            let lineCount = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            let (directives, lexerDiagnostics) = ConfigFileLexer.lex(text)
            #expect(directives.allSatisfy { ($0.line ?? 0) >= 1 && ($0.line ?? 0) <= lineCount && !$0.key.isEmpty })
            #expect(lexerDiagnostics.allSatisfy { $0.line != nil })

            let (_, diagnostics) = TURNServerConfiguration.load(fileText: text, arguments: [], strict: Bool.random(using: &generator))
            #expect(diagnostics.allSatisfy { $0.concernsWholeConfiguration || (($0.line ?? 0) >= 1 && ($0.line ?? 0) <= lineCount) })
        }
    }

    @Test
    func randomArgumentsNeverCrashTheCommandLineReader() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let arguments = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                let prefix = ["", "-", "--", "--no-"].randomElement(using: &generator) ?? ""
                return prefix + String(decoding: Self.randomBytes(&generator).prefix(40), as: UTF8.self)
            }
            let (directives, diagnostics) = CommandLineOptions.directives(from: arguments)
            #expect(directives.allSatisfy { $0.line == nil })
            #expect(diagnostics.allSatisfy { $0.line == nil && $0.severity == .error })
            _ = TURNServerConfiguration.load(fileText: "", arguments: arguments, strict: false)
        }
    }

    @Test
    func randomDirectivesOfKnownOptionsNeverCrashTheLoader() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3000 {
            let directives = (0..<Int.random(in: 0...12, using: &generator)).map { index in
                let key = ConfigKey.catalogue.randomElement(using: &generator)?.name ?? ""
                let value = Bool.random(using: &generator) ? nil : String(decoding: Self.randomBytes(&generator).prefix(20), as: UTF8.self)
                return ConfDirective(key: key, value: value, line: index + 1)
            }
            let lines = Set(directives.compactMap(\.line))
            let (_, diagnostics) = TURNServerConfiguration.load(directives: directives, strict: false)
            #expect(diagnostics.allSatisfy { $0.line.map(lines.contains) ?? true })
        }
    }
}
