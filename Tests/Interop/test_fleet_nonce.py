"""Configuration a fleet of nodes shares: one nonce key, values from the environment.

1. `nonce-secret-file`: two nodes reading the same key file accept each other's nonces (an
   Allocate to node B with the NONCE and REALM of node A's 401 succeeds); with different
   key files that nonce gets 438. The key is 64 hex digits or base64, whitespace around it
   ignored. SIGHUP reads the file again: a nonce of the previous key stays valid on that
   node, a node that only knows the new key refuses it with 438 and accepts the nonces the
   reloaded node issues. A key shorter than 32 bytes, or a missing file, is a configuration
   error (exit 2, naming the line and `nonce-secret-file`).
   Nonces are bound to the client's transport address, so each test talks to every node
   from one UDP socket (`aim` points it at another node; the local port stays).
2. `${NAME}` in a config value is the variable from the server's environment (the 401's
   REALM shows it); an unset variable is an error naming the line and the variable;
   `$${` is a literal `${`.
3. `external-ip=auto` with a loopback relay address refuses to start, naming `external-ip`.

All traffic is on 127.0.0.1; every wait is bounded (socket timeouts, a run timeout).
"""

from __future__ import annotations

import base64
import itertools
import os
import random
import re
import secrets
import signal
import subprocess

import pytest

import stun
import turnclient as tc
from conftest import REPO_ROOT, free_port, server_kind
from test_operations import signal_and_wait

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="nonce-secret-file, ${NAME} and external-ip=auto are TurnGate's own")

REALM = "fleet.test"
USER = "fleet-user"
PASSWORD = "fleet-" + secrets.token_hex(12)
RUN_TIMEOUT = 10
RELAY_SPAN = 100
_relay_ranges = itertools.count(random.randrange(120))


def relay_lines() -> list:
    """Static-user auth and a relay port range no other node of this module uses."""
    low = 20000 + (next(_relay_ranges) % 120) * RELAY_SPAN
    return [f"realm={REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}", "relay-ip=127.0.0.1",
            f"min-port={low}", f"max-port={low + RELAY_SPAN - 1}"]


def write_key(path, key: bytes, form: str = "hex"):
    """The key as 64+ hex digits or base64, with whitespace around it (as an editor leaves it)."""
    text = key.hex() if form == "hex" else base64.b64encode(key).decode()
    path.write_text(f"\n  {text}  \n\n")
    return path


def start_node(turngate, key_file):
    return turngate.start([*relay_lines(), f"nonce-secret-file={key_file}"])


def aim(client: tc.TurnClient, server) -> tc.TurnClient:
    """Points the client's UDP socket at `server`; its local address does not change."""
    before = client.local_address
    client.sock.connect(server.address)
    client.server = server.address
    assert client.local_address == before, f"the client socket moved: {before} -> {client.local_address}"
    return client


def challenge(client: tc.TurnClient, server) -> bytes:
    """An unauthenticated Allocate to `server`: a 401 with REALM and NONCE; returns the nonce."""
    msg = aim(client, server).ensure_challenge()
    assert tc.error_code(msg) == 401, f"unauthenticated Allocate to {server.name}: {tc.describe(msg)}"
    nonce, realm = msg.get(stun.ATTR_NONCE), msg.get(stun.ATTR_REALM)
    assert nonce and realm == REALM.encode(), \
        f"the 401 of {server.name} lacks NONCE or REALM {REALM!r}: nonce={nonce!r} realm={realm!r}"
    return nonce


def allocate_with(client: tc.TurnClient, server, nonce: bytes) -> stun.StunMessage:
    """An authenticated Allocate to `server` carrying `nonce` (no retry on 438)."""
    aim(client, server)
    client.nonce = nonce
    return client.allocate(check=False)


def release(client: tc.TurnClient, what: str) -> None:
    msg = client.refresh(0)
    assert msg.cls == stun.CLASS_SUCCESS, f"Refresh LIFETIME 0 ({what}): {tc.describe(msg)}"


def new_client(server) -> tc.TurnClient:
    return tc.TurnClient(server.address, USER, PASSWORD, retry_stale=False)


# --- 1. nonce-secret-file --------------------------------------------------------------

def test_nodes_sharing_a_key_file_accept_each_others_nonces(turngate, tmp_path):
    key_file = write_key(tmp_path / "nonce.key", secrets.token_bytes(32))
    node_a, node_b = start_node(turngate, key_file), start_node(turngate, key_file)
    with new_client(node_a) as client:
        nonce = challenge(client, node_a)
        msg = allocate_with(client, node_b, nonce)
        assert msg.cls == stun.CLASS_SUCCESS, \
            f"Allocate to node B with node A's nonce (one key file): {tc.describe(msg)}"
        release(client, "node B")


def test_nodes_with_different_keys_answer_438(turngate, tmp_path):
    node_a = start_node(turngate, write_key(tmp_path / "a.key", secrets.token_bytes(32)))
    node_b = start_node(turngate, write_key(tmp_path / "b.key", secrets.token_bytes(32), "base64"))
    with new_client(node_a) as client:
        nonce = challenge(client, node_a)
        msg = allocate_with(client, node_b, nonce)
        assert tc.error_code(msg) == 438, \
            f"Allocate to node B with a nonce of node A's different key: expected 438, got {tc.describe(msg)}"
        own = msg.get(stun.ATTR_NONCE)
        assert own and own != nonce, f"the 438 must carry node B's own NONCE: {tc.describe(msg)}"
        # The credentials were right: node B's own nonce allocates.
        msg = allocate_with(client, node_b, own)
        assert msg.cls == stun.CLASS_SUCCESS, f"Allocate to node B with its own nonce: {tc.describe(msg)}"
        release(client, "node B")


def test_sighup_rotates_the_key_and_keeps_the_previous_one(turngate, tmp_path):
    key_file = write_key(tmp_path / "nonce.key", secrets.token_bytes(32))
    node_a = start_node(turngate, key_file)
    with new_client(node_a) as client:
        old_nonce = challenge(client, node_a)

        new_key = secrets.token_bytes(48)
        write_key(key_file, new_key, "base64")
        signal_and_wait(node_a, signal.SIGHUP, "configuration reloaded")
        msg = allocate_with(client, node_a, old_nonce)
        assert msg.cls == stun.CLASS_SUCCESS, \
            f"a nonce of the previous key after SIGHUP (within stale-nonce): {tc.describe(msg)}"
        release(client, "node A, previous key")

        node_b = start_node(turngate, write_key(tmp_path / "new-only.key", new_key, "base64"))
        msg = allocate_with(client, node_b, old_nonce)
        assert tc.error_code(msg) == 438, \
            f"node B (new key only) with the nonce of the old key: expected 438, got {tc.describe(msg)}"

        new_nonce = challenge(client, node_a)
        assert new_nonce != old_nonce
        msg = allocate_with(client, node_b, new_nonce)
        assert msg.cls == stun.CLASS_SUCCESS, \
            f"node B with a nonce node A issued after the reload (new key): {tc.describe(msg)}"
        release(client, "node B")
    assert node_a.alive() and node_b.alive()


# --- config errors: run the binary, which must exit on its own ---------------------------

def run_config(turngate_bin, tmp_path, lines, env=None) -> tuple:
    """Runs turngate on a config of `lines` (after listening-ip and listening-port, so the
    first of `lines` is line 3); returns (exit status, stdout + stderr)."""
    path = tmp_path / "fleet-error.conf"
    path.write_text("".join(f"{line}\n" for line in
                            ["listening-ip=127.0.0.1", f"listening-port={free_port()}", *lines]))
    try:
        result = subprocess.run([str(turngate_bin), "-c", str(path)], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"turngate with {lines} did not exit within {RUN_TIMEOUT} s; output:\n"
                    f"{e.stdout}\n{e.stderr}")
    return result.returncode, result.stdout + result.stderr


def assert_config_error(rc: int, output: str, line: int | None, *words: str) -> list:
    """Exit 2 and an error line naming `line` (unless None) and every one of `words`;
    returns those lines."""
    assert rc == 2, f"expected exit 2 (invalid configuration), got {rc}:\n{output}"
    found = [text for text in output.splitlines()
             if (line is None or re.search(rf"\bline {line}\b|:{line}:", text))
             and all(word in text for word in words)]
    where = f"line {line} and " if line is not None else ""
    assert found, f"no diagnostic naming {where}{', '.join(words)}:\n{output}"
    return found


@pytest.mark.parametrize("problem", ["8-byte key", "missing file"])
def test_a_short_or_missing_key_file_is_a_config_error(turngate_bin, tmp_path, problem):
    key_file = tmp_path / "nonce.key"
    if problem == "8-byte key":
        write_key(key_file, secrets.token_bytes(8))
    lines = [*relay_lines(), f"nonce-secret-file={key_file}"]
    rc, output = run_config(turngate_bin, tmp_path, lines)
    assert_config_error(rc, output, 2 + len(lines), "nonce-secret-file")


# --- 2. ${NAME} references ---------------------------------------------------------------

def documented_escape() -> str | None:
    """'$${' when the docs name that escape, 'other' when they document ${NAME} without it,
    None while they say nothing of ${NAME}."""
    text = ""
    for name in ("README.md", "turnserver.conf.example"):
        try:
            text += (REPO_ROOT / name).read_text()
        except OSError:
            pass
    if "$${" in text:
        return "$${"
    return "other" if re.search(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}", text) else None


def test_environment_reference_in_the_realm(turngate, monkeypatch):
    realm = f"env-{secrets.token_hex(4)}.fleet.test"
    monkeypatch.setenv("TURNGATE_FLEET_REALM", realm)   # the server inherits the environment
    server = turngate.start(["realm=${TURNGATE_FLEET_REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}"])
    with tc.TurnClient(server.address, USER, PASSWORD) as client:
        msg = client.ensure_challenge()
    assert tc.error_code(msg) == 401, f"unauthenticated Allocate: {tc.describe(msg)}"
    assert msg.get(stun.ATTR_REALM) == realm.encode(), \
        f"REALM of the 401 is {msg.get(stun.ATTR_REALM)!r}, expected ${{TURNGATE_FLEET_REALM}} = {realm!r}"


def test_escaped_reference_is_literal(turngate, monkeypatch):
    if documented_escape() == "other":
        pytest.skip("the docs describe ${NAME} references with an escape other than $${")
    monkeypatch.setenv("TURNGATE_FLEET_REALM", "expanded")
    server = turngate.start(["realm=lit-$${TURNGATE_FLEET_REALM}", "lt-cred-mech", f"user={USER}:{PASSWORD}"])
    with tc.TurnClient(server.address, USER, PASSWORD) as client:
        msg = client.ensure_challenge()
    assert tc.error_code(msg) == 401, f"unauthenticated Allocate: {tc.describe(msg)}"
    assert msg.get(stun.ATTR_REALM) == b"lit-${TURNGATE_FLEET_REALM}", \
        f"realm=lit-$${{TURNGATE_FLEET_REALM}} gave REALM {msg.get(stun.ATTR_REALM)!r}"


def test_unset_environment_variable_is_a_config_error(turngate_bin, tmp_path):
    name = f"TURNGATE_FLEET_UNSET_{secrets.token_hex(4).upper()}"
    env = {key: value for key, value in os.environ.items() if key != name}
    rc, output = run_config(turngate_bin, tmp_path, ["lt-cred-mech", f"realm=${{{name}}}"], env=env)
    assert_config_error(rc, output, 4, name)


# --- 3. external-ip=auto -------------------------------------------------------------------

def test_external_ip_auto_refuses_a_loopback_relay_address(turngate_bin, tmp_path):
    rc, output = run_config(turngate_bin, tmp_path, ["relay-ip=127.0.0.1", "external-ip=auto"])
    found = assert_config_error(rc, output, None, "external-ip")
    # The refusal is about the relay address, not `auto` being an unknown value.
    assert any(re.search(r"127\.0\.0\.1|private|loopback|not public", text) for text in found), \
        f"the external-ip diagnostic does not say that the relay address is not public:\n{output}"
