"""A tiny STUN (RFC 8489) codec for the interop tests.

Only what the tests need: build a Binding request (optionally with SOFTWARE and
FINGERPRINT), build arbitrary header/attribute combinations (also broken ones),
parse a response, decode XOR-MAPPED-ADDRESS and ERROR-CODE, verify FINGERPRINT,
and read one STUN message from a stream socket (framed by its own length).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import time
import zlib
from dataclasses import dataclass, field

MAGIC_COOKIE = 0x2112A442
FINGERPRINT_XOR = 0x5354554E
HEADER_LEN = 20

# Message types (method Binding = 0x001).
BINDING_REQUEST = 0x0001
BINDING_INDICATION = 0x0011
BINDING_SUCCESS = 0x0101
BINDING_ERROR = 0x0111

# Message classes.
CLASS_REQUEST = 0
CLASS_INDICATION = 1
CLASS_SUCCESS = 2
CLASS_ERROR = 3

# Attribute types.
ATTR_MAPPED_ADDRESS = 0x0001
ATTR_USERNAME = 0x0006
ATTR_MESSAGE_INTEGRITY = 0x0008
ATTR_ERROR_CODE = 0x0009
ATTR_UNKNOWN_ATTRIBUTES = 0x000A
ATTR_REALM = 0x0014
ATTR_NONCE = 0x0015
ATTR_XOR_MAPPED_ADDRESS = 0x0020
ATTR_SOFTWARE = 0x8022
ATTR_FINGERPRINT = 0x8028

FAMILY_IPV4 = 0x01
FAMILY_IPV6 = 0x02


def new_transaction_id(rng=None) -> bytes:
    """12 random bytes; from `rng` (a random.Random) when given, else os.urandom."""
    if rng is None:
        return os.urandom(12)
    return bytes(rng.getrandbits(8) for _ in range(12))


def message_class(msg_type: int) -> int:
    return ((msg_type >> 4) & 0x1) | ((msg_type >> 7) & 0x2)


def message_method(msg_type: int) -> int:
    return (msg_type & 0x000F) | ((msg_type >> 1) & 0x0070) | ((msg_type >> 2) & 0x0F80)


def encode_attribute(attr_type: int, value: bytes) -> bytes:
    """TLV with the value padded to a multiple of 4 (the length field is unpadded)."""
    pad = (-len(value)) % 4
    return struct.pack("!HH", attr_type, len(value)) + value + b"\x00" * pad


def fingerprint_value(message_without_fingerprint: bytes) -> int:
    """CRC-32 of the message up to (not including) FINGERPRINT, XOR 0x5354554e.

    The header's length field of the input must already count the 8-byte
    FINGERPRINT attribute.
    """
    return (zlib.crc32(message_without_fingerprint) & 0xFFFFFFFF) ^ FINGERPRINT_XOR


def build_message(
    msg_type: int,
    transaction_id: bytes,
    attributes=(),
    *,
    fingerprint: bool = False,
    cookie: int = MAGIC_COOKIE,
    length_override: int | None = None,
) -> bytes:
    """Build a STUN message.

    `attributes` is a sequence of (type, value-bytes) pairs, or of raw `bytes`
    (inserted verbatim, so tests can put broken TLVs in). `length_override`
    writes a chosen (possibly wrong) header length.
    """
    assert len(transaction_id) == 12
    body = b""
    for attr in attributes:
        if isinstance(attr, (bytes, bytearray)):
            body += bytes(attr)
        else:
            attr_type, value = attr
            body += encode_attribute(attr_type, value)
    if fingerprint:
        length = len(body) + 8
        header = struct.pack("!HHI", msg_type, length, cookie) + transaction_id
        crc = fingerprint_value(header + body)
        body += struct.pack("!HHI", ATTR_FINGERPRINT, 4, crc)
    length = len(body) if length_override is None else length_override
    return struct.pack("!HHI", msg_type, length, cookie) + transaction_id + body


def binding_request(
    transaction_id: bytes | None = None,
    *,
    fingerprint: bool = False,
    software: str | None = None,
) -> tuple[bytes, bytes]:
    """Returns (wire bytes, transaction id)."""
    txid = transaction_id if transaction_id is not None else new_transaction_id()
    attrs = []
    if software is not None:
        attrs.append((ATTR_SOFTWARE, software.encode("utf-8")))
    return build_message(BINDING_REQUEST, txid, attrs, fingerprint=fingerprint), txid


@dataclass
class StunMessage:
    msg_type: int
    length: int
    cookie: int
    transaction_id: bytes
    attributes: list = field(default_factory=list)  # list of (type, value bytes)
    raw: bytes = b""

    @property
    def cls(self) -> int:
        return message_class(self.msg_type)

    @property
    def method(self) -> int:
        return message_method(self.msg_type)

    def get(self, attr_type: int) -> bytes | None:
        for t, v in self.attributes:
            if t == attr_type:
                return v
        return None

    def has(self, attr_type: int) -> bool:
        return self.get(attr_type) is not None

    def attribute_types(self) -> list:
        return [t for t, _ in self.attributes]

    def xor_mapped_address(self) -> tuple[str, int]:
        value = self.get(ATTR_XOR_MAPPED_ADDRESS)
        if value is None:
            raise ValueError(f"no XOR-MAPPED-ADDRESS in {self!r}")
        return decode_xor_address(value, self.transaction_id)

    def error_code(self) -> tuple[int, str]:
        value = self.get(ATTR_ERROR_CODE)
        if value is None:
            raise ValueError(f"no ERROR-CODE in {self!r}")
        return decode_error_code(value)

    def software(self) -> str | None:
        value = self.get(ATTR_SOFTWARE)
        return None if value is None else value.decode("utf-8", errors="replace")

    def fingerprint_ok(self) -> bool:
        return verify_fingerprint(self.raw)

    def __repr__(self) -> str:
        attrs = ", ".join(f"0x{t:04x}[{len(v)}]" for t, v in self.attributes)
        return (
            f"StunMessage(type=0x{self.msg_type:04x}, len={self.length}, "
            f"txid={self.transaction_id.hex()}, attrs=[{attrs}])"
        )


def parse(data: bytes) -> StunMessage:
    """Strict parse of one whole STUN message; raises ValueError when malformed."""
    if len(data) < HEADER_LEN:
        raise ValueError(f"short message: {len(data)} bytes")
    msg_type, length, cookie = struct.unpack_from("!HHI", data, 0)
    if msg_type & 0xC000:
        raise ValueError(f"first two bits not zero: 0x{msg_type:04x}")
    if cookie != MAGIC_COOKIE:
        raise ValueError(f"bad magic cookie 0x{cookie:08x}")
    if length % 4:
        raise ValueError(f"length {length} not a multiple of 4")
    if HEADER_LEN + length != len(data):
        raise ValueError(f"header length {length} but {len(data) - HEADER_LEN} body bytes")
    txid = bytes(data[8:20])
    attrs = []
    off = HEADER_LEN
    end = HEADER_LEN + length
    while off < end:
        if off + 4 > end:
            raise ValueError("truncated attribute header")
        attr_type, attr_len = struct.unpack_from("!HH", data, off)
        off += 4
        if off + attr_len > end:
            raise ValueError(f"attribute 0x{attr_type:04x} length {attr_len} runs past the end")
        attrs.append((attr_type, bytes(data[off:off + attr_len])))
        off += attr_len + ((-attr_len) % 4)
    if off != end:
        raise ValueError("padding runs past the end")
    return StunMessage(msg_type, length, cookie, txid, attrs, bytes(data))


def decode_xor_address(value: bytes, transaction_id: bytes) -> tuple[str, int]:
    """Decode XOR-MAPPED-ADDRESS (or XOR-PEER/RELAYED-ADDRESS) to (ip string, port)."""
    if len(value) < 4:
        raise ValueError("XOR address too short")
    family = value[1]
    port = struct.unpack_from("!H", value, 2)[0] ^ (MAGIC_COOKIE >> 16)
    if family == FAMILY_IPV4:
        if len(value) != 8:
            raise ValueError(f"IPv4 XOR address of length {len(value)}")
        raw = struct.unpack_from("!I", value, 4)[0] ^ MAGIC_COOKIE
        return str(ipaddress.IPv4Address(raw)), port
    if family == FAMILY_IPV6:
        if len(value) != 20:
            raise ValueError(f"IPv6 XOR address of length {len(value)}")
        key = struct.pack("!I", MAGIC_COOKIE) + transaction_id
        raw = bytes(a ^ b for a, b in zip(value[4:20], key))
        return str(ipaddress.IPv6Address(raw)), port
    raise ValueError(f"unknown address family 0x{family:02x}")


def decode_mapped_address(value: bytes) -> tuple[str, int]:
    """Decode plain (non-XOR) MAPPED-ADDRESS."""
    family = value[1]
    port = struct.unpack_from("!H", value, 2)[0]
    if family == FAMILY_IPV4 and len(value) == 8:
        return str(ipaddress.IPv4Address(value[4:8])), port
    if family == FAMILY_IPV6 and len(value) == 20:
        return str(ipaddress.IPv6Address(value[4:20])), port
    raise ValueError(f"bad MAPPED-ADDRESS {value.hex()}")


def decode_error_code(value: bytes) -> tuple[int, str]:
    """ERROR-CODE: 2 reserved bytes, class (3 bits), number (0-99), UTF-8 reason."""
    if len(value) < 4:
        raise ValueError("ERROR-CODE too short")
    code = (value[2] & 0x07) * 100 + value[3]
    reason = value[4:].decode("utf-8", errors="replace")
    return code, reason


def verify_fingerprint(raw: bytes) -> bool:
    """True when the message ends with a FINGERPRINT attribute whose CRC is right."""
    if len(raw) < HEADER_LEN + 8:
        return False
    attr_type, attr_len, crc = struct.unpack_from("!HHI", raw, len(raw) - 8)
    if attr_type != ATTR_FINGERPRINT or attr_len != 4:
        return False
    return fingerprint_value(raw[:-8]) == crc


# --- socket helpers -------------------------------------------------------

def udp_socket(host: str, timeout: float = 1.0) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    sock.bind((host, 0))
    return sock


def udp_wait_for(sock: socket.socket, transaction_id: bytes, timeout: float) -> StunMessage | None:
    """Receive until a parseable message with `transaction_id` arrives, or timeout."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            data, _ = sock.recvfrom(65535)
        except (socket.timeout, ConnectionRefusedError):
            # A refused send (ICMP) is reported on a later call; treat as "no answer".
            return None
        try:
            msg = parse(data)
        except ValueError:
            continue
        if msg.transaction_id == transaction_id:
            return msg


def udp_transact(
    sock: socket.socket,
    server: tuple,
    data: bytes,
    transaction_id: bytes,
    *,
    timeout: float = 2.0,
    retries: int = 1,
) -> StunMessage | None:
    """Send `data` and wait for the answer; resend up to `retries` times in all."""
    per_try = timeout / max(1, retries)
    for _ in range(max(1, retries)):
        sock.sendto(data, server)
        msg = udp_wait_for(sock, transaction_id, per_try)
        if msg is not None:
            return msg
    return None


def recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"stream closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def read_stream_message(sock: socket.socket) -> bytes:
    """Read one STUN message from a stream: 20-byte header, then its length."""
    header = recv_exact(sock, HEADER_LEN)
    length = struct.unpack_from("!H", header, 2)[0]
    return header + recv_exact(sock, length)


def tcp_connect(host: str, port: int, timeout: float = 2.0) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.connect((host, port))
    return sock


def tcp_binding(host: str, port: int, *, fingerprint: bool = False, timeout: float = 2.0):
    """One Binding over a fresh TCP connection: returns (response, client (ip, port))."""
    with tcp_connect(host, port, timeout) as sock:
        req, txid = binding_request(fingerprint=fingerprint)
        sock.sendall(req)
        msg = parse(read_stream_message(sock))
        if msg.transaction_id != txid:
            raise AssertionError(f"transaction id mismatch: {msg!r}")
        return msg, sock.getsockname()[:2]
