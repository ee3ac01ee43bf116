"""The operator's subcommands: `turngate check-config`, `turngate credentials` (a REST
credential minted offline that the relay accepts) and `turngate sessions` (live allocations
through the admin API). All on 127.0.0.1; every command is bounded in time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import subprocess

import stun
import turnclient as tc
from conftest import free_port, turngate_only

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

RUN_TIMEOUT = 20


def run(turngate_bin, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(turngate_bin), *map(str, args)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT)


def test_check_config_accepts_a_good_file(turngate_bin, write_config):
    config = write_config(["listening-ip=127.0.0.1", "static-auth-secret=s", "realm=example.org"])
    result = run(turngate_bin, "check-config", "-c", config)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_check_config_names_the_bad_line_and_exits_2(turngate_bin, write_config):
    config = write_config(["listening-ip=127.0.0.1", "static-auth-secret=s", "listening-port=notaport"])
    result = run(turngate_bin, "check-config", "-c", config)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "line 3" in result.stderr, result.stderr


def test_check_config_strict_turns_warnings_into_errors(turngate_bin, write_config):
    config = write_config(["listening-ip=127.0.0.1", "static-auth-secret=s", "server-name=x"])
    assert run(turngate_bin, "check-config", "-c", config).returncode == 0
    assert run(turngate_bin, "check-config", "-c", config, "--strict").returncode == 2


def test_check_config_reports_an_unreadable_key_file(turngate_bin, write_config, tmp_path):
    config = write_config(["listening-ip=127.0.0.1", "static-auth-secret=s", "api-listening-port=18080",
                           f"jwt-public-key-file={tmp_path / 'missing.pem'}"])
    result = run(turngate_bin, "check-config", "-c", config)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "missing.pem" in result.stderr


def test_credentials_mints_what_the_relay_accepts(turngate, turngate_bin, write_config, tmp_path, echo_peer):
    secret = secrets.token_hex(20)
    server = turngate.start(["relay-ip=127.0.0.1", "allow-loopback-peers", "realm=example.org",
                             f"static-auth-secret={secret}"])
    config = write_config([f"static-auth-secret={secret}", "realm=example.org"])
    result = run(turngate_bin, "credentials", "-c", config, "--user", "alice", "--ttl", "600", "--json")
    assert result.returncode == 0, result.stderr
    credential = json.loads(result.stdout)
    assert credential["username"].endswith(":alice") and credential["ttl"] == 600
    assert secret not in result.stdout + result.stderr
    with tc.TurnClient(server.address, credential["username"], credential["password"]) as client:
        client.allocate()
        assert client.channel_bind(0x4000, echo_peer.address).cls == stun.CLASS_SUCCESS
        client.send_channel_data(0x4000, b"minted offline")
        assert client.recv_data(3) == (echo_peer.address, b"minted offline")


def test_credentials_reads_the_secret_from_a_file(turngate_bin, tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("file-secret\n")
    result = run(turngate_bin, "credentials", "--secret-file", secret_file, "--user", "bob", "--room", "r1",
                 "--bandwidth-kbps", "100")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.strip().splitlines())
    username, password = lines["username"], lines["password"].strip()
    assert username.endswith(":bob;r=r1;bw=100"), username
    expected = base64.b64encode(hmac.new(b"file-secret", username.encode(), hashlib.sha1).digest()).decode()
    assert password == expected


@turngate_only("TurnGate's admin API")
def test_sessions_lists_live_allocations(turngate, turngate_bin, write_config, tmp_path):
    secret = secrets.token_hex(20)
    token_file = tmp_path / "admin-token"
    token_file.write_text(secrets.token_hex(24) + "\n")
    api_port = free_port("127.0.0.1")
    lines = ["relay-ip=127.0.0.1", "realm=example.org", f"static-auth-secret={secret}",
             "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={secrets.token_hex(24)}",
             f"admin-token-file={token_file}"]
    server = turngate.start(lines)
    username, password = tc.rest_credentials(secret, "carol", ttl=600)
    with tc.TurnClient(server.address, username, password) as client:
        client.allocate()
        result = run(turngate_bin, "sessions", "--url", f"http://127.0.0.1:{api_port}", "--token-file", token_file)
        assert result.returncode == 0, result.stderr
        assert "carol" in result.stdout and "1 allocation(s)" in result.stdout, result.stdout
        filtered = run(turngate_bin, "sessions", "--url", f"http://127.0.0.1:{api_port}", "--token-file", token_file,
                       "--user", "dave", "--json")
        assert json.loads(filtered.stdout)["allocations"] == []
    wrong = tmp_path / "wrong-token"
    wrong.write_text("x" * 40)
    refused = run(turngate_bin, "sessions", "--url", f"http://127.0.0.1:{api_port}", "--token-file", wrong)
    assert refused.returncode == 1 and "401" in refused.stderr
