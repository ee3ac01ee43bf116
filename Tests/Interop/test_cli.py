"""The turngate command line: help, version, config errors, port conflicts, overrides, signals."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

import stun
from conftest import free_port

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

RUN_TIMEOUT = 10  # for commands that must exit on their own
EXIT_WITHIN = 5


def run(turngate_bin, *args, timeout=RUN_TIMEOUT):
    try:
        return subprocess.run([str(turngate_bin), *map(str, args)], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"`turngate {' '.join(map(str, args))}` did not exit within {timeout} s; "
                    f"output so far:\n{e.stdout}\n{e.stderr}")


def describe(result) -> str:
    return f"exit {result.returncode}\n--- stdout:\n{result.stdout}\n--- stderr:\n{result.stderr}"


def test_help(turngate_bin):
    result = run(turngate_bin, "--help")
    assert result.returncode == 0, describe(result)
    text = result.stdout + result.stderr
    assert re.search(r"(^|[\s,\[])-c\b", text), f"--help does not mention -c:\n{describe(result)}"


def test_version(turngate_bin):
    result = run(turngate_bin, "--version")
    assert result.returncode == 0, describe(result)
    assert re.search(r"\d+\.\d+", result.stdout + result.stderr), f"no version number:\n{describe(result)}"


def test_bad_value_exits_2_and_names_line(turngate_bin, write_config):
    config = write_config(["listening-port=99999", "listening-ip=127.0.0.1"])
    result = run(turngate_bin, "-c", config, timeout=EXIT_WITHIN + 5)
    assert result.returncode == 2, describe(result)
    assert ("line 1" in result.stderr) or (":1:" in result.stderr), \
        f"stderr does not name line 1:\n{describe(result)}"


def test_bad_value_on_later_line_names_that_line(turngate_bin, write_config):
    port = free_port()
    config = write_config(["# a comment", "listening-ip=127.0.0.1", f"listening-port={port}",
                           "listening-port=-5"])
    result = run(turngate_bin, "-c", config, timeout=EXIT_WITHIN + 5)
    assert result.returncode == 2, describe(result)
    assert ("line 4" in result.stderr) or (":4:" in result.stderr), \
        f"stderr does not name line 4:\n{describe(result)}"


def test_no_auth_is_refused_naming_its_line(turngate_bin, write_config):
    """coturn's anonymous relaying: refused, with the reason, by check-config and at start."""
    config = write_config(["listening-ip=127.0.0.1", f"listening-port={free_port()}", "no-auth"])
    for args in (("check-config", "-c", config), ("-c", config)):
        result = run(turngate_bin, *args, timeout=EXIT_WITHIN + 5)
        assert result.returncode == 2, describe(result)
        assert "line 3: no-auth" in result.stderr and "anonymous relaying is refused" in result.stderr, \
            f"`turngate {' '.join(map(str, args))}` does not explain the refusal on line 3:\n{describe(result)}"


def test_a_coturn_4_17_command_line_starts_with_warnings(turngate):
    """coturn 4.7-4.17's options on the command line, as its test scripts and 4.17's fastest
    mode give them: recognised (supported or \"recognised, not supported\"), never exit 2."""
    server = turngate.start(["static-auth-secret=s"], extra_args=[
        "--sock-buf-size", "1048576", "--dtls", "--udp-recvmmsg", "--udp-gso", "--multiplex-peer",
        "--multiplex-peer-port", "3479", "--cpus", "1", "--unauthorized-ratelimit", "--log-min-level", "info",
        "--stateless-nonce", "--include-reason-string", "--prometheus-path", "/metrics"])
    assert server.alive(), f"a coturn 4.17 command line stopped the node:\n{server.logs()}"
    for option in ("dtls", "udp-gso", "multiplex-peer"):
        assert f"option '{option}' is recognised, not supported" in server.logs(), \
            f"no warning for --{option}:\n{server.logs()}"


def test_missing_config_file_exits_2(turngate_bin, tmp_path):
    result = run(turngate_bin, "-c", tmp_path / "does-not-exist.conf", timeout=EXIT_WITHIN + 5)
    assert result.returncode == 2, describe(result)


def test_unknown_key_warns_but_starts(turngate):
    server = turngate.start(["turngate-no-such-option=1"])
    msg, _ = stun.tcp_binding(server.host, server.port)
    assert msg.msg_type == stun.BINDING_SUCCESS
    assert server.alive()
    assert "turngate-no-such-option" in server.output(), \
        f"no warning naming the unknown key:\n{server.logs()}"


def test_unknown_key_with_strict_config_exits_2(turngate_bin, write_config):
    port = free_port()
    config = write_config(["listening-ip=127.0.0.1", f"listening-port={port}", "turngate-no-such-option=1"])
    result = run(turngate_bin, "-c", config, "--strict-config", timeout=EXIT_WITHIN + 5)
    assert result.returncode == 2, describe(result)
    assert "turngate-no-such-option" in result.stdout + result.stderr, describe(result)


def assert_stops_naming_port(server, port: int, failure: str) -> None:
    """`server` exits 1 (a runtime failure) within EXIT_WITHIN seconds, naming `port`; while
    the blocker still holds the port, so that nothing else can free it meanwhile."""
    rc = server.wait_exit(EXIT_WITHIN)
    if rc is None:
        server.stop(signal.SIGKILL)
        pytest.fail(f"turngate {failure}\n{server.logs()}")
    assert rc == 1, f"expected exit 1 (runtime failure), got {rc}\n{server.logs()}"
    assert str(port) in server.output(), f"the message does not name port {port}\n{server.logs()}"


def metrics_lines() -> list:
    """The metrics endpoint on a free port: a service that runs beside the relay, and must
    stop with it when the relay cannot start."""
    return ["prometheus", f"prometheus-port={free_port()}"]


@pytest.mark.parametrize("metrics", [False, True], ids=["alone", "with-metrics"])
@pytest.mark.parametrize("kind", ["udp", "tcp"])
def test_port_taken_exits_nonzero_naming_port(turngate, kind, metrics):
    port = free_port()
    stype = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, stype) as blocker:
        blocker.bind(("127.0.0.1", port))
        if kind == "tcp":
            blocker.listen(1)
        server = turngate.start(metrics_lines() if metrics else [], port=port, probe=None)
        assert_stops_naming_port(server, port, f"kept running with its {kind.upper()} port taken")


def test_api_port_taken_stops_the_running_relay(turngate):
    # The relay's listeners are up when the gateway fails to bind: the whole node stops,
    # with exit 1, instead of relaying without its API.
    api_port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", api_port))
        blocker.listen(1)
        server = turngate.start(["use-auth-secret", "static-auth-secret=api-port-test-secret",
                                 "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                                 f"jwt-secret=jwt-{'k' * 40}", *metrics_lines()], probe=None)
        assert_stops_naming_port(server, api_port, "kept running with its API port taken")


@pytest.mark.parametrize("option", ["SO_REUSEADDR", "SO_REUSEPORT"])
def test_udp_port_held_like_coturn_holds_it_is_taken(turngate, option):
    """coturn binds its UDP sockets with SO_REUSEADDR and SO_REUSEPORT: a second server that
    set the same option would share the port silently, so turngate must still see it taken."""
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, getattr(socket, option), 1)
        blocker.bind(("127.0.0.1", port))
        server = turngate.start(port=port, probe=None)
        assert_stops_naming_port(server, port, f"shared a UDP port held with {option}")


def test_command_line_port_overrides_file(turngate):
    file_port = free_port()
    cli_port = free_port()
    while cli_port == file_port:
        cli_port = free_port()
    server = turngate.start(port=file_port, extra_args=["--listening-port", str(cli_port)], probe=None)
    server.port = cli_port  # the one it should listen on
    server.wait_ready("udp")
    msg, _ = stun.tcp_binding("127.0.0.1", cli_port)
    assert msg.msg_type == stun.BINDING_SUCCESS
    # Nothing on the port from the file.
    req, txid = stun.binding_request()
    with stun.udp_socket("127.0.0.1") as sock:
        sock.sendto(req, ("127.0.0.1", file_port))
        assert stun.udp_wait_for(sock, txid, 0.3) is None, "the config file's port answered too"
    with pytest.raises(OSError):
        stun.tcp_connect("127.0.0.1", file_port, timeout=1.0).close()


def test_command_line_flag_without_value(turngate):
    server = turngate.start(extra_args=["--software-name", "FromCLI", "--fingerprint"])
    req, txid = stun.binding_request()
    with stun.udp_socket(server.host) as sock:
        msg = stun.udp_transact(sock, server.address, req, txid, timeout=2.0, retries=2)
    assert msg is not None and msg.msg_type == stun.BINDING_SUCCESS
    assert msg.software() == "FromCLI"
    assert msg.fingerprint_ok()


def test_sigterm_stops_cleanly(turngate):
    server = turngate.start()
    rc = server.stop(signal.SIGTERM, EXIT_WITHIN)
    assert rc == 0, f"exit {rc} after SIGTERM\n{server.logs()}"


def test_sigint_stops_cleanly(turngate):
    server = turngate.start()
    rc = server.stop(signal.SIGINT, EXIT_WITHIN)
    assert rc == 0, f"exit {rc} after SIGINT\n{server.logs()}"
    # The port is released.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", server.port))


def test_sock_buf_size_capped_by_the_kernel_is_reported(turngate):
    # The kernel caps SO_RCVBUF at net.core.rmem_max instead of refusing it: asked for twice
    # that, the node starts and says the buffer was capped; asked for what fits, it says nothing.
    rmem_max = int(Path("/proc/sys/net/core/rmem_max").read_text())
    if 2 * rmem_max > 1 << 28:
        pytest.skip(f"net.core.rmem_max ({rmem_max}) is above half of sock-buf-size's largest value")
    capped = turngate.start([f"sock-buf-size={2 * rmem_max}"])
    assert "sock-buf-size: the kernel capped" in capped.output(), \
        f"no warning for a sock-buf-size above net.core.rmem_max ({rmem_max}):\n{capped.logs()}"
    fitting = turngate.start([f"sock-buf-size={min(rmem_max, 1 << 20)}"])
    assert "sock-buf-size: the kernel capped" not in fitting.output(), fitting.logs()
