"""Signaling's caps against a hostile client (docs/signaling.md, "Limits and keep-alive").

- A peer that stops reading while its room floods it: its queued writes stay bounded and the
  server closes its connection outright (`slow_consumer`) rather than holding it; the room is
  told it left, and the server goes on serving.
- A crowd of sockets that never authenticate: each is closed with `auth_timeout`, and the
  connection gauge comes back down.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect as ws_connect

from conftest import server_kind
from signalclient import (STEP, Peers, WsPeer, assert_serving, attach_logs, metric, module_server, run, scrape, token,
                          unique, wait_metric)

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="signaling is TurnGate's own")

MESSAGE_BYTES = 60_000          # each flood message, under signal-max-message-size
FLOOD_MESSAGES = 400            # 24 MB offered: more than the socket buffers and the 4 MiB outbox
CLOSED_WITHIN = 20.0            # the outbox cap, then the 5 s close grace
CROWD = 40


@pytest.fixture(scope="module")
def sig(turngate_bin, tmp_path_factory):
    extra = ["signal-message-rate=2000", "signal-auth-timeout=1"]
    with module_server(turngate_bin, tmp_path_factory.mktemp("signal-attack"), extra) as server:
        yield server


@pytest.fixture(autouse=True)
def _logs(request, sig):
    attach_logs(request, sig)


def test_a_peer_that_stops_reading_is_closed_and_its_room_goes_on(sig):
    async def body():
        room = unique("room")
        async with Peers(sig.api_port) as peers:
            # The victim reads its `authenticated`, then nothing: the client library buffers
            # one frame and stops reading the socket.
            victim = await ws_connect(f"ws://127.0.0.1:{sig.api_port}/v1/signal", max_queue=1, ping_interval=None,
                                      open_timeout=STEP, close_timeout=1, max_size=2 ** 22)
            try:
                await victim.send(json.dumps({"type": "authenticate", "token": token(unique("victim"), room),
                                              "roomId": room}))
                victim_id = json.loads(await asyncio.wait_for(victim.recv(), STEP))["peerId"]
                flooder = await peers.join("flooder", room)
                filler = "x" * MESSAGE_BYTES
                for sequence in range(FLOOD_MESSAGES):
                    await flooder.signal({"n": sequence, "fill": filler}, to=victim_id)
                left = await flooder.expect("peer-left", timeout=CLOSED_WITHIN, peerId=victim_id)
                assert left["peerId"] == victim_id
            finally:
                victim.transport.abort()
            samples = scrape(sig.metrics_port)
            assert metric(samples, "turngate_signal_rejections_total", reason="slow_consumer") >= 1
            await flooder.signal({"still": "here"})
            await flooder.quiet(0.3, "error")
        await assert_serving(sig.api_port)
    run(body(), timeout=60)


def test_sockets_that_never_authenticate_are_closed(sig):
    async def body():
        before = metric(scrape(sig.metrics_port), "turngate_signal_connections")
        crowd = [await WsPeer.open(sig.api_port, f"idle-{index}") for index in range(CROWD)]
        try:
            for peer in crowd:
                await peer.expect_error("auth_timeout", timeout=STEP)
                await peer.expect_closed(4401)
        finally:
            for peer in crowd:
                try:
                    await peer.close()
                except Exception:
                    pass
        wait_metric(sig.metrics_port, "turngate_signal_connections", before)
        await assert_serving(sig.api_port)
    run(body(), timeout=60)
