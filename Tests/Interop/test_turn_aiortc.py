"""aiortc (PyPI): two RTCPeerConnections whose only ICE server is the server under test,
with the relay-only policy (RTCConfiguration.iceTransportPolicy = RELAY, which aiortc
maps to aioice's TransportPolicy.RELAY), open a data channel and exchange messages.

Checks that both SDPs carry relayed candidates only, that the selected candidate pair
is relay/relay on both sides and that the relayed candidates are the server's relay
address. Bounded: the whole exchange must finish within 20 s. (aiortc cannot parse
IPv6 TURN URLs, so only IPv4 here.)
"""

from __future__ import annotations

import asyncio
import re

import pytest

import turnclient as tc

import aiortc
from aiortc import (RTCConfiguration, RTCIceServer, RTCIceTransportPolicy,  # noqa: E402
                    RTCPeerConnection)

USER = "alice"
PASSWORD = "alice-password"
SECRET = "aiortc-secret"
MESSAGES = 10
TOTAL_TIMEOUT = 20.0


def sdp_candidates(sdp: str) -> list:
    """(ip, port, type) of every a=candidate line."""
    found = re.findall(r"^a=candidate:\S+ \d+ \S+ \d+ (\S+) (\d+) typ (\S+)", sdp, re.MULTILINE)
    return [(ip, int(port), kind) for ip, port, kind in found]


def selected_pair(pc: RTCPeerConnection):
    # aiortc exposes no getStats() candidate-pair selection; read aioice's nominated pair.
    connection = pc.sctp.transport.transport._connection
    return connection._nominated.get(1)


async def exchange(server, transport: str, username: str, password: str) -> None:
    config = RTCConfiguration(
        iceServers=[RTCIceServer(urls=f"turn:{server.host}:{server.port}?transport={transport}",
                                 username=username, credential=password)],
        iceTransportPolicy=RTCIceTransportPolicy.RELAY,
    )
    pc1, pc2 = RTCPeerConnection(config), RTCPeerConnection(config)
    try:
        opened = asyncio.get_running_loop().create_future()
        received1: asyncio.Queue = asyncio.Queue()
        received2: asyncio.Queue = asyncio.Queue()

        channel1 = pc1.createDataChannel("interop")
        channel1.on("open", lambda: opened.done() or opened.set_result(True))
        channel1.on("message", received1.put_nowait)

        @pc2.on("datachannel")
        def on_datachannel(channel):
            channel.on("message", lambda message: (received2.put_nowait(message),
                                                   channel.send(f"echo {message}")))

        # aiortc gathers every candidate in setLocalDescription (no trickle).
        await pc1.setLocalDescription(await pc1.createOffer())
        await pc2.setRemoteDescription(pc1.localDescription)
        await pc2.setLocalDescription(await pc2.createAnswer())
        await pc1.setRemoteDescription(pc2.localDescription)

        for name, pc in (("offer", pc1), ("answer", pc2)):
            candidates = sdp_candidates(pc.localDescription.sdp)
            assert candidates, f"no candidate in the {name}:\n{pc.localDescription.sdp}"
            assert {kind for _, _, kind in candidates} == {"relay"}, \
                f"relay-only policy but the {name} has {candidates}"
            for ip, port, _ in candidates:
                assert ip == server.relay_ip and server.min_port <= port <= server.max_port, \
                    f"relayed candidate {ip}:{port} is not on the server's relay"

        await opened
        for i in range(MESSAGES):
            channel1.send(f"message {i}")
            assert await received2.get() == f"message {i}"
            assert await received1.get() == f"echo message {i}"

        for name, pc in (("offerer", pc1), ("answerer", pc2)):
            assert pc.iceConnectionState in ("connected", "completed"), f"{name}: ICE {pc.iceConnectionState}"
            pair = selected_pair(pc)
            assert pair is not None, f"{name}: no selected candidate pair"
            types = (pair.local_candidate.type, pair.remote_candidate.type)
            assert types == ("relay", "relay"), f"{name}: selected pair {pair} is {types}"
    finally:
        await asyncio.gather(pc1.close(), pc2.close(), return_exceptions=True)


def run_exchange(server, transport, username=USER, password=PASSWORD):
    async def bounded():
        await asyncio.wait_for(exchange(server, transport, username, password), TOTAL_TIMEOUT)

    asyncio.run(bounded())


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_aiortc_datachannel_relay_only(turn_server, transport):
    server = turn_server.start(users={USER: PASSWORD}, probe=transport)
    run_exchange(server, transport)


def test_aiortc_datachannel_rest_credentials(turn_server):
    server = turn_server.start(secrets=[SECRET])
    username, password = tc.rest_credentials(SECRET, USER, ttl=600)
    run_exchange(server, "udp", username, password)
