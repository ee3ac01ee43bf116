import Foundation

/// The operator's ICE test page, served at `GET /ice-test` while `ice-test-page` is on
/// (docs/gateway.md, "ICE test page").
///
/// One self-contained HTML document, with its style and script inline and nothing loaded from
/// elsewhere. In the browser it gets a TURN credential, from a JWT through
/// `POST /v1/turn/credentials` or minted locally from a `static-auth-secret` with WebCrypto
/// (the secret never leaves the page); gathers candidates with one `RTCPeerConnection` and
/// lists them, with every `icecandidateerror`, as WebRTC's Trickle ICE sample does; and runs a
/// relay test: two peer connections with `iceTransportPolicy: "relay"` echo data-channel
/// messages through the relay, and the page shows PASS or FAIL with the reason. Its two-party
/// test joins a room through the gateway's signaling (`/v1/signal`, docs/signaling.md) with the
/// JWT, and connects to the page open in another tab or on another machine in the same room,
/// through the relay only (``pairScript``).
///
/// For automation, `document.body.dataset.result` becomes `pass` or `fail`; with
/// `autorun=1` and either `jwt=` or `secret=` and `user=` (plus any `uri=`), in the query or
/// the fragment, the relay test runs when the page loads; framed, the page posts
/// `{turngateIceTest: {result, reason, candidates}}` to its parent. With `mode=pair`,
/// `room=` and `jwt=`, the two-party test runs when the page loads, and reports in
/// `document.body.dataset.pairResult` and `{turngateIceTestPair: {...}}`. Whatever the address
/// holds is only ever written into the page as text (`textContent`), never as HTML.
enum IceTestPage {
    /// The page with `nonce` in its `<script>` and `<style>` elements, for the
    /// `Content-Security-Policy` of the same response.
    static func render(nonce: String) -> String {
        Self.template.replacingOccurrences(of: Self.noncePlaceholder, with: nonce)
    }

    /// A fresh CSP nonce: 16 random bytes in base64 (CSP Level 3, Section 2.3.1).
    static func makeNonce(using generator: inout some RandomNumberGenerator) -> String {
        Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
    }

    /// Where ``render(nonce:)`` puts the nonce.
    static let noncePlaceholder = "{{nonce}}"

    /// The page, with ``noncePlaceholder`` for the nonce: the markup and style here, the
    /// script in ``script``, ``pairMediaScript`` and ``pairScript``, which share one function
    /// scope.
    static let template = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>TurnGate ICE test</title>
<link rel="icon" href="data:,">
<style nonce="{{nonce}}">
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 72em; padding: 0 1em; color: #1d1d1f; }
  h1 { font-size: 1.5em; margin-bottom: 0.2em; }
  h2 { font-size: 1.15em; margin: 0 0 0.6em; }
  section { border: 1px solid #d0d0d7; border-radius: 6px; padding: 1em; margin: 1em 0; }
  label { display: block; margin: 0.4em 0 0.15em; font-weight: 600; }
  input[type=text], input[type=password], input[type=number], textarea { width: 100%; box-sizing: border-box; font: 13px ui-monospace, monospace; padding: 0.3em; }
  textarea { min-height: 4.5em; }
  fieldset { border: 0; padding: 0; margin: 0 0 0.5em; }
  fieldset label { display: inline; font-weight: normal; margin-right: 1.5em; }
  .row { display: flex; gap: 1em; }
  .row > div { flex: 1; }
  button { margin: 0.6em 0.6em 0 0; padding: 0.35em 0.9em; font-size: 14px; }
  table { border-collapse: collapse; width: 100%; margin-top: 0.6em; font: 12px ui-monospace, monospace; }
  th, td { border: 1px solid #d0d0d7; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
  th { background: #f2f2f5; }
  dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; margin: 0.6em 0; }
  dt { font-weight: 600; }
  dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
  .status { margin-top: 0.6em; color: #555; }
  .error { color: #b00020; }
  #verdict, #pair-verdict { font-size: 3em; font-weight: 800; margin: 0.3em 0 0; }
  #verdict.pass, #pair-verdict.pass { color: #1a7f37; }
  #verdict.fail, #pair-verdict.fail { color: #b00020; }
  #verdict.running, #pair-verdict.running { color: #555; }
  #relay-log, #pair-log { background: #f6f6f8; padding: 0.5em; max-height: 18em; overflow: auto; font-size: 12px; }
  #pair-remote-video { max-width: 20em; margin-top: 0.6em; background: #000; }
  .note { color: #555; font-size: 0.9em; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<h1>TurnGate ICE test</h1>
<p class="note">Checks that browsers can gather candidates from, and relay through, this TurnGate. Secrets and passwords stay in this page.</p>

<section id="credentials-section">
  <h2>1. Credentials</h2>
  <fieldset id="mode">
    <label><input type="radio" name="mode" id="mode-jwt" value="jwt" checked> JWT (asks this gateway)</label>
    <label><input type="radio" name="mode" id="mode-secret" value="secret"> Development secret (minted in the browser)</label>
  </fieldset>
  <div id="jwt-fields">
    <label for="jwt">JWT</label>
    <textarea id="jwt" spellcheck="false" autocomplete="off" placeholder="eyJhbGciOi..."></textarea>
    <button type="button" id="fetch-credentials">Get credentials</button>
  </div>
  <div id="secret-fields" hidden>
    <div class="row">
      <div><label for="secret">static-auth-secret</label><input type="password" id="secret" autocomplete="off" spellcheck="false"></div>
      <div><label for="user">User</label><input type="text" id="user" value="ice-test" autocomplete="off" spellcheck="false"></div>
    </div>
    <div class="row">
      <div><label for="ttl">TTL (seconds)</label><input type="number" id="ttl" value="3600" min="1" max="604800"></div>
      <div><label for="separator">rest-api-separator</label><input type="text" id="separator" value=":" maxlength="1"></div>
    </div>
    <button type="button" id="mint-credentials">Mint credentials</button>
    <p class="note">The secret never leaves this browser: user name <code>&lt;expiry&gt;:&lt;user&gt;</code>, password base64(HMAC-SHA1(secret, user name)).</p>
  </div>
  <dl id="credential-info" hidden>
    <dt>User name</dt><dd id="credential-username"></dd>
    <dt>Password</dt><dd id="credential-password"></dd>
    <dt>TTL</dt><dd id="credential-ttl"></dd>
    <dt>Expires</dt><dd id="credential-expires"></dd>
    <dt>Source</dt><dd id="credential-source"></dd>
  </dl>
  <div id="credential-status" class="status"></div>
  <label for="uris">TURN/STUN URIs (one a line)</label>
  <textarea id="uris" spellcheck="false" placeholder="turn:turn.example.com:3478?transport=udp"></textarea>
</section>

<section id="gather-section">
  <h2>2. Gather candidates</h2>
  <label><input type="checkbox" id="relay-only"> Relay candidates only (iceTransportPolicy "relay")</label>
  <button type="button" id="gather">Gather candidates</button>
  <div id="gather-status" class="status"></div>
  <table id="candidates">
    <thead><tr><th>Time</th><th>Component</th><th>Type</th><th>Foundation</th><th>Protocol</th><th>Address</th><th>Port</th><th>Priority</th><th>Relay protocol</th><th>URL</th></tr></thead>
    <tbody></tbody>
  </table>
  <table id="candidate-errors">
    <thead><tr><th>Time</th><th>Error code</th><th>Error text</th><th>URL</th></tr></thead>
    <tbody></tbody>
  </table>
</section>

<section id="relay-section">
  <h2>3. Relay test</h2>
  <p class="note">Two peer connections in this page, relay candidates only, open a data channel through TurnGate and echo a few messages (gives up after 12 s).</p>
  <button type="button" id="relay-test">Run relay test</button>
  <div id="verdict" role="status" aria-live="polite"></div>
  <div id="verdict-reason"></div>
  <pre id="relay-log"></pre>
</section>

<section id="pair-section">
  <h2>4. Two-party test</h2>
  <p class="note">Open this page in two tabs (or on two machines) with the same room, each with a JWT in 1. Credentials (a token whose <code>roomId</code> is the room, or any token with <code>signal-open-rooms</code>). The tabs meet through this gateway's signaling (<code>/v1/signal</code>), connect with relay candidates only, send a data-channel message both ways and, where there is a camera, video (gives up 20 s after the other tab joins).</p>
  <label for="pair-room">Room</label>
  <input type="text" id="pair-room" maxlength="128" autocomplete="off" spellcheck="false" placeholder="room-1">
  <label><input type="checkbox" id="pair-video" checked> Send camera video when there is a camera</label>
  <button type="button" id="pair-start">Join the room and test</button>
  <dl id="pair-info" hidden>
    <dt>This peer</dt><dd id="pair-peer"></dd>
    <dt>Role</dt><dd id="pair-role"></dd>
    <dt>Other peer</dt><dd id="pair-remote"></dd>
  </dl>
  <div id="pair-verdict" role="status" aria-live="polite"></div>
  <div id="pair-reason"></div>
  <video id="pair-remote-video" autoplay muted playsinline hidden></video>
  <pre id="pair-log"></pre>
</section>

<script nonce="{{nonce}}">
"use strict";
(() => {

"""# + Self.script + Self.pairMediaScript + Self.pairScript + #"""
})();
</script>
</body>
</html>
"""#
}
