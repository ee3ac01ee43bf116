"""Certificates renewed on disk are served without a signal (`cert-reload-interval`).

The server polls the `cert` and `pkey` files (mtime and inode, following symlinks) every
`cert-reload-interval` seconds (default 5; 0 turns the poll off):
1. files replaced (new files renamed over the old paths): within 5 s a new TLS connection
   gets the new certificate, and a connection opened before still answers a Binding;
2. a Kubernetes secret volume: `tls.crt` -> `..data/tls.crt`, `..data` -> a timestamped
   directory, renewed by swapping the `..data` symlink atomically to a new directory;
3. `cert-reload-interval=0`: replaced files change nothing for 3 s (SIGUSR2 then loads them).

On 127.0.0.1; every wait is bounded (RELOAD_WITHIN of test_tls_reload, socket timeouts).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import ssl
import time

import pytest

import stun
from conftest import free_port, server_kind
from test_tls_reload import binding_over, certificate_digest, served_digest, tls_connect, wait_for_digest
from test_turn_uclient import self_signed_certificate

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate", reason="cert-reload-interval is TurnGate's own")


def pem_digest(path) -> str:
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(path.read_text())).hexdigest()


def new_pair(directory, crt: str = "cert.pem", key: str = "key.pem") -> tuple:
    """A fresh self-signed certificate and key in `directory` (created), named `crt` and `key`."""
    directory.mkdir(parents=True)
    cert_path, key_path = self_signed_certificate(directory)
    if (cert_path.name, key_path.name) != (crt, key):
        cert_path, key_path = cert_path.rename(directory / crt), key_path.rename(directory / key)
    return cert_path, key_path


def start_tls(turngate, cert, key, interval: int | None):
    tls_port = free_port("127.0.0.1")
    lines = [f"cert={cert}", f"pkey={key}", f"tls-listening-port={tls_port}", "user=alice:secret"]
    if interval is not None:
        lines.append(f"cert-reload-interval={interval}")
    server = turngate.start(lines, probe="tcp")
    server.tls_port = tls_port
    return server


def replace_pair(tmp_path, cert, key) -> str:
    """Writes a new pair beside the old one and renames it over the old paths (key first);
    returns the new certificate's digest."""
    new_cert, new_key = new_pair(tmp_path / f"renewed-{time.monotonic_ns()}")
    digest = pem_digest(new_cert)
    os.replace(new_key, key)
    os.replace(new_cert, cert)
    return digest


def test_replaced_files_are_served_and_open_connections_stay(turngate, tmp_path):
    cert, key = new_pair(tmp_path / "live")
    server = start_tls(turngate, cert, key, interval=1)
    old = tls_connect(server.tls_port)
    try:
        old_digest = certificate_digest(old)
        assert old_digest == pem_digest(cert)
        new_digest = replace_pair(tmp_path, cert, key)
        assert new_digest != old_digest
        served = wait_for_digest(server.tls_port, new_digest)
        assert served == new_digest, \
            f"new TLS connections still get the old certificate 5 s after the files were replaced\n{server.logs()}"
        msg = binding_over(old)
        assert msg.cls == stun.CLASS_SUCCESS, f"Binding on the connection opened before the reload: {msg!r}"
    finally:
        old.close()
    assert server.alive()


def test_kubernetes_symlink_swap_is_served(turngate, tmp_path):
    volume = tmp_path / "secret-volume"
    first = "..2025_01_01_00_00_00.000000001"
    new_pair(volume / first, "tls.crt", "tls.key")
    (volume / "..data").symlink_to(first)
    for name in ("tls.crt", "tls.key"):
        (volume / name).symlink_to(f"..data/{name}")
    server = start_tls(turngate, volume / "tls.crt", volume / "tls.key", interval=1)
    assert served_digest(server.tls_port) == pem_digest(volume / "tls.crt")

    second = "..2025_01_01_01_00_00.000000002"
    new_cert, _ = new_pair(volume / second, "tls.crt", "tls.key")
    new_digest = pem_digest(new_cert)
    swap = volume / "..data_tmp"
    swap.symlink_to(second)
    os.replace(swap, volume / "..data")      # rename(2): the kubelet's atomic swap
    shutil.rmtree(volume / first)            # as the kubelet removes the old directory
    assert pem_digest(volume / "tls.crt") == new_digest
    served = wait_for_digest(server.tls_port, new_digest)
    assert served == new_digest, \
        f"new TLS connections still get the old certificate 5 s after the ..data swap\n{server.logs()}"
    assert server.alive()


def test_interval_zero_turns_the_poll_off(turngate, tmp_path):
    cert, key = new_pair(tmp_path / "live")
    old_digest = pem_digest(cert)
    server = start_tls(turngate, cert, key, interval=0)
    new_digest = replace_pair(tmp_path, cert, key)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        served = served_digest(server.tls_port)
        assert served == old_digest, \
            f"cert-reload-interval=0 but the replaced certificate was loaded without a signal\n{server.logs()}"
        time.sleep(0.5)
    # The files were fine: a signal loads them.
    server.proc.send_signal(signal.SIGUSR2)
    assert wait_for_digest(server.tls_port, new_digest) == new_digest, \
        f"SIGUSR2 did not load the replaced certificate\n{server.logs()}"
