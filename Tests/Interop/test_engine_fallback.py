"""The UDP engine under a container's seccomp profile: Docker's and containerd's default
profiles deny io_uring, and `relay-engine = auto` must then relay on epoll by itself, say so
at start, and count it in `turn_relay_engines`; `relay-engine = io-uring` asked for
explicitly refuses to start with a message that names io_uring.

The profile is applied for real: `seccomp_exec.py` installs a filter that makes
io_uring_setup, io_uring_enter and io_uring_register fail with EPERM, then execs turngate.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

import attack
from conftest import TurnGate, TurnGateFactory, free_port, turngate_only
from test_turn_uclient import CLIENTS, MESSAGES, assert_all_echoed, run_uclient

pytestmark = [
    turngate_only("TurnGate's UDP engine"),
    pytest.mark.skipif(platform.system() != "Linux" or platform.machine() not in ("x86_64", "aarch64"),
                       reason="the seccomp filter knows the io_uring system call numbers of x86-64 and arm64"),
]

SECCOMP_EXEC = Path(__file__).with_name("seccomp_exec.py")
USER, PASSWORD = "alice", "alice-password"
EXIT_TIMEOUT = 15


class SeccompTurnGate(TurnGate):
    """turngate started under a seccomp filter that denies io_uring."""

    @property
    def argv(self) -> list:
        return [sys.executable, str(SECCOMP_EXEC), "--", *super().argv]


@pytest.fixture
def confined(turngate_bin, tmp_path, request):
    factory = TurnGateFactory(turngate_bin, tmp_path, request.node, server_class=SeccompTurnGate,
                              name_prefix="confined")
    yield factory
    factory.teardown()


def lines(engine: str, metrics_port: int) -> tuple:
    """The configuration of a relay for uclient with the engine named and metrics on
    `metrics_port`, and its listening port."""
    port = free_port()
    return ["listening-ip=127.0.0.1", f"listening-port={port}", "log-level=info", f"relay-engine={engine}",
            "relay-ip=127.0.0.1", "realm=fallback.test", "lt-cred-mech", f"user={USER}:{PASSWORD}",
            "allow-loopback-peers", "prometheus", "prometheus-address=127.0.0.1",
            f"prometheus-port={metrics_port}"], port


def start(factory, engine: str):
    metrics_port = free_port()
    config, port = lines(engine, metrics_port)
    server = factory.start(config, port=port, base_config=False)
    server.metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    return server


def engines_in_use(server) -> dict:
    assert attack.wait_until(lambda: attack.http_get(server.metrics_url)[0] == 200, 5), server.logs()
    samples = attack.scrape_metrics(server.metrics_url)
    return {backend: attack.metric_sum(samples, "turn_relay_engines", f'backend="{backend}"')
            for backend in ("io-uring", "epoll")}


def test_auto_relays_on_epoll_when_seccomp_denies_io_uring(confined, turnutils_peer):
    server = start(confined, "auto")
    output = server.output()
    assert "udp engines started" in output and "epoll" in output, \
        f"no start-up line naming the epoll engine:\n{server.logs()}"
    assert "io_uring" in output, f"the start-up line does not say why io_uring is not used:\n{server.logs()}"
    used = engines_in_use(server)
    assert used["epoll"] >= 1 and used["io-uring"] == 0, f"turn_relay_engines: {used}\n{server.logs()}"
    rc, log, cmd = run_uclient(server, turnutils_peer, "-c")
    assert_all_echoed(rc, log, cmd, MESSAGES * CLIENTS)
    attack.assert_alive_and_serving(server, tcp=False)


def test_auto_takes_io_uring_without_the_filter(turngate):
    # The control: the same configuration outside the filter runs io_uring, so the test above
    # shows the fallback and not a machine without io_uring.
    server = start(turngate, "auto")
    used = engines_in_use(server)
    assert used["io-uring"] >= 1 and used["epoll"] == 0, f"turn_relay_engines: {used}\n{server.logs()}"


def test_io_uring_asked_for_refuses_to_start_under_the_filter(confined):
    metrics_port = free_port()
    config, port = lines("io-uring", metrics_port)
    server = confined.start(config, port=port, base_config=False, probe=None)
    code = server.wait_exit(EXIT_TIMEOUT)
    assert code not in (None, 0), f"turngate ran with relay-engine=io-uring and io_uring denied (exit {code})\n{server.logs()}"
    assert "io_uring" in server.output() or "io-uring" in server.output(), \
        f"the error does not name io_uring:\n{server.logs()}"
