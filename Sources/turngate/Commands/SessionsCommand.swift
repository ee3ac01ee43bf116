import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import TURNConfig

/// `turngate sessions`: the live allocations of a running node, through its admin API.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the live allocations of a running TurnGate through its admin API.",
        discussion: """
            With -c, the admin API's address and token come from the configuration \
            (admin-listening-port or api-listening-port, admin-token-file); --url and \
            --token-file override them.
            """
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "The node's configuration file.")
    var configFile: String?

    @Option(help: "The admin API's base URL, e.g. http://127.0.0.1:8080.")
    var url: String?

    @Option(help: "A file holding the admin token.")
    var tokenFile: String?

    @Option(help: "Only this user's allocations.")
    var user: String?

    @Option(help: "Only this room's allocations.")
    var room: String?

    @Flag(help: "Print the admin API's JSON as it is.")
    var json = false

    /// One allocation as the admin API lists it.
    struct Session: Decodable {
        var username: String
        var user: String
        var room: String?
        var client: String
        var relayed: String
        var transport: String
        var expiresInSeconds: Int
        var bandwidthKbps: Int?
    }

    struct Listing: Decodable {
        var allocations: [Session]
    }

    func run() async throws {
        let configuration = try ConfigurationFile.loadValid(path: self.configFile)
        let base = try self.baseURL(configuration)
        let token = try self.token(configuration)
        var components = URLComponents(string: base + "/v1/admin/allocations")
        components?.queryItems = [("user", self.user), ("room", self.room)].compactMap { name, value in
            value.map { URLQueryItem(name: name, value: $0) }
        }
        guard let target = components?.string else { throw ValidationError("not a URL: \(base)") }
        var request = HTTPClientRequest(url: target)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            printError("turngate: cannot reach the admin API at \(base): \(error)")
            throw ExitCode(1)
        }
        let data = Data(body.readableBytesView)
        guard response.status == .ok else {
            printError("turngate: the admin API answered \(response.status.code): \(String(decoding: data, as: UTF8.self))")
            throw ExitCode(1)
        }
        if self.json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let listing = try JSONDecoder().decode(Listing.self, from: data)
        print(Self.table(listing.allocations))
    }

    private static func table(_ sessions: [Session]) -> String {
        let header = ["USER", "ROOM", "CLIENT", "RELAYED", "TRANSPORT", "EXPIRES IN", "KBPS"]
        let rows = sessions.sorted { ($0.user, $0.client) < ($1.user, $1.client) }.map { session in
            [
                session.user, session.room ?? "-", session.client, session.relayed, session.transport,
                "\(session.expiresInSeconds) s", session.bandwidthKbps.map(String.init) ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return (lines + ["\(sessions.count) allocation(s)"]).joined(separator: "\n")
    }

    private func baseURL(_ configuration: TURNServerConfiguration?) throws -> String {
        if let url = self.url { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        guard let configuration, let port = configuration.adminListeningPort ?? configuration.apiListeningPort else {
            throw ValidationError("give --url, or -c with api-listening-port or admin-listening-port")
        }
        let host = configuration.apiListeningIPs.first.map { $0 == "0.0.0.0" ? "127.0.0.1" : $0 } ?? "127.0.0.1"
        let scheme = configuration.apiCertificateFile == nil ? "http" : "https"
        return "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    private func token(_ configuration: TURNServerConfiguration?) throws -> String {
        guard let path = self.tokenFile ?? configuration?.adminTokenFile else {
            throw ValidationError("give --token-file, or -c with admin-token-file")
        }
        guard let line = ConfigurationFile.firstLine(of: path) else {
            throw ValidationError("cannot read the admin token from \(path)")
        }
        return line
    }
}
