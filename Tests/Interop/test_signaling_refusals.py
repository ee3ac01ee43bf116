"""Signaling refusals and limits (docs/signaling.md, "error"), on the real `turngate` process
with a plain WebSocket client on `/v1/signal`. Each test ends by checking that the server still
serves others: a fresh pair in a fresh room joins and exchanges a signal.

The module's server has `signal-max-message-size=1024`, `signal-auth-timeout=1`,
`signal-user-connections=3`, `jwt-leeway=0` (so an expiry is exact) and the admin API; the
rate limit, open rooms and their limits get servers of their own.

- refused tokens (expired, bad signature, malformed, missing): the gateway's code, close 4401;
- a token whose `roomId` names another room, or none while rooms are not open:
  `room_not_allowed`, close 4403, unseen by the room; with `signal-open-rooms` a token without
  the claim joins any room, one with the claim still only its own, and room names of 1 to 128
  bytes without control characters are checked (`bad_message`, the socket stays usable);
- a token expiring on an open socket: `token-expired`, close 4401, `peer-left` for the others;
- a user revoked through the admin API: `revoked` and close 4403 on the open socket (within
  the once-a-second check), refused at join; lifting the revocation lets it join again;
- `message_too_large` (dropped, the socket works on); over four times the limit: close 1009;
- `signal-message-rate=5`: `rate_limited` for each dropped message, the socket works on;
- no `authenticate` within `signal-auth-timeout`: `auth_timeout`, close 4401;
- `bad_message` (not JSON, not an object, unknown type, signal before authenticate,
  authenticate twice) and `unknown_peer` (no such peer, a peer of another room): dropped;
- `signal-user-connections=3`: the user's fourth socket gets `too_many_connections`, 4403.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from conftest import server_kind
from signalclient import (Peers, admin, assert_serving, attach_logs, module_server, run, start_signal_server,
                          token, unique)

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="signaling is TurnGate's own")

MAX_MESSAGE = 1024


@pytest.fixture(scope="module")
def sig(turngate_bin, tmp_path_factory):
    extra = [f"signal-max-message-size={MAX_MESSAGE}", "signal-auth-timeout=1", "signal-user-connections=3",
             "jwt-leeway=0"]
    with module_server(turngate_bin, tmp_path_factory.mktemp("signal-refusals"), extra) as server:
        yield server


@pytest.fixture(autouse=True)
def _logs(request):
    if "sig" in request.fixturenames:
        attach_logs(request, request.getfixturevalue("sig"))


def bad_token(kind: str, room: str):
    user, now = unique("eve"), int(time.time())
    return {"expired": token(user, room, iat=now - 600, exp=now - 300),
            "bad_signature": token(user, room, key="not-the-jwt-secret-" * 3),
            "malformed_token": "not-a-jwt",
            "missing_token": None}[kind]


@pytest.mark.parametrize("code", ["expired", "bad_signature", "malformed_token", "missing_token"])
def test_refused_token_closes_4401(sig, code):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            member = await peers.join("member", room)
            peer = await peers.open("refused")
            await peer.authenticate(bad_token(code, room), room, ok=False)
            await peer.expect_error(code)
            await peer.expect_closed(4401)
            await member.quiet(0.3, "peer-joined")
        await assert_serving(sig.api_port)
    run(body())


def test_token_for_another_room_is_refused(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            member = await peers.join("member", room)
            mallory = await peers.open("mallory")
            await mallory.authenticate(token(unique("mallory"), unique("other-room")), room, ok=False)
            await mallory.expect_error("room_not_allowed")
            await mallory.expect_closed(4403)
            roomless = await peers.open("roomless")   # no roomId claim, rooms not open
            await roomless.authenticate(token(unique("roomless")), room, ok=False)
            await roomless.expect_error("room_not_allowed")
            await roomless.expect_closed(4403)
            await member.quiet(0.3, "peer-joined")
        await assert_serving(sig.api_port)
    run(body())


def test_open_rooms(turngate, tmp_path):
    server = start_signal_server(turngate, tmp_path, ["signal-open-rooms"])

    async def body():
        room = unique("open-room")
        async with Peers(server.api_port) as peers:
            a = await peers.open("a")
            await a.authenticate(token(unique("a")), room)
            assert a.room == room
            b = await peers.open("b")
            for bad in ("", "r" * 129, "é" * 65, "bad\nroom", "bad\x7froom"):
                await b.authenticate(token(unique("b")), bad, ok=False)
                await b.expect_error("bad_message")
            await b.authenticate(token(unique("b")), room)   # still unauthenticated, still usable
            await a.expect("peer-joined", peerId=b.peer_id)
            for name in ("r" * 128, "é" * 64):
                c = await peers.open("c")
                await c.authenticate(token(unique("c")), name)
                assert c.room == name
            bound = await peers.open("bound")   # a claim still binds, rooms open or not
            await bound.authenticate(token(unique("bound"), unique("its-room")), room, ok=False)
            await bound.expect_error("room_not_allowed")
            await bound.expect_closed(4403)
        await assert_serving(server.api_port)
    run(body())


def test_token_expiry_closes_the_open_socket(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            member = await peers.join("member", room)
            short = await peers.open("short")
            await short.authenticate(token(unique("short"), room, lifetime=2), room)
            await short.expect_error("token-expired", timeout=5)
            await short.expect_closed(4401, timeout=2)
            await member.expect("peer-left", peerId=short.peer_id)
        await assert_serving(sig.api_port)
    run(body())


def test_revoked_user_is_closed_and_refused(sig):
    async def body():
        room, user = unique("room"), unique("revoked-user")
        async with Peers(sig.api_port) as peers:
            member = await peers.join("member", room)
            victim = await peers.join("victim", room, user=user)
            status, _, text, _ = admin(sig, "POST", "/v1/admin/revocations", {"user": user, "seconds": 60})
            assert status == 201, f"revocation: {status} {text}"
            await victim.expect_error("revoked", timeout=3)
            await victim.expect_closed(4403, timeout=2)
            await member.expect("peer-left", peerId=victim.peer_id)
            again = await peers.open("again")
            await again.authenticate(token(user, room), room, ok=False)
            await again.expect_error("revoked")
            await again.expect_closed(4403)
            status, _, text, _ = admin(sig, "DELETE", f"/v1/admin/revocations?user={user}")
            assert status == 200, f"lifting the revocation: {status} {text}"
            lifted = await peers.join("lifted", room, user=user)
            await member.expect("peer-joined", peerId=lifted.peer_id)
        await assert_serving(sig.api_port)
    run(body())


def test_oversized_messages(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room)
            await a.signal("x" * (MAX_MESSAGE + 500), to=b.peer_id)
            await a.expect_error("message_too_large")
            await b.quiet(0.5, "signal")
            await a.signal("small", to=b.peer_id)
            assert (await b.expect("signal", **{"from": a.peer_id}))["data"] == "small"
            await a.signal("y" * (4 * MAX_MESSAGE + 500), to=b.peer_id)
            await a.expect_closed(1009)
            await b.expect("peer-left", peerId=a.peer_id)
            await b.quiet(0.2, "signal")
        await assert_serving(sig.api_port)
    run(body())


def test_rate_limited_messages_are_dropped(turngate, tmp_path):
    server = start_signal_server(turngate, tmp_path, ["signal-message-rate=5"])
    sent = 30

    async def body():
        room = unique("room")
        async with Peers(server.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room)
            await asyncio.sleep(2.1)   # the burst (twice the rate) is full again
            for n in range(sent):
                await a.signal({"n": n}, to=b.peer_id)
            burst_end = time.monotonic()
            await a.expect_error("rate_limited")
            delivered, refused = [], 1
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and len(delivered) + refused < sent:
                for peer in (a, b):
                    try:
                        message = await peer.expect(("signal", "error"), timeout=0.1)
                    except AssertionError:
                        continue
                    if message["type"] == "signal":
                        delivered.append(message["data"]["n"])
                    else:
                        assert message.get("code") == "rate_limited", f"{peer}: {message}"
                        refused += 1
            assert len(delivered) + refused == sent, \
                f"{sent} sent, {len(delivered)} delivered ({delivered}), {refused} rate_limited errors"
            assert 5 <= len(delivered) <= 12 and delivered == sorted(delivered), \
                f"rate 5/s with a burst of 10: delivered {delivered}"
            await asyncio.sleep(max(0.0, burst_end + 1.2 - time.monotonic()))
            await a.signal("after", to=b.peer_id)
            assert (await b.expect("signal", **{"from": a.peer_id}))["data"] == "after"
            await a.quiet(0.3, "error")
        await assert_serving(server.api_port)
    run(body())


def test_auth_timeout_closes_4401(sig):
    async def body():
        async with Peers(sig.api_port) as peers:
            silent = await peers.open("silent")
            started = time.monotonic()
            await silent.expect_error("auth_timeout", timeout=4)
            assert time.monotonic() - started >= 0.8, "auth_timeout before signal-auth-timeout (1 s)"
            await silent.expect_closed(4401)
        await assert_serving(sig.api_port)
    run(body())


def test_bad_messages_are_dropped(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            a = await peers.open("a")
            for raw in ('{"type": "signal", "data": "before authenticate"}', "{not json", "[1, 2]", '"text"',
                        '{"type": "no-such-type"}', '{"no": "type"}'):
                await a.send(raw)
                await a.expect_error("bad_message")
            await a.authenticate(token(unique("a"), room), room)
            b = await peers.join("b", room)
            await a.authenticate(token(unique("a"), room), room, ok=False)
            await a.expect_error("bad_message")
            await a.send("{broken")
            await a.expect_error("bad_message")
            await a.signal("works", to=b.peer_id)
            assert (await b.expect("signal", **{"from": a.peer_id}))["data"] == "works"
        await assert_serving(sig.api_port)
    run(body())


def test_unknown_peer(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            a = await peers.join("a", room)
            b = await peers.join("b", room)
            elsewhere = await peers.join("elsewhere", unique("other-room"))
            for target in ("p_no-such-peer", elsewhere.peer_id):
                await a.signal("lost", to=target)
                await a.expect_error("unknown_peer")
            await elsewhere.quiet(0.3, "signal")
            await b.quiet(0.1, "signal")
            await a.signal("found", to=b.peer_id)
            assert (await b.expect("signal", **{"from": a.peer_id}))["data"] == "found"
        await assert_serving(sig.api_port)
    run(body())


def test_user_connection_limit(sig):
    async def body():
        user = unique("busy")
        async with Peers(sig.api_port) as peers:
            first, *_ = [await peers.join(f"s{i}", unique("room"), user=user) for i in range(3)]
            fourth = await peers.open("fourth")
            await fourth.authenticate(token(user, unique("room")), ok=False)
            await fourth.expect_error("too_many_connections")
            await fourth.expect_closed(4403)
            await first.close()
            deadline = time.monotonic() + 3
            while True:   # the server notices the close within a moment
                retry = await peers.open("retry")
                await retry.authenticate(token(user, unique("room")), ok=False)
                reply = await retry.expect(("authenticated", "error"))
                if reply["type"] == "authenticated" or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            assert reply["type"] == "authenticated", f"after closing one of three sockets: {reply}"
        await assert_serving(sig.api_port)
    run(body())
