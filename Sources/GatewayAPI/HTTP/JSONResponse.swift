import Foundation
import Hummingbird
import NIOCore

/// Builds JSON responses: dates as RFC 3339 UTC, keys in declaration order.
enum JSONResponse {
    /// A response with `body` encoded as JSON.
    static func make(status: HTTPResponse.Status, body: some Encodable, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let bytes = (try? Self.encoder.encode(body)) ?? Data(#"{"error":"internal_error","message":"encoding failed"}"#.utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
