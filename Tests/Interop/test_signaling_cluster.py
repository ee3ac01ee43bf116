"""Signaling rooms spanning two turngate nodes that share one private redis-server
(`redis-userdb`, redisproc.py), plain WebSocket clients on each node's `/v1/signal`
(docs/signaling.md, "Cluster").

One room, `signal-room-max-peers=2` on both nodes:
- a peer on node A, then one on node B: B's `authenticated` lists A's peer in `peers`, A gets
  `peer-joined` for B's;
- signals cross both ways, directed (`to`) and broadcast;
- the room is full cluster-wide: a third peer gets `room_full` (close 4403) on either node;
- B's peer leaves: A gets `peer-left`, a signal to the departed `peerId` is `unknown_peer`, and
  a new peer on node B takes the freed place, listing A's peer.
The same nodes also serve a room local to each (checked by a fresh pair on each node).

All on 127.0.0.1; every wait is bounded (STEP per message, CROSS for what crosses Redis).
"""

from __future__ import annotations

import random

import pytest

from conftest import server_kind
from redisproc import RedisServer
from signalclient import Peers, assert_serving, run, start_signal_server, token, unique

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="signaling is TurnGate's own")

CROSS = 5.0   # what goes through Redis pub/sub: a join, a leave, a signal


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def nodes(turngate, tmp_path, redis_server):
    low = random.randrange(20000, 32000 - 400, 2)   # a relay port range of its own for each node
    return [start_signal_server(turngate, tmp_path, ["signal-room-max-peers=2"], redis=redis_server,
                                node_id=f"node-{name}", relay_ports=(start, start + 199))
            for name, start in (("a", low), ("b", low + 200))]


async def refused_full(peers, node, room: str, name: str) -> None:
    peer = await peers.open(name, port=node.api_port)
    await peer.authenticate(token(unique(name), room), room, ok=False)
    await peer.expect_error("room_full")
    await peer.expect_closed(4403)


def test_a_room_spans_two_nodes(nodes):
    node_a, node_b = nodes

    async def body():
        room, alice, bob = unique("cluster-room"), unique("alice"), unique("bob")
        async with Peers(node_a.api_port) as peers:
            a = await peers.join("a", room, user=alice, port=node_a.api_port)
            assert a.authenticated["peers"] == [], f"a fresh room: {a.authenticated}"
            b = await peers.join("b", room, user=bob, port=node_b.api_port)
            listed = [(p.get("peerId"), p.get("userId")) for p in b.authenticated["peers"]]
            assert listed == [(a.peer_id, alice)], f"peers on node B: {b.authenticated['peers']}"
            joined = await a.expect("peer-joined", timeout=CROSS, peerId=b.peer_id)
            assert joined.get("userId") == bob, f"peer-joined across nodes: {joined}"

            await a.signal({"type": "offer", "sdp": "from node A"}, to=b.peer_id)
            got = await b.expect("signal", timeout=CROSS)
            assert got.get("from") == a.peer_id and got["data"] == {"type": "offer", "sdp": "from node A"}, got
            await b.signal({"type": "answer", "sdp": "from node B"}, to=a.peer_id)
            got = await a.expect("signal", timeout=CROSS)
            assert got.get("from") == b.peer_id and got["data"] == {"type": "answer", "sdp": "from node B"}, got
            await b.signal(["broadcast", 1])
            got = await a.expect("signal", timeout=CROSS)
            assert got.get("from") == b.peer_id and got["data"] == ["broadcast", 1], got
            await b.quiet(0.3, "signal")

            await refused_full(peers, node_a, room, "third-on-a")
            await refused_full(peers, node_b, room, "third-on-b")
            await a.quiet(0.3, "peer-joined")

            await b.close()
            await a.expect("peer-left", timeout=CROSS, peerId=b.peer_id)
            await a.signal("to the departed", to=b.peer_id)
            await a.expect_error("unknown_peer", timeout=CROSS)
            c = await peers.join("c", room, port=node_b.api_port)   # b's place is free again
            assert [p.get("peerId") for p in c.authenticated["peers"]] == [a.peer_id], c.authenticated
            await a.expect("peer-joined", timeout=CROSS, peerId=c.peer_id)
        for node in nodes:
            await assert_serving(node.api_port)
    run(body(), 60)
