"""Headless Chromium (Debian's `chromium`) relaying a WebRTC data channel through the
server under test.

The page (browser/turn_datachannel.html) is served by a Python ThreadingHTTPServer on a
free loopback port; it makes two RTCPeerConnections whose only ICE server is the server
under test, with iceTransportPolicy "relay", trickles the candidates between them, opens
a data channel and has three messages echoed back. It reports every step and one final
JSON result by POSTing to its own origin; the test waits for that result on a
threading.Event. Each Chromium run is bounded (the page gives up after PAGE_DEADLINE, the
test kills the whole Chromium process group after at most BROWSER_TIMEOUT) and Chromium
is kept off every network but loopback (browserutil.py, shared with
test_browser_pair.py).

Tests: TURN over UDP, TURN over TCP, TURN over TLS (turns:, with a self-signed
certificate that Chromium is told to accept by its SPKI hash; skipped, with the reason,
only if this Chromium refuses it while a Python TLS client verifying the same certificate
gets a STUN answer) and a control with a wrong password, where no relay candidate may be
gathered and the page must report failure. With INTEROP_SERVER=coturn the log checks are
left out (they read turngate's log) and the TCP and TLS tests are skipped.

The gateway's ICE test page (GET /ice-test, `ice-test-page`; turngate only): framed by a
harness page on another loopback origin (allowed by `api-cors-origin`), run with
`#autorun=1` and an HS256 JWT made here, or the static-auth-secret (minted in the browser),
it must report PASS through postMessage; with a JWT signed by another key, FAIL (401).

Needs Debian's `chromium` (scripts/install-deps.sh test).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import ssl
import subprocess
import time
from pathlib import Path

import pytest

import stun
from browserutil import (ICE_TEST_USER, Browser, BrowserRun, Harness, IceTestServer, parse_candidate,
                         run_until_results)
from conftest import free_port, turngate_only
from test_turn_uclient import self_signed_certificate

USER = "alice"
PASSWORD = "alice-password"
PAGE = Path(__file__).resolve().parent / "browser" / "turn_datachannel.html"
PAGE_DEADLINE = 12.0     # the page reports failure by itself after this
BROWSER_TIMEOUT = 18.0   # the test kills Chromium after this (from its start)
ALLOCATION_LOG_WAIT = 3.0


@pytest.fixture
def run_page(chromium_bin, tmp_path):
    """`run_page(turn_url, username, credential, extra_flags=())` -> BrowserRun.

    Starts a harness server and a Chromium on the page, waits for the page's result (at
    most BROWSER_TIMEOUT from Chromium's start), then kills Chromium's process group."""
    harnesses, browsers = [], []

    def run(turn_url: str, username: str, credential: str, extra_flags=()) -> BrowserRun:
        harness = Harness(PAGE)
        harnesses.append(harness)
        browser = Browser(chromium_bin, tmp_path, f"chromium-{len(browsers)}")
        browsers.append(browser)
        nonce = secrets.token_hex(6)
        url = harness.url(url=turn_url, username=username, credential=credential, nonce=nonce,
                          deadline_ms=int(PAGE_DEADLINE * 1000))
        elapsed, exited = run_until_results(browser, harness, url, BROWSER_TIMEOUT, extra_flags)
        outcome = BrowserRun(harness.result, harness.log_text(), browser.log(), browser.argv, url,
                             elapsed)
        outcome.nonce = nonce
        if outcome.result is None:
            why = (f"chromium exited with {exited}" if exited is not None
                   else f"no result within {BROWSER_TIMEOUT:.0f} s; chromium killed")
            pytest.fail(f"the page reported no result: {why}{outcome.describe()}", pytrace=False)
        return outcome

    yield run
    for browser in browsers:
        browser.kill()
    for harness in harnesses:
        harness.close()


# --- checks -----------------------------------------------------------------------------

def assert_relayed_echo(run: BrowserRun, server, relay_protocol: str) -> None:
    where = run.describe()
    result = run.result
    assert result.get("opened") is True, f"the data channel did not open{where}"
    assert result.get("ok") is True, f"the page reports failure: {result.get('reason')}{where}"
    echoes = result.get("echoes") or []
    assert len(echoes) == 3 and echoes[0] == f"echo:hello-{run.nonce}" \
        and echoes[1] == f"echo:second-{run.nonce}" and echoes[2].startswith(f"echo:{run.nonce}-xxx"), \
        f"the echoes are not the messages sent{where}"

    # Every gathered candidate, of both peers, is a relayed one: the server's relay address.
    candidates = result.get("candidates") or []
    for peer in ("a", "b"):
        assert any(c["peer"] == peer for c in candidates), f"peer {peer} gathered no candidate{where}"
    for c in candidates:
        parsed = parse_candidate(c["candidate"])
        assert parsed["type"] == "relay", f"a non-relay candidate was gathered: {c['candidate']}{where}"
        assert parsed["protocol"] == "udp", f"a relayed candidate is not UDP: {c['candidate']}{where}"
        assert parsed["address"] == server.relay_ip, \
            f"relayed address {parsed['address']} is not the server's relay-ip {server.relay_ip}{where}"
        assert server.min_port <= parsed["port"] <= server.max_port, \
            (f"relayed port {parsed['port']} outside the server's range "
             f"{server.min_port}-{server.max_port}{where}")
        if c.get("relayProtocol") is not None:
            assert c["relayProtocol"] == relay_protocol, \
                f"candidate relayProtocol {c['relayProtocol']!r}, expected {relay_protocol!r}{where}"

    # getStats(): the selected pair is relay/relay on both sides, over the expected protocol.
    for peer in ("a", "b"):
        selected = (result.get("selected") or {}).get(peer)
        assert selected and selected.get("local") and selected.get("remote"), \
            f"peer {peer}: no selected candidate pair in getStats(){where}"
        assert selected["local"]["candidateType"] == "relay" and selected["remote"]["candidateType"] == "relay", \
            f"peer {peer}: the selected pair is not relay/relay: {selected}{where}"
        assert selected["local"].get("relayProtocol") == relay_protocol, \
            (f"peer {peer}: local relayed candidate uses relayProtocol "
             f"{selected['local'].get('relayProtocol')!r}, expected {relay_protocol!r}{where}")
        for local in (result.get("localCandidates") or {}).get(peer) or []:
            assert local.get("candidateType") == "relay", \
                f"peer {peer}: getStats() lists a non-relay local candidate {local}{where}"


def allocation_records(server, transport: str) -> list:
    """turngate's `allocation created` log lines for `transport`, waiting a little for them."""
    deadline = time.monotonic() + ALLOCATION_LOG_WAIT
    while True:
        lines = [line for line in server.output().splitlines()
                 if "allocation created" in line and f"turn.transport={transport}" in line]
        if len(lines) >= 2 or time.monotonic() >= deadline:
            return lines
        time.sleep(0.1)


def assert_server_allocated(run: BrowserRun, server, transport: str) -> None:
    if getattr(server, "kind", "turngate") != "turngate":
        return   # the log format is turngate's
    lines = allocation_records(server, transport)
    user_lines = [line for line in lines if f"turn.username={USER}" in line]
    assert len(user_lines) >= 2, \
        (f"expected turngate to log at least 2 `allocation created ... turn.transport={transport}` "
         f"lines for {USER} (one per peer), found {len(user_lines)}{run.describe()}\n{server.logs()}")
    relayed = {m.group(1) for line in user_lines for m in [re.search(r"turn\.relayed=(\S+)", line)] if m}
    gathered = {f"{parse_candidate(c['candidate'])['address']}:{parse_candidate(c['candidate'])['port']}"
                for c in run.result.get("candidates") or []}
    assert gathered <= relayed, \
        (f"the browser's relayed candidates {sorted(gathered)} are not all allocations turngate logged "
         f"{sorted(relayed)}{run.describe()}")


# --- tests ------------------------------------------------------------------------------

def test_browser_turn_udp(turn_server, run_page):
    server = turn_server.start(users={USER: PASSWORD})
    run = run_page(f"turn:{server.host}:{server.port}?transport=udp", USER, PASSWORD)
    assert_relayed_echo(run, server, "udp")
    assert_server_allocated(run, server, "udp")


@turngate_only("Chromium 156 opens no TURN-over-TCP connection to coturn's listener on 127.0.0.2 "
               "(icecandidateerror 701, coturn logs no connection); not investigated further")
def test_browser_turn_tcp(turn_server, run_page):
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp")
    run = run_page(f"turn:{server.host}:{server.port}?transport=tcp", USER, PASSWORD)
    assert_relayed_echo(run, server, "tcp")
    assert_server_allocated(run, server, "tcp")


def spki_sha256_base64(cert: Path) -> str:
    """base64(sha256(SubjectPublicKeyInfo)), the form --ignore-certificate-errors-spki-list takes."""
    pubkey = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-pubkey"],
                            check=True, capture_output=True, timeout=30).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pubkey,
                         check=True, capture_output=True, timeout=30).stdout
    digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=der,
                            check=True, capture_output=True, timeout=30).stdout
    return base64.b64encode(digest).decode("ascii")


def tls_binding_works(host: str, port: int, cert: Path) -> bool:
    """A STUN Binding over TLS to (host, port), verifying the server against `cert`."""
    context = ssl.create_default_context(cafile=str(cert))
    try:
        with stun.tcp_connect(host, port, timeout=3.0) as raw, \
                context.wrap_socket(raw, server_hostname=host) as sock:
            request, txid = stun.binding_request()
            sock.sendall(request)
            msg = stun.parse(stun.read_stream_message(sock))
    except (OSError, ValueError, AssertionError):
        return False
    return msg.transaction_id == txid and msg.msg_type == stun.BINDING_SUCCESS


def certificate_refused(run: BrowserRun) -> bool:
    """Chromium gathered nothing and its only errors are 701s on the turns: URL."""
    result = run.result
    errors = result.get("candidateErrors") or []
    return (not result.get("ok") and not result.get("candidates") and bool(errors)
            and all(e.get("errorCode") == 701 and str(e.get("url", "")).startswith("turns:")
                    for e in errors))


@turngate_only("coturn's interop configuration runs with no-tls")
def test_browser_turns_tls(turn_server, run_page, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    tls_port = free_port("127.0.0.1")
    server = turn_server.start(users={USER: PASSWORD}, probe="tcp",
                               options=[f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}"])
    turns_url = f"turns:{server.host}:{tls_port}?transport=tcp"
    # Chromium does the TURN TLS handshake in its network service and verifies the
    # certificate (without a flag: error 701, no candidate). It trusts a certificate whose
    # public key hash is in --ignore-certificate-errors-spki-list; should a Chromium
    # version not honour that for TURN, try the blunt --ignore-certificate-errors.
    spki = spki_sha256_base64(cert)
    attempts = [[f"--ignore-certificate-errors-spki-list={spki}"],
                [f"--ignore-certificate-errors-spki-list={spki}", "--ignore-certificate-errors"]]
    for flags in attempts:
        run = run_page(turns_url, USER, PASSWORD, extra_flags=flags)
        if not certificate_refused(run):
            break
    else:
        assert tls_binding_works(server.host, tls_port, cert), \
            (f"TurnGate's TLS port {tls_port} does not answer a STUN Binding over TLS (verified "
             f"against its certificate), and Chromium could not connect either{run.describe()}"
             f"\n{server.logs()}")
        pytest.skip(f"this Chromium refuses TurnGate's self-signed certificate for {turns_url} "
                    f"(icecandidateerror 701) even with --ignore-certificate-errors-spki-list and "
                    f"--ignore-certificate-errors, although a STUN Binding over TLS verified against "
                    f"the same certificate works from Python; TURN over TLS is covered by "
                    f"test_turn_uclient.py::test_uclient_over_tls")
    assert_relayed_echo(run, server, "tls")
    # TurnGate names TLS connections' allocations with their TCP transport.
    assert_server_allocated(run, server, "tcp")


def test_browser_wrong_password_gathers_nothing(turn_server, run_page):
    # The control: the harness does notice when no relay can be allocated.
    server = turn_server.start(users={USER: PASSWORD})
    run = run_page(f"turn:{server.host}:{server.port}?transport=udp", USER, "wrong-password")
    result = run.result
    where = run.describe()
    assert result.get("ok") is False and result.get("opened") is False, \
        f"the page reports success with a wrong password{where}"
    assert not result.get("candidates"), f"candidates were gathered with a wrong password{where}"
    assert not result.get("echoes"), f"messages came back with a wrong password{where}"
    errors = result.get("candidateErrors") or []
    assert any(e.get("errorCode") == 401 for e in errors), \
        f"expected an icecandidateerror with code 401{where}"
    if getattr(server, "kind", "turngate") == "turngate":
        assert "allocation created" not in server.output(), \
            f"turngate created an allocation for a wrong password{where}\n{server.logs()}"


# --- the gateway's ICE test page (GET /ice-test, `ice-test-page`) ---------------------------
#
# turngate runs with the gateway on and `ice-test-page`; the harness server (on another
# loopback port, so another origin, allowed to frame the page by `api-cors-origin`) serves a
# page that iframes `/ice-test#autorun=1&...` (the fragment keeps the token or secret out of
# the request) and forwards the page's `postMessage({turngateIceTest: ...})` to POST /result.
# The page gets a credential (POST /v1/turn/credentials with the JWT, or minted in the browser
# from the static-auth-secret), runs its relay test (two relay-only peer connections echo
# data-channel messages through turngate, 12 s at most) and reports PASS or FAIL.

ICE_TEST_BROWSER_TIMEOUT = 25.0   # the page's own relay test gives up after 12 s
ICE_TEST_HARNESS = """<!doctype html>
<html><head><meta charset="utf-8"><title>ICE test harness</title><link rel="icon" href="data:,"></head>
<body><iframe id="ice" width="1000" height="800"></iframe>
<script>
"use strict";
const target = %(target)s;
const origin = %(origin)s;
window.addEventListener("message", event => {
  if (event.origin !== origin || !event.data || !event.data.turngateIceTest) return;
  const report = Object.assign({}, event.data.turngateIceTest, {messageOrigin: event.origin});
  fetch("/result", {method: "POST", body: JSON.stringify(report), keepalive: true}).catch(() => {});
});
document.getElementById("ice").src = target;
</script></body></html>
"""


@pytest.fixture
def run_ice_test(chromium_bin, tmp_path, turngate):
    """`run_ice_test(**fragment)` -> (result, server, BrowserRun): turngate with the ICE test
    page, and one Chromium run of the harness page framing it with `#autorun=1&<fragment>`.

    The fragment's values (strings, or lists of them) may name `{jwt}` (a valid HS256 token
    for ICE_TEST_USER), `{bad_jwt}` (one signed with another key), `{secret}` (the
    static-auth-secret) and `{uri}` (turngate's TURN URI)."""
    harnesses, browsers = [], []
    placeholder = tmp_path / "ice-harness.html"
    placeholder.write_text("")

    def run(derived_uris: bool = False, **fragment):
        harness = Harness(placeholder)
        harnesses.append(harness)
        origin = f"http://127.0.0.1:{harness.port}"
        ice = IceTestServer(turngate, origin, derived_uris)
        values = {"jwt": ice.token(), "bad_jwt": ice.token(key=secrets.token_urlsafe(30)),
                  "secret": ice.static_secret, "uri": ice.turn_uri}
        fragment = {key: [v.format(**values) for v in value] if isinstance(value, list)
                    else str(value).format(**values) for key, value in fragment.items()}
        target = ice.page_url(autorun=1, **fragment)
        harness.page = (ICE_TEST_HARNESS % {
            "target": json.dumps(target),
            "origin": json.dumps(f"http://127.0.0.1:{ice.api_port}"),
        }).encode("utf-8")
        browser = Browser(chromium_bin, tmp_path, f"ice-chromium-{len(browsers)}")
        browsers.append(browser)
        url = harness.url()
        elapsed, exited = run_until_results(browser, harness, url, ICE_TEST_BROWSER_TIMEOUT)
        outcome = BrowserRun(harness.result, harness.log_text(), browser.log(), browser.argv,
                             f"{url} framing {target.split('#')[0]}", elapsed)
        if outcome.result is None:
            why = (f"chromium exited with {exited}" if exited is not None
                   else f"no result within {ICE_TEST_BROWSER_TIMEOUT:.0f} s; chromium killed")
            pytest.fail(f"the ICE test page reported no result: {why}{outcome.describe()}"
                        f"\n{ice.server.logs()}", pytrace=False)
        return outcome.result, ice, outcome

    yield run
    for browser in browsers:
        browser.kill()
    for harness in harnesses:
        harness.close()


def assert_ice_test_passed(result: dict, ice: IceTestServer, run: BrowserRun) -> None:
    where = f"{run.describe()}\n{ice.server.logs()}"
    assert result.get("messageOrigin") == f"http://127.0.0.1:{ice.api_port}", f"message from elsewhere{where}"
    assert result.get("result") == "pass", f"the ICE test page reports {result.get('result')!r}: {result.get('reason')}{where}"
    candidates = result.get("candidates") or []
    for peer in ("a", "b"):
        assert any(c.get("peer") == peer for c in candidates), f"peer {peer} reported no candidate{where}"
    for c in candidates:
        parsed = parse_candidate(c["candidate"])
        assert parsed["type"] == "relay" and parsed["protocol"] == "udp", f"not a UDP relay candidate: {c}{where}"
        assert parsed["address"] == "127.0.0.1" and ice.min_port <= parsed["port"] <= ice.max_port, \
            f"relayed address {parsed['address']}:{parsed['port']} is not turngate's{where}"
    # Nothing secret travels in the message.
    text = json.dumps(result)
    assert ice.static_secret not in text and "credential" not in result and "password" not in text, \
        f"the message carries a secret{where}"
    created = [line for line in ice.server.output().splitlines() if "allocation created" in line]
    assert len(created) >= 2, f"turngate logged fewer than 2 allocations{where}"


def test_ice_test_page_passes_with_a_jwt(run_ice_test):
    result, ice, run = run_ice_test(jwt="{jwt}")
    assert_ice_test_passed(result, ice, run)
    created = [line for line in ice.server.output().splitlines() if "allocation created" in line]
    assert any(ICE_TEST_USER in line for line in created), \
        f"turngate logged no allocation for {ICE_TEST_USER}{run.describe()}\n{ice.server.logs()}"


def test_ice_test_page_passes_with_the_uris_the_node_derives(run_ice_test):
    # No turn-uris: the credential response carries the URIs of turngate's own listeners.
    result, ice, run = run_ice_test(derived_uris=True, jwt="{jwt}")
    assert_ice_test_passed(result, ice, run)
    assert "turn-uris" not in ice.server.config_path.read_text(), "the server was given turn-uris"


def test_ice_test_page_passes_with_the_development_secret(run_ice_test):
    # The credential is minted in the browser (WebCrypto); the URI is given, since no
    # credential response lists any.
    result, ice, run = run_ice_test(secret="{secret}", user="dev-user", uri=["{uri}"])
    assert_ice_test_passed(result, ice, run)


def test_ice_test_page_fails_with_a_bad_jwt(run_ice_test):
    # The control: a token signed with another key gets 401 and the page reports FAIL.
    result, ice, run = run_ice_test(jwt="{bad_jwt}")
    where = f"{run.describe()}\n{ice.server.logs()}"
    assert result.get("result") == "fail", f"the page reports {result.get('result')!r} with a bad JWT{where}"
    assert "401" in (result.get("reason") or "") and "bad_signature" in result["reason"], \
        f"the reason does not name the 401: {result.get('reason')!r}{where}"
    assert not result.get("candidates"), f"candidates were gathered with a bad JWT{where}"
    assert "allocation created" not in ice.server.output(), f"turngate allocated for a bad JWT{where}"
