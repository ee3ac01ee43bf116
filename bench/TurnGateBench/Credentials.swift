import Crypto
import Foundation

/// The long-term credential the bench authenticates with: a static user or a REST secret.
///
/// With a secret, the username is coturn's TURN REST form `"<expiry>:<user>"` and the
/// password `base64(HMAC-SHA1(secret, username))`, valid for one hour from now.
struct Credentials: Sendable {
    /// The USERNAME to send.
    var username: String
    /// The password the long-term key derives from.
    var password: String

    /// A static user and password.
    init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// REST credentials minted from `secret` for `user`, expiring in an hour.
    init(secret: String, user: String, now: Date = Date()) {
        let username = "\(Int(now.timeIntervalSince1970) + 3600):\(user)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(username.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        self.init(username: username, password: Data(mac).base64EncodedString())
    }
}
