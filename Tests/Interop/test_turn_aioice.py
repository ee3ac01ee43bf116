"""aioice (PyPI) as a TURN client of the server under test.

1. `aioice.turn.create_turn_endpoint`: allocate (static user or REST credential, over
   UDP or TCP), send to a Python UDP echo peer on 127.0.0.1 through the relay (aioice
   binds a channel for it), receive the echoes, delete the allocation. aioice checks
   the MESSAGE-INTEGRITY of every authenticated response.
2. Two `aioice.Connection`s with the relay-only transport policy doing ICE through the
   server: their only candidates are relayed ones, so the checks and the data go
   relay -> relay.
Every await is bounded by asyncio.wait_for.
"""

from __future__ import annotations

import asyncio

import pytest

import turnclient as tc

import aioice
from aioice import turn as aioice_turn  # noqa: E402

USER = "alice"
PASSWORD = "alice-password"
SECRET = "aioice-secret"
STEP_TIMEOUT = 10.0
MESSAGES = 10


class Collector(asyncio.DatagramProtocol):
    def __init__(self):
        self.queue: asyncio.Queue = asyncio.Queue()
        self.errors: list = []
        self.lost: asyncio.Future = asyncio.get_running_loop().create_future()

    def datagram_received(self, data, addr):
        self.queue.put_nowait((data, addr))

    def error_received(self, exc):
        self.errors.append(exc)

    def connection_lost(self, exc):
        if not self.lost.done():
            self.lost.set_result(exc)


async def relay_roundtrip(server, peer, username, password, transport):
    turn_transport, protocol = await asyncio.wait_for(
        aioice_turn.create_turn_endpoint(Collector, server_addr=server.address, username=username,
                                         password=password, transport=transport),
        STEP_TIMEOUT)
    try:
        relayed = turn_transport.get_extra_info("sockname")
        assert relayed[0] == server.relay_ip, f"relayed address {relayed}"
        assert server.min_port <= relayed[1] <= server.max_port
        for i in range(MESSAGES):
            payload = f"aioice-{transport}-{i}".encode() + bytes(range(i * 7 % 50))
            turn_transport.sendto(payload, peer.address)
            data, addr = await asyncio.wait_for(protocol.queue.get(), STEP_TIMEOUT)
            assert (data, tuple(addr)) == (payload, peer.address), f"message {i}: {data!r} from {addr}"
        assert not protocol.errors, f"aioice reported send errors: {protocol.errors}"
        assert set(peer.sources()) == {tuple(relayed)}, \
            f"peer saw {set(peer.sources())}, expected only the relayed address {relayed}"
    finally:
        turn_transport.close()  # Refresh with LIFETIME 0, then the socket closes
        await asyncio.wait_for(protocol.lost, STEP_TIMEOUT)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_aioice_turn_endpoint_static_user(turn_server, echo_peer, transport):
    server = turn_server.start(users={USER: PASSWORD}, probe=transport)
    asyncio.run(relay_roundtrip(server, echo_peer, USER, PASSWORD, transport))


def test_aioice_turn_endpoint_rest_credentials(turn_server, echo_peer):
    server = turn_server.start(secrets=[SECRET])
    username, password = tc.rest_credentials(SECRET, USER, ttl=600)
    asyncio.run(relay_roundtrip(server, echo_peer, username, password, "udp"))


def test_aioice_turn_endpoint_wrong_password(turn_server):
    server = turn_server.start(users={USER: PASSWORD})

    async def attempt():
        with pytest.raises(aioice.stun.TransactionFailed) as info:
            await asyncio.wait_for(
                aioice_turn.create_turn_endpoint(Collector, server_addr=server.address,
                                                 username=USER, password="wrong"),
                STEP_TIMEOUT)
        assert info.value.response.attributes["ERROR-CODE"][0] == 401

    asyncio.run(attempt())


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_aioice_ice_relay_only(turn_server, transport):
    server = turn_server.start(users={USER: PASSWORD}, probe=transport)

    async def run():
        def connection(controlling):
            return aioice.Connection(ice_controlling=controlling, components=1,
                                     turn_server=server.address, turn_username=USER,
                                     turn_password=PASSWORD, turn_transport=transport,
                                     transport_policy=aioice.TransportPolicy.RELAY)

        a, b = connection(True), connection(False)
        try:
            await asyncio.wait_for(asyncio.gather(a.gather_candidates(), b.gather_candidates()),
                                   STEP_TIMEOUT)
            for conn in (a, b):
                types = {c.type for c in conn.local_candidates}
                assert types == {"relay"}, f"relay-only gathered {types}: {conn.local_candidates}"
                for c in conn.local_candidates:
                    assert c.host == server.relay_ip
            for src, dst in ((a, b), (b, a)):
                for candidate in src.local_candidates:
                    await dst.add_remote_candidate(candidate)
                await dst.add_remote_candidate(None)
                dst.remote_username = src.local_username
                dst.remote_password = src.local_password
            await asyncio.wait_for(asyncio.gather(a.connect(), b.connect()), STEP_TIMEOUT * 2)
            for conn in (a, b):
                pair = conn._nominated.get(1)  # no public accessor for the selected pair
                assert pair is not None, "no nominated candidate pair"
                assert (pair.local_candidate.type, pair.remote_candidate.type) == ("relay", "relay"), pair
            for i in range(MESSAGES):
                await a.send(f"a->b {i}".encode())
                assert await asyncio.wait_for(b.recv(), STEP_TIMEOUT) == f"a->b {i}".encode()
                await b.send(f"b->a {i}".encode())
                assert await asyncio.wait_for(a.recv(), STEP_TIMEOUT) == f"b->a {i}".encode()
        finally:
            await asyncio.wait_for(asyncio.gather(a.close(), b.close(), return_exceptions=True),
                                   STEP_TIMEOUT)

    asyncio.run(run())
