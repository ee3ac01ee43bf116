/// A seeded pseudo-random generator (SplitMix64), so randomised tests replay exactly.
///
/// Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators" (OOPSLA 2014). The
/// STUNWire mutation tests, the TURNAuth nonce-key tests and the TURNCore peer-policy fuzz
/// tests all draw from it, so a failing input is reproduced by its seed alone.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    ///
    /// - Parameter seed: The starting state: the same seed gives the same sequence.
    public init(seed: UInt64) { self.state = seed }

    /// The next 64 pseudo-random bits.
    ///
    /// - Returns: The next value of the sequence.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
