"""The URIs a credential carries when `turn-uris` is not set: derived from the node's own
listeners (turn: over UDP and TCP on each specific listening address), and usable as they are
by a real client: aioice allocates through each of them and relays to a UDP echo peer."""

from __future__ import annotations

import asyncio
import re

from aioice import turn as aioice_turn

from conftest import free_port, turngate_only
from test_gateway import (AUDIENCE, ISSUER, JWT_SECRET, REALM, STATIC_AUTH_SECRET, claims, mint, signed,
                          unique_user, wait_http_ready)
from test_turn_aioice import STEP_TIMEOUT, Collector

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

URI = re.compile(r"^turn:(?P<host>[0-9.]+):(?P<port>\d+)\?transport=(?P<transport>udp|tcp)$")


async def echo_through(uri: str, username: str, password: str, peer) -> None:
    parts = URI.match(uri)
    assert parts, f"not a turn: URI with an IPv4 address, port and transport: {uri!r}"
    turn_transport, protocol = await asyncio.wait_for(
        aioice_turn.create_turn_endpoint(Collector, server_addr=(parts["host"], int(parts["port"])), username=username,
                                         password=password, transport=parts["transport"]),
        STEP_TIMEOUT)
    try:
        payload = f"through {uri}".encode()
        turn_transport.sendto(payload, peer.address)
        data, addr = await asyncio.wait_for(protocol.queue.get(), STEP_TIMEOUT)
        assert (data, tuple(addr)) == (payload, peer.address), f"{uri}: {data!r} from {addr}"
    finally:
        turn_transport.close()
        await asyncio.wait_for(protocol.lost, STEP_TIMEOUT)


@turngate_only("TurnGate's credential gateway")
def test_credentials_without_turn_uris_carry_the_listeners_uris(turngate, echo_peer):
    api_port = free_port("127.0.0.1")
    server = turngate.start([
        f"realm={REALM}", "use-auth-secret", f"static-auth-secret={STATIC_AUTH_SECRET}", "allow-loopback-peers",
        "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={JWT_SECRET}",
        f"jwt-issuer={ISSUER}", f"jwt-audience={AUDIENCE}",
    ])
    wait_http_ready(server, api_port)
    server.api_port = api_port
    assert "no turn-uris" not in server.logs(), f"a warning about missing URIs on a specific address:\n{server.logs()}"
    reply = mint(server, signed(claims(unique_user("uris"))))
    assert reply.status == 200, f"mint: {reply!r}"
    expected = [f"turn:127.0.0.1:{server.port}?transport=udp", f"turn:127.0.0.1:{server.port}?transport=tcp"]
    assert reply.json["uris"] == expected, f"derived URIs: {reply.json!r}"
    ice = reply.json["iceServers"]
    assert ice and ice[0]["urls"] == expected, f"iceServers without the derived URLs: {reply.json!r}"
    for uri in expected:
        asyncio.run(echo_through(uri, ice[0]["username"], ice[0]["credential"], echo_peer))


@turngate_only("TurnGate's credential gateway")
def test_a_wildcard_node_without_turn_uris_warns_at_start(turngate):
    api_port = free_port("127.0.0.1")
    port = free_port("127.0.0.1")
    server = turngate.start([
        "listening-ip=0.0.0.0", f"listening-port={port}", f"realm={REALM}", "use-auth-secret",
        f"static-auth-secret={STATIC_AUTH_SECRET}", "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
        f"jwt-secret={JWT_SECRET}", f"jwt-issuer={ISSUER}", f"jwt-audience={AUDIENCE}",
    ], base_config=False, port=port)
    wait_http_ready(server, api_port)
    assert "no turn-uris and no address to derive them from" in server.logs(), \
        f"no start-up warning for a node whose URIs cannot be derived:\n{server.logs()}"
