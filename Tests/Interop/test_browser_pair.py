"""The ICE test page's two-party test (GET /ice-test, `mode=pair`; turngate only) in headless
Chromium, through turngate's signaling (GET /v1/signal, docs/signaling.md) and its relay.

turngate runs as for test_browser.py's ICE test page tests (gateway, `ice-test-page`,
`turn-uris` naming its own UDP listener, `jwt-secret`); signaling needs nothing more, since
every token carries a `roomId` claim. One Chromium, with a fake camera
(--use-fake-device-for-media-stream, permission granted by --use-fake-ui-for-media-stream),
opens a harness page on another loopback origin (allowed to frame the ICE test page by
`api-cors-origin`) that frames `/ice-test#mode=pair&room=<room>&jwt=<token>` once per page,
each with a token of its own user, and forwards each page's
`postMessage({turngateIceTestPair: ...})` to POST /result.

- Two pages in one room must find each other, connect relay-only with the `iceServers` of
  `authenticated`, send data-channel messages both ways and each decode the other's camera,
  and both report PASS; every candidate and both ends of each selected pair are turngate's
  relayed addresses, which turngate logged as allocations minted for that room.
- A page whose token's `roomId` names another room must report FAIL with room_not_allowed,
  and nothing is allocated.

Needs Debian's `chromium` (scripts/install-deps.sh test) and a turngate with signaling.
"""

from __future__ import annotations

import json
import re
import secrets
import time

import pytest

from browserutil import Browser, BrowserRun, Harness, IceTestServer, http_get, parse_candidate, run_until_results

PAIR_BROWSER_TIMEOUT = 45.0   # the pages give up 20 s after they meet
ALLOCATION_LOG_WAIT = 3.0
PAIR_USER = "pair-tester"
CAMERA_FLAGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--window-size=1400,1000"]
PAIR_HARNESS = """<!doctype html>
<html><head><meta charset="utf-8"><title>ICE pair test harness</title><link rel="icon" href="data:,"></head>
<body>
<script>
"use strict";
const targets = %(targets)s;
const origin = %(origin)s;
const frames = {};
window.addEventListener("message", event => {
  if (event.origin !== origin || !event.data || !event.data.turngateIceTestPair) return;
  const frame = Object.keys(frames).find(name => frames[name].contentWindow === event.source) || null;
  const report = Object.assign({}, event.data.turngateIceTestPair, {frame, messageOrigin: event.origin});
  fetch("/result", {method: "POST", body: JSON.stringify(report), keepalive: true}).catch(() => {});
});
for (const [name, target] of Object.entries(targets)) {
  const frame = document.createElement("iframe");
  frame.allow = "camera";
  frame.width = "660";
  frame.height = "900";
  frames[name] = frame;
  document.body.appendChild(frame);
  frame.src = target;
}
</script></body></html>
"""


@pytest.fixture
def run_pair(chromium_bin, tmp_path, turngate):
    """`run_pair({name: (room, token_room)})` -> (results by name, server, BrowserRun):
    turngate with the ICE test page, and one Chromium run of a harness page framing one
    two-party test page per name, in `room`, with a token of the user `pair-tester-<name>`
    whose `roomId` claim is `token_room`. `run.tokens` holds the tokens, by name."""
    harnesses, browsers = [], []
    placeholder = tmp_path / "pair-harness.html"
    placeholder.write_text("")

    def run(pages: dict):
        harness = Harness(placeholder, expected_results=len(pages))
        harnesses.append(harness)
        ice = IceTestServer(turngate, f"http://127.0.0.1:{harness.port}")
        status = http_get(ice.api_port, "/v1/signal")[0]
        if status == 404:
            pytest.fail(f"GET /v1/signal answers 404: is {ice.server.binary} built from sources that have "
                        f"signaling?\n{ice.server.logs()}", pytrace=False)
        tokens = {name: ice.token(user=f"{PAIR_USER}-{name}", room=token_room)
                  for name, (_, token_room) in pages.items()}
        targets = {name: ice.page_url(mode="pair", room=room, jwt=tokens[name]) for name, (room, _) in pages.items()}
        harness.page = (PAIR_HARNESS % {
            "targets": json.dumps(targets),
            "origin": json.dumps(f"http://127.0.0.1:{ice.api_port}"),
        }).encode("utf-8")
        browser = Browser(chromium_bin, tmp_path, f"pair-chromium-{len(browsers)}")
        browsers.append(browser)
        url = harness.url()
        elapsed, exited = run_until_results(browser, harness, url, PAIR_BROWSER_TIMEOUT, CAMERA_FLAGS)
        results = {result.get("frame"): result for result in harness.results}
        outcome = BrowserRun(results, harness.log_text(), browser.log(), browser.argv,
                             f"{url} framing {len(pages)} x /ice-test#mode=pair", elapsed)
        outcome.tokens = tokens
        if len(results) < len(pages) or set(results) != set(pages):
            why = (f"chromium exited with {exited}" if exited is not None
                   else f"results from {sorted(map(str, results))} only within {PAIR_BROWSER_TIMEOUT:.0f} s; "
                        f"chromium killed")
            pytest.fail(f"the two-party test pages did not all report: {why}{outcome.describe()}"
                        f"\n{ice.server.logs()}", pytrace=False)
        return results, ice, outcome

    yield run
    for browser in browsers:
        browser.kill()
    for harness in harnesses:
        harness.close()


def allocations(ice: IceTestServer, count: int) -> list:
    """turngate's `allocation created` lines, waiting a little for `count` of them."""
    deadline = time.monotonic() + ALLOCATION_LOG_WAIT
    while True:
        lines = [line for line in ice.server.output().splitlines() if "allocation created" in line]
        if len(lines) >= count or time.monotonic() >= deadline:
            return lines
        time.sleep(0.1)


def test_two_pages_in_one_room_pass_through_the_relay(run_pair):
    room = f"room-{secrets.token_hex(4)}"
    results, ice, run = run_pair({"a": (room, room), "b": (room, room)})
    where = f"{run.describe()}\n{ice.server.logs()}"
    for name, result in results.items():
        assert result.get("messageOrigin") == f"http://127.0.0.1:{ice.api_port}", f"page {name}: message from elsewhere{where}"
        assert result.get("result") == "pass", \
            f"page {name} reports {result.get('result')!r}: {result.get('reason')}{where}"
        assert result.get("room") == room, f"page {name} tested room {result.get('room')!r}{where}"

    # They met each other, and exactly one made the offer.
    a, b = results["a"], results["b"]
    assert a.get("peerId") and b.get("peerId") and a["peerId"] != b["peerId"], \
        f"peer ids {a.get('peerId')}, {b.get('peerId')}{where}"
    assert a.get("remotePeerId") == b["peerId"] and b.get("remotePeerId") == a["peerId"], \
        f"the pages did not pair with each other{where}"
    assert sorted([a.get("role"), b.get("role")]) == ["answerer", "offerer"], f"roles {a.get('role')}, {b.get('role')}{where}"

    # Relay only, through turngate: every candidate, and both ends of the selected pair.
    gathered = set()
    for name, result in results.items():
        candidates = result.get("candidates") or []
        assert candidates, f"page {name} reported no candidate{where}"
        for c in candidates:
            parsed = parse_candidate(c["candidate"])
            assert parsed["type"] == "relay" and parsed["protocol"] == "udp", f"page {name}: not a UDP relay candidate: {c}{where}"
            assert parsed["address"] == "127.0.0.1" and ice.min_port <= parsed["port"] <= ice.max_port, \
                f"page {name}: relayed address {parsed['address']}:{parsed['port']} is not turngate's{where}"
            gathered.add(f"{parsed['address']}:{parsed['port']}")
        selected = result.get("selected") or {}
        for end in ("local", "remote"):
            candidate = selected.get(end) or {}
            assert candidate.get("candidateType") == "relay", f"page {name}: selected {end} candidate {candidate}{where}"
            assert ice.min_port <= int(candidate.get("port") or 0) <= ice.max_port, \
                f"page {name}: selected {end} candidate {candidate} is not turngate's{where}"

    # Video both ways: each page sent the fake camera and decoded the other's.
    for name, result in results.items():
        video = result.get("video") or {}
        assert video.get("sent") is True and video.get("expected") is True, f"page {name}: video {video}{where}"
        assert int(video.get("framesDecoded") or 0) > 0, f"page {name} decoded no video frame: {video}{where}"

    # turngate allocated for both users, with credentials minted for the room, at the
    # addresses the pages gathered.
    created = allocations(ice, 2)
    for name in results:
        assert any(f"{PAIR_USER}-{name}" in line and f"r={room}" in line for line in created), \
            f"turngate logged no allocation for {PAIR_USER}-{name} in {room}:\n" + "\n".join(created) + where
    relayed = {m.group(1) for line in created for m in [re.search(r"turn\.relayed=(\S+)", line)] if m}
    assert gathered <= relayed, f"gathered {sorted(gathered)}, turngate allocated {sorted(relayed)}{where}"

    # Nothing secret travels in the messages.
    text = json.dumps(results)
    for token in run.tokens.values():
        assert token not in text, f"a page's message carries its token{where}"
    assert "credential" not in text and "password" not in text, f"a page's message carries a TURN credential{where}"


def test_a_token_for_another_room_fails_with_room_not_allowed(run_pair):
    results, ice, run = run_pair({"a": ("room-here", "room-elsewhere")})
    result = results["a"]
    where = f"{run.describe()}\n{ice.server.logs()}"
    assert result.get("result") == "fail", f"the page reports {result.get('result')!r} with another room's token{where}"
    assert "room_not_allowed" in (result.get("reason") or ""), \
        f"the reason does not name room_not_allowed: {result.get('reason')!r}{where}"
    assert result.get("peerId") is None and not result.get("candidates"), f"the page got into the room{where}"
    assert "allocation created" not in ice.server.output(), f"turngate allocated for a refused room{where}"
