"""Floods of malformed input over UDP and TCP: the server must survive and keep answering."""

from __future__ import annotations

import os
import random
import socket
import struct
import time

import stun

UDP_DATAGRAMS = 5000
UDP_TIME_LIMIT = 20.0
TCP_CONNECTIONS = 300
TCP_TIME_LIMIT = 20.0


def _valid_request(rng: random.Random) -> bytes:
    txid = stun.new_transaction_id(rng)
    return stun.binding_request(txid, fingerprint=True, software="robustness")[0]


def _random_bytes(rng: random.Random, n: int) -> bytes:
    return rng.getrandbits(8 * n).to_bytes(n, "big") if n else b""


def udp_garbage(rng: random.Random, count: int):
    """Yields `count` datagrams: a seeded mix of random, truncated, bit-flipped and
    over-long-length STUN-looking messages."""
    base = _valid_request(rng)
    produced = 0
    offset = 0
    while produced < count:
        kind = produced % 6
        if kind == 0:
            data = _random_bytes(rng, rng.randint(0, 1500))
        elif kind == 1:
            # Truncation of a valid request at every offset in turn (0 .. len-1).
            data = base[:offset]
            offset = (offset + 1) % len(base)
        elif kind == 2:
            buf = bytearray(_valid_request(rng))
            for _ in range(rng.randint(1, 4)):
                bit = rng.randrange(len(buf) * 8)
                buf[bit // 8] ^= 1 << (bit % 8)
            data = bytes(buf)
        elif kind == 3:
            # An attribute claiming a huge length, header length honest or not.
            txid = stun.new_transaction_id(rng)
            attr_len = rng.choice([0xFFFF, 0xFFFC, 0x8000, 1500, 65, rng.randint(5, 0xFFFF)])
            attr = struct.pack("!HH", rng.choice([stun.ATTR_SOFTWARE, stun.ATTR_XOR_MAPPED_ADDRESS,
                                                  stun.ATTR_FINGERPRINT, stun.ATTR_USERNAME,
                                                  stun.ATTR_MESSAGE_INTEGRITY, rng.randrange(0x10000)]),
                               attr_len) + _random_bytes(rng, rng.choice([0, 4, 8, 100]))
            data = stun.build_message(stun.BINDING_REQUEST, txid, [attr],
                                      length_override=rng.choice([None, len(attr), 0xFFFF]))
        elif kind == 4:
            # Header length 0xFFFF (or other impossible values) with short bodies.
            txid = stun.new_transaction_id(rng)
            data = stun.build_message(rng.choice([stun.BINDING_REQUEST, 0x0003, 0x0004, 0x0016, 0x0009]),
                                      txid, [_random_bytes(rng, rng.choice([0, 4, 16, 64]))],
                                      length_override=rng.choice([0xFFFF, 0xFFFC, 3, 1, 2]))
        else:
            # Many zero-length or odd attributes, and ChannelData-looking bytes.
            if rng.random() < 0.5:
                txid = stun.new_transaction_id(rng)
                attrs = [struct.pack("!HH", rng.randrange(0x10000), 0) for _ in range(rng.randint(1, 300))]
                data = stun.build_message(stun.BINDING_REQUEST, txid, attrs)
            else:
                payload = _random_bytes(rng, rng.randint(0, 200))
                data = struct.pack("!HH", rng.randint(0x4000, 0x7FFF),
                                   rng.choice([len(payload), 0xFFFF, 0])) + payload
        produced += 1
        yield data[:65507]


def test_udp_flood_of_garbage_then_binding_works(server):
    rng = random.Random(20240601)
    sent = 0
    deadline = time.monotonic() + UDP_TIME_LIMIT
    family = socket.AF_INET6 if ":" in server.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        sock.bind((server.host, 0))
        for data in udp_garbage(rng, UDP_DATAGRAMS):
            if time.monotonic() > deadline:
                break
            try:
                sock.sendto(data, server.address)
            except (BlockingIOError, ConnectionRefusedError, socket.timeout):
                pass
            sent += 1
            if sent % 500 == 0:
                # Pace a little so the kernel buffers, not the test, decide what is dropped.
                time.sleep(0.01)
    assert sent >= 1000, f"only {sent} datagrams sent in {UDP_TIME_LIMIT} s"
    assert server.alive(), f"turngate died during the UDP flood (after {sent} datagrams)"

    # A normal request still gets its answer (retried: the garbage may still be queued).
    req, txid = stun.binding_request(fingerprint=True)
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=10.0, retries=10)
        client = sock.getsockname()[:2]
    assert msg is not None, "no answer to a good Binding after the flood"
    assert msg.msg_type == stun.BINDING_SUCCESS
    assert msg.xor_mapped_address() == (client[0], client[1])
    assert msg.fingerprint_ok()
    assert server.alive()


def _open_fds(pid: int) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def tcp_garbage(rng: random.Random, i: int) -> bytes:
    base = _valid_request(rng)
    kind = i % 6
    if kind == 0:
        return _random_bytes(rng, rng.randint(1, 3000))
    if kind == 1:
        return base[:rng.randint(1, len(base) - 1)]
    if kind == 2:
        return base[:2] + b"\xff\xff" + base[4:]  # length 0xFFFF, then close early
    if kind == 3:
        return base[:4] + b"\x00\x00\x00\x00" + base[8:] + _random_bytes(rng, 64)  # wrong cookie
    if kind == 4:
        buf = bytearray(base * rng.randint(1, 5))
        for _ in range(rng.randint(1, 6)):
            bit = rng.randrange(len(buf) * 8)
            buf[bit // 8] ^= 1 << (bit % 8)
        return bytes(buf)
    return b""  # connect and close at once


def test_tcp_garbage_connections_then_binding_works(server):
    rng = random.Random(5389)
    baseline_fds = _open_fds(server.pid)
    deadline = time.monotonic() + TCP_TIME_LIMIT
    done = 0
    for i in range(TCP_CONNECTIONS):
        if time.monotonic() > deadline:
            break
        data = tcp_garbage(rng, i)
        try:
            sock = stun.tcp_connect(server.host, server.port, timeout=2.0)
        except OSError as e:
            raise AssertionError(f"connection {i} refused after {done} garbage connections: {e}")
        try:
            if data:
                sock.sendall(data)
            if i % 3 == 0:
                # Abortive close (RST) for a third of them.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass  # the server may already have dropped a garbage connection
        finally:
            sock.close()
        done += 1
    assert done >= 50, f"only {done} garbage connections in {TCP_TIME_LIMIT} s"
    assert server.alive(), f"turngate died during the TCP garbage (after {done} connections)"

    msg, client = stun.tcp_binding(server.host, server.port, fingerprint=True, timeout=5.0)
    assert msg.msg_type == stun.BINDING_SUCCESS
    assert msg.xor_mapped_address() == (client[0], client[1])
    assert msg.fingerprint_ok()

    # The garbage connections were closed by the client; the server must not keep them.
    if baseline_fds is not None:
        limit = baseline_fds + 20
        fds = _open_fds(server.pid)
        wait_until = time.monotonic() + 5.0
        while fds is not None and fds > limit and time.monotonic() < wait_until:
            time.sleep(0.1)
            fds = _open_fds(server.pid)
        assert fds is None or fds <= limit, (
            f"turngate holds {fds} fds after {done} closed connections (was {baseline_fds})")
    assert server.alive()
