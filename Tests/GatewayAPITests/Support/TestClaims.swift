import Foundation
import JWTKit

/// A JSON claim value a test token carries.
enum ClaimValue: Codable, Sendable, Hashable {
    case string(String)
    case number(Int)
    case strings([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .number(value)
        } else if let value = try? container.decode([String].self) {
            self = .strings(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}

/// Any set of claims, signed as is (the test decides what is missing or wrong).
struct TestClaims: JWTPayload, Sendable {
    var values: [String: ClaimValue]

    init(_ values: [String: ClaimValue]) { self.values = values }

    /// Valid claims for `user` at `now`: `sub`, `iat`, `exp` an hour later.
    static func valid(user: String = "alice", now: Date, extra: [String: ClaimValue] = [:]) -> TestClaims {
        let seconds = Int(now.timeIntervalSince1970)
        var values: [String: ClaimValue] = ["sub": .string(user), "iat": .number(seconds), "exp": .number(seconds + 3600)]
        values.merge(extra) { $1 }
        return TestClaims(values)
    }

    init(from decoder: any Decoder) throws {
        self.values = try decoder.singleValueContainer().decode([String: ClaimValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.values)
    }

    func verify(using algorithm: some JWTAlgorithm) throws {}
}
