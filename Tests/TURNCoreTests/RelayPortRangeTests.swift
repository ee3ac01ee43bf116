import Testing
import TURNCore

/// Port arithmetic of the relay range never traps and never leaves the range (RFC 8656
/// Section 7.2: EVEN-PORT, and the R bit's reservation of the next port).
struct RelayPortRangeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var range: ClosedRange<UInt16>
        var even: Bool
        var withNext: Bool
        var expected: Int
        var testDescription: String { "\(self.range) even:\(self.even) next:\(self.withNext)" }
    }

    static let cases: [Case] = [
        Case(range: 65535...65535, even: false, withNext: false, expected: 1),
        Case(range: 65535...65535, even: true, withNext: false, expected: 0),
        Case(range: 65535...65535, even: true, withNext: true, expected: 0),
        Case(range: 65534...65535, even: true, withNext: true, expected: 1),
        Case(range: 65534...65534, even: true, withNext: false, expected: 1),
        Case(range: 65534...65534, even: true, withNext: true, expected: 0),
        Case(range: 50001...50001, even: true, withNext: false, expected: 0),
        Case(range: 50001...50001, even: false, withNext: false, expected: 1),
        Case(range: 50001...50002, even: true, withNext: true, expected: 0),
        Case(range: 50001...50003, even: true, withNext: true, expected: 1),
        Case(range: 0...0, even: true, withNext: true, expected: 0),
        Case(range: 0...1, even: true, withNext: true, expected: 1),
        Case(range: 49152...65535, even: true, withNext: true, expected: 8192),
        Case(range: 49152...65535, even: false, withNext: false, expected: 16384),
    ]

    @Test(arguments: cases)
    func countsOnlyPortsWhosePairFitsTheRange(_ testCase: Case) {
        let range = RelayPortRange(testCase.range)
        #expect(range.candidateCount(even: testCase.even, withNext: testCase.withNext) == testCase.expected)
    }

    @Test(arguments: cases)
    func everyRandomPortQualifiesOrThereIsNone(_ testCase: Case) {
        let range = RelayPortRange(testCase.range)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let port = range.randomPort(even: testCase.even, withNext: testCase.withNext, using: &generator)
            guard let port else {
                #expect(testCase.expected == 0)
                return
            }
            #expect(testCase.range.contains(port))
            #expect(!testCase.even || port % 2 == 0)
            if testCase.withNext {
                let next = range.successor(of: port)
                #expect(next == port + 1)
                #expect(next.map(testCase.range.contains) == true)
            }
        }
    }

    @Test func theSuccessorOfTheLastPortIsNone() {
        #expect(RelayPortRange(65535...65535).successor(of: 65535) == nil)
        #expect(RelayPortRange(50000...50001).successor(of: 50001) == nil)
        #expect(RelayPortRange(50000...50001).successor(of: 50000) == 50001)
    }

    @Test func countsTheRange() {
        #expect(RelayPortRange(49152...65535).count == 16384)
        #expect(RelayPortRange(65535...65535).count == 1)
    }

    @Test func aNearlyFullRangeStillYieldsItsLastFreePort() {
        var generator = SystemRandomNumberGenerator()
        let range = RelayPortRange(40000...40999)
        for _ in 0..<50 {
            #expect(range.randomPort(even: false, withNext: false, using: &generator) { $0 == 40777 } == 40777)
        }
        #expect(range.randomPort(even: false, withNext: false, using: &generator) { _ in false } == nil)
    }

    @Test func theReservedSuccessorMustBeFreeToo() {
        var generator = SystemRandomNumberGenerator()
        let range = RelayPortRange(40000...40999)
        let free: Set<UInt16> = [40100, 40200, 40201]
        for _ in 0..<50 {
            #expect(range.randomPort(even: true, withNext: true, using: &generator) { free.contains($0) } == 40200)
        }
    }
}
