"""A small raw TURN (RFC 8656) client for the interop tests, built on stun.py.

It speaks UDP or TCP (RFC 8656 section 3.1 framing: STUN messages and ChannelData,
ChannelData padded to 4 bytes over streams) and does just enough of the long-term
credential mechanism (RFC 8489 section 9.2): the first request goes out without
credentials, the 401 answer gives REALM and NONCE, the request is sent again with
USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (HMAC-SHA1 keyed with
MD5("user:realm:password")). A 438 (stale nonce) is retried once with the new NONCE
when `retry_stale` is on. Every socket has a timeout; nothing waits forever.

Tests use the low-level `transact`/`build_request` to send exactly what they want
(a wrong key, an unknown attribute, the same transaction twice).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import time

import stun

# Methods (RFC 8656 section 18).
ALLOCATE = 0x003
REFRESH = 0x004
SEND = 0x006
DATA = 0x007
CREATE_PERMISSION = 0x008
CHANNEL_BIND = 0x009

# Attributes (RFC 8656 section 18, RFC 8489 section 18.3).
ATTR_CHANNEL_NUMBER = 0x000C
ATTR_LIFETIME = 0x000D
ATTR_XOR_PEER_ADDRESS = 0x0012
ATTR_DATA = 0x0013
ATTR_XOR_RELAYED_ADDRESS = 0x0016
ATTR_REQUESTED_ADDRESS_FAMILY = 0x0017
ATTR_EVEN_PORT = 0x0018
ATTR_REQUESTED_TRANSPORT = 0x0019
ATTR_DONT_FRAGMENT = 0x001A
ATTR_RESERVATION_TOKEN = 0x0022
ATTR_ADDITIONAL_ADDRESS_FAMILY = 0x8000

PROTO_UDP = 17


def message_type(method: int, cls: int) -> int:
    """Compose the 14-bit STUN message type from a 12-bit method and a 2-bit class."""
    return ((method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
            | ((cls & 0x1) << 4) | ((cls & 0x2) << 7))


def long_term_key(username: str, realm: str, password: str) -> bytes:
    return hashlib.md5(f"{username}:{realm}:{password}".encode("utf-8")).digest()


def rest_credentials(secret: str, user: str = "alice", ttl: int = 3600,
                     separator: str = ":", now: float | None = None) -> tuple[str, str]:
    """coturn's TURN REST credentials: username "<expiry>:<user>", password
    base64(HMAC-SHA1(secret, username)). A negative `ttl` gives an expired one."""
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}{separator}{user}"
    password = base64.b64encode(
        hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    ).decode("ascii")
    return username, password


def encode_xor_address(ip: str, port: int, transaction_id: bytes) -> bytes:
    addr = ipaddress.ip_address(ip)
    xport = port ^ (stun.MAGIC_COOKIE >> 16)
    if addr.version == 4:
        raw = int(addr) ^ stun.MAGIC_COOKIE
        return struct.pack("!BBHI", 0, stun.FAMILY_IPV4, xport, raw)
    key = struct.pack("!I", stun.MAGIC_COOKIE) + transaction_id
    raw = bytes(a ^ b for a, b in zip(addr.packed, key))
    return struct.pack("!BBH", 0, stun.FAMILY_IPV6, xport) + raw


def _with_integrity(msg_type: int, txid: bytes, body: bytes, key: bytes, fingerprint: bool) -> bytes:
    # MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to the attribute, with the
    # header length already counting MESSAGE-INTEGRITY (24 bytes) but not FINGERPRINT.
    header = struct.pack("!HHI", msg_type, len(body) + 24, stun.MAGIC_COOKIE) + txid
    mac = hmac.new(key, header + body, hashlib.sha1).digest()
    body += struct.pack("!HH", stun.ATTR_MESSAGE_INTEGRITY, 20) + mac
    if fingerprint:
        header = struct.pack("!HHI", msg_type, len(body) + 8, stun.MAGIC_COOKIE) + txid
        crc = stun.fingerprint_value(header + body)
        body += struct.pack("!HHI", stun.ATTR_FINGERPRINT, 4, crc)
    return struct.pack("!HHI", msg_type, len(body), stun.MAGIC_COOKIE) + txid + body


def verify_integrity(raw: bytes, key: bytes) -> bool:
    """True when `raw` carries a MESSAGE-INTEGRITY that is right for `key`."""
    msg = stun.parse(raw)
    off = stun.HEADER_LEN
    for attr_type, value in msg.attributes:
        if attr_type == stun.ATTR_MESSAGE_INTEGRITY:
            if len(value) != 20:
                return False
            header = struct.pack("!HHI", msg.msg_type, off - stun.HEADER_LEN + 24,
                                 stun.MAGIC_COOKIE) + msg.transaction_id
            mac = hmac.new(key, header + raw[stun.HEADER_LEN:off], hashlib.sha1).digest()
            return hmac.compare_digest(mac, value)
        off += 4 + len(value) + ((-len(value)) % 4)
    return False


def is_channel_data(data: bytes) -> bool:
    return len(data) >= 4 and 0x40 <= data[0] <= 0x7F


class TurnError(AssertionError):
    pass


class TurnClient:
    """One client 5-tuple (a UDP socket or a TCP connection) to a TURN server."""

    def __init__(self, server: tuple, username: str | None = None, password: str | None = None,
                 *, transport: str = "udp", timeout: float = 2.0, fingerprint: bool = False,
                 retry_stale: bool = True):
        self.server = (server[0], server[1])
        self.username = username
        self.password = password
        self.transport = transport
        self.timeout = timeout
        self.fingerprint = fingerprint
        self.retry_stale = retry_stale
        self.realm: str | None = None
        self.nonce: bytes | None = None
        self.key: bytes | None = None
        self.relayed: tuple | None = None
        self.mapped: tuple | None = None
        self.lifetime: int | None = None
        self.channels: dict = {}        # channel number -> peer (ip, port)
        self.pending: list = []         # (peer, data) received while waiting for a response
        self._stream_buf = b""
        family = socket.AF_INET6 if ":" in self.server[0] else socket.AF_INET
        if transport == "udp":
            self.sock = socket.socket(family, socket.SOCK_DGRAM)
            self.sock.settimeout(timeout)
            self.sock.bind((self.server[0], 0))
            self.sock.connect(self.server)
        elif transport == "tcp":
            self.sock = stun.tcp_connect(self.server[0], self.server[1], timeout)
        else:
            raise ValueError(transport)

    # --- context manager ---------------------------------------------------

    def __enter__(self) -> "TurnClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    @property
    def local_address(self) -> tuple:
        return self.sock.getsockname()[:2]

    # --- raw I/O -------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        if self.transport == "tcp":
            if is_channel_data(data):
                data += b"\x00" * ((-len(data)) % 4)
            self.sock.sendall(data)
        else:
            self.sock.send(data)

    def _read_frame(self, deadline: float) -> bytes | None:
        """One STUN message or ChannelData frame, or None at the deadline."""
        if self.transport == "udp":
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                return self.sock.recv(65535)
            except (socket.timeout, ConnectionRefusedError):
                return None
        while True:
            buf = self._stream_buf
            if len(buf) >= 4:
                if is_channel_data(buf):
                    length = struct.unpack_from("!H", buf, 2)[0]
                    total = 4 + length
                    padded = total + ((-total) % 4)
                    if len(buf) >= padded:
                        self._stream_buf = buf[padded:]
                        return buf[:total]
                elif len(buf) >= stun.HEADER_LEN:
                    total = stun.HEADER_LEN + struct.unpack_from("!H", buf, 2)[0]
                    if len(buf) >= total:
                        self._stream_buf = buf[total:]
                        return buf[:total]
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise ConnectionError("TURN server closed the TCP connection")
            self._stream_buf += chunk

    def _decode_data(self, frame: bytes):
        """(peer, payload) for ChannelData or a Data indication, else None."""
        if is_channel_data(frame):
            channel, length = struct.unpack_from("!HH", frame, 0)
            return (self.channels.get(channel, ("channel", channel)), frame[4:4 + length])
        try:
            msg = stun.parse(frame)
        except ValueError:
            return None
        if msg.msg_type == message_type(DATA, stun.CLASS_INDICATION):
            peer = stun.decode_xor_address(msg.get(ATTR_XOR_PEER_ADDRESS), msg.transaction_id)
            return (peer, msg.get(ATTR_DATA) or b"")
        return None

    def wait_response(self, txid: bytes, timeout: float | None = None) -> stun.StunMessage | None:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            frame = self._read_frame(deadline)
            if frame is None:
                return None
            data = self._decode_data(frame)
            if data is not None:
                self.pending.append(data)
                continue
            try:
                msg = stun.parse(frame)
            except ValueError:
                continue
            if msg.transaction_id == txid:
                return msg

    def recv_data(self, timeout: float | None = None):
        """The next (peer (ip, port) or ("channel", n), payload) relayed to us, or None."""
        if self.pending:
            return self.pending.pop(0)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            frame = self._read_frame(deadline)
            if frame is None:
                return None
            data = self._decode_data(frame)
            if data is not None:
                return data

    def transact(self, data: bytes, txid: bytes, *, timeout: float | None = None,
                 retries: int = 3) -> stun.StunMessage:
        """Send and wait for the response with `txid` (UDP: resend, `retries` tries in all)."""
        timeout = self.timeout if timeout is None else timeout
        tries = retries if self.transport == "udp" else 1
        for _ in range(max(1, tries)):
            self.send_raw(data)
            msg = self.wait_response(txid, timeout / max(1, tries))
            if msg is not None:
                return msg
        raise TurnError(f"no response from {self.server} within {timeout} s to a request "
                        f"with transaction id {txid.hex()}")

    # --- requests ------------------------------------------------------------

    def build_request(self, method: int, attributes=(), *, txid: bytes | None = None,
                      auth: bool = True, key: bytes | None = None,
                      username: str | None = None, nonce: bytes | None = None,
                      realm: str | None = None, cls: int = stun.CLASS_REQUEST) -> tuple:
        """(wire bytes, txid). `attributes` are (type, value) pairs or callables
        txid -> (type, value) (for XOR addresses). With `auth` and known credentials
        it appends USERNAME, REALM, NONCE and MESSAGE-INTEGRITY."""
        txid = txid if txid is not None else stun.new_transaction_id()
        attrs = []
        for attr in attributes:
            attrs.append(attr(txid) if callable(attr) else attr)
        body = b"".join(stun.encode_attribute(t, v) for t, v in attrs)
        mtype = message_type(method, cls)
        if auth and self.realm is not None:
            body += stun.encode_attribute(stun.ATTR_USERNAME,
                                          (username or self.username).encode("utf-8"))
            body += stun.encode_attribute(stun.ATTR_REALM, (realm or self.realm).encode("utf-8"))
            body += stun.encode_attribute(stun.ATTR_NONCE, nonce or self.nonce)
            return _with_integrity(mtype, txid, body, key or self.key, self.fingerprint), txid
        if self.fingerprint:
            header = struct.pack("!HHI", mtype, len(body) + 8, stun.MAGIC_COOKIE) + txid
            body += struct.pack("!HHI", stun.ATTR_FINGERPRINT, 4, stun.fingerprint_value(header + body))
        return struct.pack("!HHI", mtype, len(body), stun.MAGIC_COOKIE) + txid + body, txid

    def _learn_challenge(self, msg: stun.StunMessage) -> None:
        realm = msg.get(stun.ATTR_REALM)
        nonce = msg.get(stun.ATTR_NONCE)
        if realm is not None:
            self.realm = realm.decode("utf-8")
        if nonce is not None:
            self.nonce = nonce
        if self.realm is not None and self.username is not None:
            self.key = long_term_key(self.username, self.realm, self.password or "")

    def request(self, method: int, attributes=(), *, timeout: float | None = None) -> stun.StunMessage:
        """Send a request; answer a 401 challenge (once) and, with `retry_stale`, a 438
        (once). Returns the final response, success or error."""
        challenged = False
        stale_retried = False
        while True:
            data, txid = self.build_request(method, attributes)
            msg = self.transact(data, txid, timeout=timeout)
            if msg.cls != stun.CLASS_ERROR:
                return msg
            code, _ = msg.error_code()
            if code == 401 and not challenged and self.realm is None and self.username is not None:
                challenged = True
                self._learn_challenge(msg)
                if self.realm is None or self.nonce is None:
                    return msg
                continue
            if code == 438 and self.retry_stale and not stale_retried:
                stale_retried = True
                self._learn_challenge(msg)
                continue
            return msg

    def ensure_challenge(self) -> stun.StunMessage:
        """Send an unauthenticated Allocate to learn REALM and NONCE (401 expected)."""
        data, txid = self.build_request(ALLOCATE, [requested_transport()], auth=False)
        msg = self.transact(data, txid)
        if msg.cls == stun.CLASS_ERROR and msg.error_code()[0] == 401:
            self._learn_challenge(msg)
        return msg

    def allocate(self, *, lifetime: int | None = None, family: int | None = None,
                 even_port: bool | None = None, reservation_token: bytes | None = None,
                 extra=(), check: bool = True) -> stun.StunMessage:
        attrs = [requested_transport()]
        if lifetime is not None:
            attrs.append((ATTR_LIFETIME, struct.pack("!I", lifetime)))
        if family is not None:
            attrs.append((ATTR_REQUESTED_ADDRESS_FAMILY, struct.pack("!B3x", family)))
        if even_port is not None:
            attrs.append((ATTR_EVEN_PORT, bytes([0x80 if even_port else 0x00])))
        if reservation_token is not None:
            attrs.append((ATTR_RESERVATION_TOKEN, reservation_token))
        attrs += list(extra)
        msg = self.request(ALLOCATE, attrs)
        if msg.cls == stun.CLASS_SUCCESS:
            self.relayed = stun.decode_xor_address(msg.get(ATTR_XOR_RELAYED_ADDRESS), msg.transaction_id)
            self.mapped = msg.xor_mapped_address()
            self.lifetime = struct.unpack("!I", msg.get(ATTR_LIFETIME))[0]
        elif check:
            raise TurnError(f"Allocate failed: {describe(msg)}")
        return msg

    def refresh(self, lifetime: int | None = None) -> stun.StunMessage:
        attrs = [] if lifetime is None else [(ATTR_LIFETIME, struct.pack("!I", lifetime))]
        return self.request(REFRESH, attrs)

    def create_permission(self, *peers) -> stun.StunMessage:
        """`peers` are IP strings or (ip, port) pairs (the port is ignored by the server)."""
        attrs = []
        for peer in peers:
            ip, port = (peer, 0) if isinstance(peer, str) else peer
            attrs.append(xor_peer_address(ip, port))
        return self.request(CREATE_PERMISSION, attrs)

    def channel_bind(self, channel: int, peer: tuple) -> stun.StunMessage:
        msg = self.request(CHANNEL_BIND, [(ATTR_CHANNEL_NUMBER, struct.pack("!HH", channel, 0)),
                                          xor_peer_address(*peer)])
        if msg.cls == stun.CLASS_SUCCESS:
            self.channels[channel] = (peer[0], peer[1])
        return msg

    def send_indication(self, peer: tuple, payload: bytes) -> None:
        data, _ = self.build_request(SEND, [xor_peer_address(*peer), (ATTR_DATA, payload)],
                                     auth=False, cls=stun.CLASS_INDICATION)
        self.send_raw(data)

    def send_channel_data(self, channel: int, payload: bytes) -> None:
        self.send_raw(struct.pack("!HH", channel, len(payload)) + payload)


def requested_transport(proto: int = PROTO_UDP):
    return (ATTR_REQUESTED_TRANSPORT, struct.pack("!B3x", proto))


def xor_peer_address(ip: str, port: int):
    return lambda txid: (ATTR_XOR_PEER_ADDRESS, encode_xor_address(ip, port, txid))


def describe(msg: stun.StunMessage) -> str:
    text = repr(msg)
    if msg.cls == stun.CLASS_ERROR and msg.has(stun.ATTR_ERROR_CODE):
        code, reason = msg.error_code()
        text += f" error {code} {reason!r}"
    return text


def error_code(msg: stun.StunMessage) -> int | None:
    if msg.cls != stun.CLASS_ERROR:
        return None
    return msg.error_code()[0]


def random_payload(n: int = 64) -> bytes:
    return os.urandom(n)
