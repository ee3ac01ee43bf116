"""Configs modelled on real coturn deployments a migrating operator brings along: each passes
`turngate check-config`, then starts for real and relays a REST credential's allocation. Paths
become the test's own folders, addresses 127.0.0.1, ports free ones; nothing else is changed."""

from __future__ import annotations

import subprocess

import pytest

import stun
import turnclient as tc
from conftest import free_port, turngate_only
from test_turn_uclient import self_signed_certificate, wait_for_tls

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

SECRET = "layout-shared-secret"


def layouts(tmp_path, port: int, tls_port: int) -> dict:
    cert, key = self_signed_certificate(tmp_path)
    return {
        # matrix-docker-ansible-deploy's coturn (its userdb path, the Synapse docs' quota line).
        "matrix": [
            f"listening-port={port}", "use-auth-secret", f"static-auth-secret={SECRET}", "realm=turn.matrix.test",
            f"userdb={tmp_path / 'var-tmp' / 'turnserver.db'}", "no-tcp-relay", "min-port=49152", "max-port=49300",
            "user-quota=12 # 4 streams per video call, so 12 streams = 3 simultaneous relayed calls per user.",
            "total-quota=1200", "denied-peer-ip=10.0.0.0-10.255.255.255", "denied-peer-ip=192.168.0.0-192.168.255.255",
            "external-ip=203.0.113.5", "external-ip=2001:db8::5", "allow-loopback-peers", "no-cli",
        ],
        # Nextcloud AIO (coturn's Debian default userdb path).
        "nextcloud": [
            f"listening-port={port}", "fingerprint", "use-auth-secret", f"static-auth-secret={SECRET}",
            "realm=nextcloud.test", f"userdb={tmp_path / 'var-lib-turn' / 'turndb'}", "total-quota=0",
            "bps-capacity=0", "stale-nonce=600", "no-multicast-peers", "no-tlsv1", "no-tlsv1_1", "allow-loopback-peers",
        ],
        # Jitsi's production layout and NixOS's module: TLS only, dual-stack external-ip.
        "jitsi": [
            f"listening-port={port}", "no-udp", "no-tcp", f"tls-listening-port={tls_port}", f"cert={cert}", f"pkey={key}",
            "use-auth-secret", f"static-auth-secret={SECRET}", "realm=jitsi.test",
            "external-ip=203.0.113.6", "external-ip=2001:db8::6", "no-tcp-relay", "allow-loopback-peers",
        ],
    }


@turngate_only("coturn deployment layouts run by TurnGate")
@pytest.mark.parametrize("name", ["matrix", "nextcloud", "jitsi"])
def test_layout_checks_starts_and_relays(name, turngate, turngate_bin, tmp_path, echo_peer):
    for folder in ("var-tmp", "var-lib-turn"):
        (tmp_path / folder).mkdir()
    port, tls_port = free_port(), free_port()
    lines = ["listening-ip=127.0.0.1", "relay-ip=127.0.0.1", *layouts(tmp_path, port, tls_port)[name]]
    config = tmp_path / f"{name}.conf"
    config.write_text("\n".join(lines) + "\n")
    check = subprocess.run([str(turngate_bin), "check-config", "-c", str(config)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"check-config on the {name} layout: exit {check.returncode}\n{check.stdout}\n{check.stderr}"
    if name == "jitsi":
        server = turngate.start(lines, host="127.0.0.1", port=port, base_config=False, probe=None)
        wait_for_tls("127.0.0.1", tls_port)
        assert server.alive(), f"the {name} layout stopped:\n{server.logs()}"
        assert not server.probe_udp(timeout=0.5), f"the {name} layout (no-udp) answered on UDP"
        return
    server = turngate.start(lines, host="127.0.0.1", port=port, base_config=False)
    with tc.TurnClient(server.address, *tc.rest_credentials(SECRET, "migrating-user")) as client:
        client.allocate()
        msg = client.channel_bind(0x4000, echo_peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, f"{name}: ChannelBind: {tc.describe(msg)}"
        client.send_channel_data(0x4000, b"through " + name.encode())
        got = client.recv_data(timeout=2)
        assert got is not None and got[1] == b"through " + name.encode(), f"{name}: the echo came back as {got!r}"
    if name == "matrix":
        assert "the remark '# 4 streams per video call" in server.logs(), f"no warning about the quota remark:\n{server.logs()}"
