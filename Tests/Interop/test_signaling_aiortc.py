"""aiortc (PyPI) peers negotiating through TurnGate's signaling and relaying through its TURN
listener: nothing but the `authenticated` message's `iceServers` and `/v1/signal`.

Two RTCPeerConnections with the relay-only policy (iceTransportPolicy RELAY) join one room over
plain WebSockets, each with its own user's token; the offerer sends its offer by `signal` to the
answerer's `peerId`, the answer comes back the same way, and the candidates go as signals of
their own (the SDPs are sent without their `a=candidate` lines, and aiortc gets each candidate
by `addIceCandidate`, then end-of-candidates). A data channel then carries ten messages each
way. Checked: every candidate is relayed from the server's relay address, the selected pair is
relay/relay on both sides, the admin API lists the two allocations with the users and the room
the signaling credentials were minted for, and `turn_allocations_created_total` grew by at least
two. Bounded: the whole exchange must finish within 30 s.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from aiortc import RTCConfiguration, RTCIceServer, RTCIceTransportPolicy, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from conftest import server_kind
from signalclient import Peers, admin, metric, run, scrape, start_signal_server, token, unique

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="signaling is TurnGate's own")

MESSAGES = 10
TOTAL_TIMEOUT = 30.0
CANDIDATE_LINE = re.compile(r"^a=candidate:(.*)$", re.MULTILINE)


def rtc_config(authenticated: dict) -> RTCConfiguration:
    servers = [RTCIceServer(urls=entry["urls"], username=entry["username"], credential=entry["credential"])
               for entry in authenticated["iceServers"]]
    return RTCConfiguration(iceServers=servers, iceTransportPolicy=RTCIceTransportPolicy.RELAY)


def split_sdp(sdp: str) -> tuple:
    """(the SDP without candidate and end-of-candidates lines, [candidate strings], mid)."""
    candidates = CANDIDATE_LINE.findall(sdp)
    mid = re.search(r"^a=mid:(\S+)", sdp, re.MULTILINE).group(1)
    kept = [line for line in sdp.split("\r\n")
            if not line.startswith("a=candidate:") and line != "a=end-of-candidates"]
    return "\r\n".join(kept), candidates, mid


async def send_description(peer, pc: RTCPeerConnection, to: str) -> list:
    """Signal pc's local description, then each of its candidates, then end-of-candidates."""
    sdp, candidates, mid = split_sdp(pc.localDescription.sdp)
    await peer.signal({"type": pc.localDescription.type, "sdp": sdp}, to=to)
    for candidate in candidates:
        await peer.signal({"candidate": f"candidate:{candidate}", "sdpMid": mid, "sdpMLineIndex": 0}, to=to)
    await peer.signal({"candidate": None}, to=to)
    return candidates


async def receive_description(peer, pc: RTCPeerConnection, sender: str) -> None:
    """Apply the description and trickled candidates `sender` signals to pc."""
    description = (await peer.expect("signal", **{"from": sender}))["data"]
    assert "a=candidate:" not in description["sdp"], "candidates were to come as signals of their own"
    await pc.setRemoteDescription(RTCSessionDescription(sdp=description["sdp"], type=description["type"]))
    while True:
        data = (await peer.expect("signal", **{"from": sender}))["data"]
        if data["candidate"] is None:
            await pc.addIceCandidate(None)
            return
        candidate = candidate_from_sdp(data["candidate"].split(":", 1)[1])
        candidate.sdpMid, candidate.sdpMLineIndex = data["sdpMid"], data["sdpMLineIndex"]
        await pc.addIceCandidate(candidate)


def selected_pair(pc: RTCPeerConnection):
    # aiortc exposes no getStats() candidate-pair selection; read aioice's nominated pair.
    return pc.sctp.transport.transport._connection._nominated.get(1)


async def negotiate(server, room: str) -> None:
    async with Peers(server.api_port) as peers:
        offerer = await peers.open("offerer")
        await offerer.authenticate(token(unique("offerer"), room), room)
        answerer = await peers.open("answerer")
        await answerer.authenticate(token(unique("answerer"), room), room)
        await offerer.expect("peer-joined", peerId=answerer.peer_id)
        pc1, pc2 = RTCPeerConnection(rtc_config(offerer.authenticated)), RTCPeerConnection(rtc_config(answerer.authenticated))
        try:
            opened = asyncio.get_running_loop().create_future()
            received1: asyncio.Queue = asyncio.Queue()
            received2: asyncio.Queue = asyncio.Queue()
            channel = pc1.createDataChannel("signaled")
            channel.on("open", lambda: opened.done() or opened.set_result(True))
            channel.on("message", received1.put_nowait)

            @pc2.on("datachannel")
            def on_datachannel(remote):
                remote.on("message", lambda m: (received2.put_nowait(m), remote.send(f"echo {m}")))

            await pc1.setLocalDescription(await pc1.createOffer())   # gathers (allocates) here
            offered = await send_description(offerer, pc1, answerer.peer_id)
            await receive_description(answerer, pc2, offerer.peer_id)
            await pc2.setLocalDescription(await pc2.createAnswer())
            answered = await send_description(answerer, pc2, offerer.peer_id)
            await receive_description(offerer, pc1, answerer.peer_id)

            for name, candidates in (("offer", offered), ("answer", answered)):
                assert candidates, f"no candidate in the {name}"
                for line in candidates:
                    parts = line.split()
                    assert parts[4] == "127.0.0.1" and parts[7] == "relay", f"{name} candidate {line!r}"
            await asyncio.wait_for(opened, 15)
            for i in range(MESSAGES):
                channel.send(f"message {i}")
                assert await asyncio.wait_for(received2.get(), 5) == f"message {i}"
                assert await asyncio.wait_for(received1.get(), 5) == f"echo message {i}"
            for name, pc in (("offerer", pc1), ("answerer", pc2)):
                pair = selected_pair(pc)
                assert pair is not None, f"{name}: no selected candidate pair"
                kinds = (pair.local_candidate.type, pair.remote_candidate.type)
                assert kinds == ("relay", "relay"), f"{name}: selected pair {pair} is {kinds}"

            status, _, text, listed = admin(server, "GET", f"/v1/admin/allocations?room={room}")
            assert status == 200, f"admin allocations: {status} {text}"
            users = sorted(entry.get("user") for entry in listed["allocations"])
            assert users == sorted([offerer.user, answerer.user]), \
                f"allocations in {room}: {listed['allocations']}"
            assert all(entry.get("room") == room for entry in listed["allocations"]), listed
        finally:
            await asyncio.gather(pc1.close(), pc2.close(), return_exceptions=True)


def test_aiortc_negotiates_through_signaling_and_relays(turngate, tmp_path):
    server = start_signal_server(turngate, tmp_path)
    before = metric(scrape(server.metrics_port), "turn_allocations_created_total")
    run(negotiate(server, unique("media-room")), TOTAL_TIMEOUT)
    after = metric(scrape(server.metrics_port), "turn_allocations_created_total")
    assert after - before >= 2, f"turn_allocations_created_total {before} -> {after}"
