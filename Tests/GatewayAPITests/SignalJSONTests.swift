@testable import GatewayAPI
import Testing

/// Signaling's JSON reader and writer (RFC 8259).
struct SignalJSONTests {
    @Test
    func readsEveryKindOfValue() {
        let text = #" { "a" : [ null , true , false , 0 , -1.5 , 2e3 , 1E-2 , "x" ] , "b" : { } , "c" : [ ] } "#
        let expected = SignalJSON.object([
            "a": .array([.null, .bool(true), .bool(false), .number(0), .number(-1.5), .number(2000), .number(0.01), .string("x")]),
            "b": .object([:]), "c": .array([]),
        ])
        #expect(SignalJSON.parse(text.utf8) == expected)
    }

    @Test
    func readsEscapesAndSurrogatePairs() {
        let text = #""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 lone \ud800 end""#
        #expect(SignalJSON.parse(text.utf8) == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀 lone \u{FFFD} end"))
        #expect(SignalJSON.parse(#""ü✓""#.utf8) == .string("ü✓"))
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "[1,]", "{\"a\":1,}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "1e400", "-1e400",
        "\"unterminated", "\"raw\ncontrol\"", "\"bad \\x escape\"", "\"\\u12\"", "[1] trailing", "{\"a\"}", "[\"a\":1]",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(SignalJSON.parse(text.utf8) == nil)
    }

    @Test
    func limitsTheNesting() {
        let deepest = String(repeating: "[", count: SignalJSON.maximumDepth) + String(repeating: "]", count: SignalJSON.maximumDepth)
        #expect(SignalJSON.parse(deepest.utf8) != nil)
        #expect(SignalJSON.parse(("[" + deepest + "]").utf8) == nil)
    }

    @Test
    func writesCompactSortedTextThatReadsBack() {
        let value = SignalJSON.object([
            "z": .number(1), "a": .array([.number(-0.0), .number(0.1), .number(1e300), .number(9_007_199_254_740_993)]),
            "s": .string("quote\" slash\\ line\n nul\u{0} bell\u{07} é 😀"), "n": .null, "t": .bool(true),
        ])
        let text = value.text
        #expect(text.hasPrefix(#"{"a":[-0,0.1,1e+300,"#))
        #expect(text.contains(#""s":"quote\" slash\\ line\n nul\u0000 bell\u0007 é 😀""#))
        #expect(SignalJSON.parse(text.utf8) == value)
        #expect(SignalJSON.number(42).text == "42")
        #expect(SignalJSON.number(-7).text == "-7")
    }
}
