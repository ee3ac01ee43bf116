"""TURN over TLS: SIGUSR2 (coturn's signal) reloads the certificate without dropping a
connection; a broken certificate file is refused and the old one stays. On 127.0.0.1."""

from __future__ import annotations

import hashlib
import signal
import socket
import ssl
import time

import stun
from conftest import free_port, turngate_only
from test_turn_uclient import self_signed_certificate

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

RELOAD_WITHIN = 5.0


def tls_connect(port: int) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=3)
    return context.wrap_socket(raw)


def certificate_digest(connection: ssl.SSLSocket) -> str:
    return hashlib.sha256(connection.getpeercert(binary_form=True)).hexdigest()


def binding_over(connection: ssl.SSLSocket) -> stun.StunMessage:
    request, _ = stun.binding_request()
    connection.sendall(request)
    header = connection.recv(20)
    length = int.from_bytes(header[2:4], "big")
    body = b""
    while len(body) < length:
        body += connection.recv(length - len(body))
    return stun.parse(header + body)


def served_digest(port: int) -> str:
    with tls_connect(port) as connection:
        return certificate_digest(connection)


def wait_for_digest(port: int, expected: str) -> str:
    deadline = time.monotonic() + RELOAD_WITHIN
    digest = served_digest(port)
    while digest != expected and time.monotonic() < deadline:
        time.sleep(0.1)
        digest = served_digest(port)
    return digest


@turngate_only("TurnGate's own TLS reload")
def test_sigusr2_reloads_the_certificate_and_keeps_connections(turngate, tmp_path):
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir()
    second_dir.mkdir()
    cert, key = self_signed_certificate(first_dir)
    new_cert, new_key = self_signed_certificate(second_dir)
    tls_port = free_port("127.0.0.1")
    server = turngate.start([f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}", "user=alice:secret"],
                            probe="tcp")
    old = tls_connect(tls_port)
    old_digest = certificate_digest(old)
    new_digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(new_cert.read_text())).hexdigest()
    assert old_digest != new_digest

    cert.write_text(new_cert.read_text())
    key.write_text(new_key.read_text())
    server.proc.send_signal(signal.SIGUSR2)
    assert wait_for_digest(tls_port, new_digest) == new_digest, "new connections still get the old certificate"
    # The connection made before the reload is still served.
    assert binding_over(old).cls == stun.CLASS_SUCCESS
    old.close()

    # A broken file is refused: the server keeps serving the certificate it has.
    cert.write_text("not a certificate\n")
    server.proc.send_signal(signal.SIGUSR2)
    time.sleep(0.5)
    assert served_digest(tls_port) == new_digest
    assert server.alive()
