"""Shared helpers for the attack suite (`test_attack_*.py`).

Every attack test ends by checking that the node is still whole, not just running:

    assert_alive_and_serving(server, udp_sockets=n, rss_limit_kib=limit)

checks that the process is alive, that `n` UDP listener sockets are still bound to the
server's port (`ss`; turngate opens one `SO_REUSEPORT` socket per event loop, and a
listener closed by a send error leaves the process running with fewer of them), that
Bindings are answered from several client source ports over UDP and TCP, and that the
resident set stays under a limit.

Also here: `rss_kib` (from /proc), `udp_listener_sockets` (from `ss -uanp`), `readyz`
and `scrape_metrics` (plain HTTP), and `send_raw_udp`, which sends a UDP datagram from
any source address and port, port 0 included, through a raw socket (root only): a normal
socket cannot send from port 0, because binding port 0 means "pick one".

Everything runs against 127.0.0.1/::1, and every wait is bounded.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request

import stun

BINDING_PROBES = 4
PROBE_TIMEOUT = 2.0


# --- process ---------------------------------------------------------------------

def rss_kib(pid: int) -> int:
    """The resident set size of process `pid` in KiB (`VmRSS` in /proc/<pid>/status)."""
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS in /proc/{pid}/status (a zombie?)")


def open_files(pid: int) -> int:
    """How many file descriptors process `pid` holds (/proc/<pid>/fd)."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time process `pid` has used so far, in seconds (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- sockets (ss) ----------------------------------------------------------------

def _ss_rows(args: list) -> list:
    out = subprocess.run(["ss", "-H", *args], capture_output=True, text=True, timeout=10, check=True)
    return [line.split() for line in out.stdout.splitlines() if line.strip()]


def _local_port(local: str) -> int | None:
    # "127.0.0.1:3478", "[::1]:3478", "*:3478", "0.0.0.0%lo:3478"
    _, _, port = local.rpartition(":")
    return int(port) if port.isdigit() else None


def udp_listener_sockets(port: int, pid: int | None = None) -> int:
    """How many UDP sockets are bound to local port `port` (any address), via `ss -uanp`.

    With `pid`, only sockets of that process count. Client sockets of the tests bind
    ephemeral ports, so they never count."""
    count = 0
    for row in _ss_rows(["-uanp"]):
        # State Recv-Q Send-Q Local Peer [Process]
        if len(row) < 5 or _local_port(row[3]) != port:
            continue
        if pid is not None and f"pid={pid}," not in " ".join(row[5:]):
            continue
        count += 1
    return count


def tcp_listener_sockets(port: int, pid: int | None = None) -> int:
    """How many listening TCP sockets are bound to local port `port`, via `ss -tlnp`."""
    count = 0
    for row in _ss_rows(["-tlnp"]):
        if len(row) < 5 or _local_port(row[3]) != port:
            continue
        if pid is not None and f"pid={pid}," not in " ".join(row[5:]):
            continue
        count += 1
    return count


# --- HTTP --------------------------------------------------------------------------

def http_get(url: str, timeout: float = 5.0) -> tuple:
    """(status, body text) of a GET; HTTP errors are answers; (0, error text) when no
    HTTP answer came at all (refused, reset, timed out)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", errors="replace")
    except (OSError, urllib.error.URLError) as e:
        return 0, f"{type(e).__name__}: {e}"


def readyz(url: str) -> tuple:
    """(status, body) of GET `url` (the gateway's `/readyz`, e.g.
    "http://127.0.0.1:8080/readyz"); (0, error text) when nothing answered."""
    return http_get(url)


def scrape_metrics(url: str) -> dict:
    """The samples of a Prometheus text page: {"name{labels}": value}. Fails unless 200."""
    status, text = http_get(url)
    assert status == 200, f"GET {url}: {status} {text[:300]!r}"
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                samples[name] = float(value)
            except ValueError:
                continue
    return samples


def metric_sum(samples: dict, name: str, label_pattern: str = "") -> float:
    """The sum of every sample of family `name` whose labels match the regex `label_pattern`."""
    total = 0.0
    for key, value in samples.items():
        family, _, labels = key.partition("{")
        if family == name and re.search(label_pattern, labels):
            total += value
    return total


# --- STUN probes -------------------------------------------------------------------

def udp_binding(server_address: tuple, source: tuple | None = None,
                timeout: float = PROBE_TIMEOUT) -> stun.StunMessage | None:
    """One Binding over UDP from a fresh socket bound to `source` (default: the
    server's address family loopback, ephemeral port); the response or None."""
    host = server_address[0]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.bind(source or (host, 0))
        request, txid = stun.binding_request()
        return stun.udp_transact(sock, server_address, request, txid, timeout=timeout, retries=2)


def _binding_ok(msg) -> bool:
    return msg is not None and msg.msg_type == stun.BINDING_SUCCESS


def assert_bindings_answered(server_address: tuple, *, count: int = BINDING_PROBES,
                             tcp: bool = True, sources=None) -> None:
    """A Binding is answered from `count` different client source ports over UDP (and
    over `count` TCP connections when `tcp`). `sources`, when given, are the (ip, port)
    to send the UDP probes from instead (e.g. 127.0.0.x addresses, which SO_REUSEPORT
    hashes onto different listener sockets)."""
    failed = []
    for source in (sources or [None] * count):
        if not _binding_ok(udp_binding(server_address, source)):
            failed.append(f"UDP from {source or 'an ephemeral port'}")
    if tcp:
        for _ in range(count):
            try:
                msg, _ = stun.tcp_binding(server_address[0], server_address[1], timeout=PROBE_TIMEOUT)
            except (OSError, ValueError, AssertionError) as e:
                failed.append(f"TCP ({type(e).__name__}: {e})")
                continue
            if not _binding_ok(msg):
                failed.append(f"TCP (answered {msg!r})")
    assert not failed, f"Bindings to {server_address} not answered: {', '.join(failed)}"


def assert_alive_and_serving(server, *, udp_sockets: int | None = None, tcp: bool = True,
                             rss_limit_kib: int | None = None) -> None:
    """The node survived: the process is alive; when `udp_sockets` is given, exactly that
    many UDP listener sockets of the process are still bound to its port; a Binding is
    answered from 4 different client source ports over UDP (and 4 TCP connections when
    `tcp`); when `rss_limit_kib` is given, its RSS is under it. `server` is a conftest
    TurnGate (`.alive()`, `.pid`, `.address`, `.port`, `.logs()`)."""
    assert server.alive(), f"turngate exited with {server.proc.returncode}\n{server.logs()}"
    if udp_sockets is not None:
        open_now = udp_listener_sockets(server.port, server.pid)
        assert open_now == udp_sockets, (
            f"{open_now} UDP listener sockets on port {server.port}, expected {udp_sockets}: "
            f"a listener was closed\n{server.logs()}")
    assert_bindings_answered(server.address, tcp=tcp)
    if rss_limit_kib is not None:
        rss = rss_kib(server.pid)
        assert rss < rss_limit_kib, f"RSS {rss} KiB, limit {rss_limit_kib} KiB"
    assert server.alive(), f"turngate exited with {server.proc.returncode}\n{server.logs()}"


# --- raw UDP (any source port, 0 included) -----------------------------------------

def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_packet(source: tuple, destination: tuple, payload: bytes) -> bytes:
    """A UDP header (RFC 768) with its checksum over the IPv4/IPv6 pseudo-header, + payload.
    Payloads over 65,507 bytes (IPv4) do not fit one datagram."""
    src, dst = ipaddress.ip_address(source[0]), ipaddress.ip_address(destination[0])
    length = 8 + len(payload)
    header = struct.pack("!HHHH", source[1], destination[1], length, 0)
    if src.version == 4:
        pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, socket.IPPROTO_UDP, length)
    else:
        pseudo = src.packed + dst.packed + struct.pack("!I3xB", length, socket.IPPROTO_UDP)
    checksum = _checksum(pseudo + header + payload) or 0xFFFF
    return struct.pack("!HHHH", source[1], destination[1], length, checksum) + payload


def send_raw_udp(source: tuple, destination: tuple, payload: bytes) -> None:
    """Send one UDP datagram from `source` (ip, port), any port including 0, to
    `destination`, through a raw socket (needs root or CAP_NET_RAW). The kernel writes
    the IP header with `source`'s address (any 127.0.0.0/8 address or ::1 on loopback)."""
    family = socket.AF_INET6 if ":" in source[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_UDP) as raw:
        raw.bind((source[0], 0))
        # A raw socket's "port" is the protocol; destination port 0 here.
        raw.sendto(udp_packet(source, destination, payload), (destination[0], 0))


def raw_sockets_available() -> bool:
    """True when this process may open raw sockets (root or CAP_NET_RAW)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP).close()
        return True
    except PermissionError:
        return False


def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    """Polls `predicate()` until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
