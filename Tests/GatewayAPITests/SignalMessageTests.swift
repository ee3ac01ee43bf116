@testable import GatewayAPI
import Testing

/// The signaling wire (docs/signaling.md): client messages in both framings, server events,
/// and the per-socket message budget.
struct SignalMessageTests {
    @Test
    func plainMessagesParseIntoRequests() throws {
        let authenticate = try SignalRequest.plain(#"{"type":"authenticate","token":"t.t.t","roomId":"room-1"}"#.utf8)
        #expect(authenticate == .authenticate(token: "t.t.t", room: "room-1"))
        let withoutRoom = try SignalRequest.plain(#"{"type":"authenticate","token":"t.t.t"}"#.utf8)
        #expect(withoutRoom == .authenticate(token: "t.t.t", room: nil))
        let signal = try SignalRequest.plain(#"{"type":"signal","to":"p_1","data":{"sdp":"v=0","n":[1,2.5,null,true]}}"#.utf8)
        #expect(signal == .signal(to: "p_1", data: .object(["sdp": .string("v=0"), "n": .array([.number(1), .number(2.5), .null, .bool(true)])])))
        let broadcast = try SignalRequest.plain(#"{"type":"signal","data":"hi"}"#.utf8)
        #expect(broadcast == .signal(to: nil, data: .string("hi")))
    }

    @Test(arguments: [
        "not json", "[1,2]", "42", #"{"token":"x"}"#, #"{"type":7}"#, #"{"type":"dance"}"#,
        #"{"type":"signal","to":5}"#, #"{"type":"authenticate","token":"t","roomId":""}"#,
        #"{"type":"authenticate","token":"t","roomId":"a\u0007b"}"#,
        String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
    ])
    func malformedMessagesAreBadMessages(text: String) {
        #expect(throws: SignalError.self) { try SignalRequest.plain(text.utf8) }
        do {
            _ = try SignalRequest.plain(text.utf8)
        } catch {
            #expect(error.code == "bad_message")
            #expect(error.consequence == .dropMessage)
        }
    }

    @Test
    func anAuthenticateWithoutATokenIsARefusedToken() {
        for (text, code) in [
            (#"{"type":"authenticate","roomId":"r"}"#, "missing_token"), (#"{"type":"authenticate","token":""}"#, "missing_token"),
            (#"{"type":"authenticate","token":42}"#, "malformed_token"),
        ] {
            do {
                _ = try SignalRequest.plain(text.utf8)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.code == code)
                #expect(error.consequence == .close(SignalError.unauthenticatedCloseCode))
            }
        }
    }

    @Test
    func roomNamesAreLimitedToTheTokensClaimLength() throws {
        let longest = String(repeating: "r", count: SignalRequest.maximumRoomBytes)
        #expect(try SignalRequest.plain(#"{"type":"authenticate","token":"t","roomId":"\#(longest)"}"#.utf8) == .authenticate(token: "t", room: longest))
        #expect(throws: SignalError.self) { try SignalRequest.plain(#"{"type":"authenticate","token":"t","roomId":"\#(longest)r"}"#.utf8) }
    }

    @Test
    func socketIOPacketsAreUnderstood() throws {
        #expect(try SocketIOPacket("3"[...].utf8) == .pong)
        #expect(try SocketIOPacket("2probe"[...].utf8) == .ping(reply: "3probe"))
        #expect(try SocketIOPacket("40"[...].utf8) == .connect)
        #expect(try SocketIOPacket(#"40{"token":"x"}"#[...].utf8) == .connect)
        #expect(try SocketIOPacket("40/admin,"[...].utf8) == .connectRefused(reply: #"44/admin,{"message":"Invalid namespace"}"#))
        #expect(try SocketIOPacket("41"[...].utf8) == .disconnect)
        #expect(try SocketIOPacket("1"[...].utf8) == .disconnect)
        #expect(try SocketIOPacket("6"[...].utf8) == .ignored)
        #expect(try SocketIOPacket(#"42["signal",{"data":1}]"#[...].utf8) == .event(.signal(to: nil, data: .number(1))))
        #expect(try SocketIOPacket(#"4217["authenticate",{"token":"a.b.c","roomId":"r"}]"#[...].utf8) == .event(.authenticate(token: "a.b.c", room: "r")))
    }

    @Test(arguments: ["", "9", "4", "45-[]", #"42["signal"]"#, #"42["signal",1]"#, #"42[7,{}]"#, #"42/other,["signal",{}]"#, "42{}"])
    func malformedSocketIOPacketsAreBadMessages(text: String) {
        #expect(throws: SignalError.self) { try SocketIOPacket(text[...].utf8) }
    }

    @Test
    func eventsCarryTheirTypeInBothFramings() {
        let event = SignalEvent.signal(from: "p_a", data: .object(["sdp": .string("v=0\r\n"), "index": .number(0)]))
        #expect(event.json == #"{"data":{"index":0,"sdp":"v=0\r\n"},"from":"p_a","type":"signal"}"#)
        #expect(SignalFraming.plain.text(of: event) == event.json)
        #expect(SignalFraming.socketIO.text(of: event) == #"42["signal",\#(event.json)]"#)
        let error = SignalEvent.error(.roomFull)
        #expect(error.json.contains(#""code":"room_full""#))
    }

    @Test
    func theBudgetAllowsABurstOfTwiceTheRateThenTheRate() {
        let start = ContinuousClock.now
        var budget = SignalMessageBudget(rate: 5, now: start)
        let burst = (0..<20).filter { _ in budget.spend(rate: 5, now: start) }.count
        #expect(burst == 10)
        let later = start + .seconds(1)
        let refilled = (0..<20).filter { _ in budget.spend(rate: 5, now: later) }.count
        #expect(refilled == 5)
    }

    @Test
    func browsersMustComeFromTheGatewayOrAnAllowedOrigin() {
        #expect(SignalRoutes.originAllowed(nil, host: "turn.example.com", origins: []))
        #expect(SignalRoutes.originAllowed("https://turn.example.com", host: "turn.example.com", origins: []))
        #expect(SignalRoutes.originAllowed("http://127.0.0.1:8080", host: "127.0.0.1:8080", origins: []))
        #expect(SignalRoutes.originAllowed("http://[::1]:8080", host: "[::1]:8080", origins: []))
        #expect(!SignalRoutes.originAllowed("https://evil.example", host: "turn.example.com", origins: []))
        #expect(!SignalRoutes.originAllowed("http://127.0.0.1:9999", host: "127.0.0.1:8080", origins: []))
        #expect(SignalRoutes.originAllowed("https://app.example", host: "turn.example.com", origins: ["https://app.example"]))
        #expect(SignalRoutes.originAllowed("https://any.example", host: "turn.example.com", origins: ["*"]))
        #expect(!SignalRoutes.originAllowed("null", host: "turn.example.com", origins: ["https://app.example"]))
    }
}
