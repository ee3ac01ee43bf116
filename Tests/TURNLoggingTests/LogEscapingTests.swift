import Testing
import TURNLogging

/// Text and JSON escaping: one event is one line, and a value cannot add a `key=value` pair.
struct LogEscapingTests {
    @Test(arguments: [
        ("udp", "udp"),
        ("127.0.0.1:3478", "127.0.0.1:3478"),
        ("", #""""#),
        ("two words", #""two words""#),
        ("a=b", #""a=b""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"back\slash"#, #""back\\slash""#),
        ("alice\nFORGED level=error", #""alice\nFORGED level=error""#),
        ("cr\rtab\t", #""cr\rtab\t""#),
        ("nul\u{0}esc\u{1B}del\u{7F}", #""nul\u0000esc\u001bdel\u007f""#),
        ("nel\u{85}csi\u{9B}", #""nel\u0085csi\u009b""#),
        ("ls\u{2028}ps\u{2029}rlo\u{202E}", #""ls\u2028ps\u2029rlo\u202e""#),
        ("café→ünï", "café→ünï"),
    ])
    func textValues(raw: String, escaped: String) {
        #expect(LogEscaping.textValue(raw) == escaped)
    }

    @Test
    func textMessagesKeepTheirSpacesButNeverAPairOrALineBreak() {
        #expect(LogEscaping.textMessage("request refused") == "request refused")
        #expect(LogEscaping.textMessage("stopped: x=1") == #""stopped: x=1""#)
        #expect(LogEscaping.textMessage("one\ntwo") == #""one\ntwo""#)
    }

    @Test
    func noEscapedTextHoldsALineBreakOrAnUnquotedSpace() {
        let samples = (0...0x2070).compactMap(Unicode.Scalar.init).map { "x\($0)y= z" }
        for sample in samples {
            let value = LogEscaping.textValue(sample)
            #expect(!value.unicodeScalars.contains { LogEscaping.isEscaped($0) })
            #expect(value.hasPrefix("\"") && value.hasSuffix("\""))
        }
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("q\"b\\", #""q\"b\\""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\u0008\u000c""#),
        ("\u{1F}\u{7F}\u{80}\u{9F}\u{2028}", #""\u001f\u007f\u0080\u009f\u2028""#),
    ])
    func jsonStrings(raw: String, escaped: String) {
        #expect(LogEscaping.jsonString(raw) == escaped)
    }
}
