"""coturn's default user database is SQLite (`userdb=/var/lib/turn/turndb`, written by
`turnadmin -b`): TurnGate reads its users and shared secrets, creates a missing file with
coturn's schema as coturn does, picks up what `turnadmin` adds while it runs, and still reads a
text file of `user` lines (its earlier format) with a deprecation warning. The clients are
coturn's own turnadmin and turnutils_uclient and the suite's Python TURN client, on 127.0.0.1."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time

import pytest

import stun
import turnclient as tc
from conftest import turngate_only
from test_turn_uclient import CLIENTS, MESSAGES, assert_all_echoed, run_uclient

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

REALM = "sqlite.test"
SECRET = "sqlite-shared-secret"
REFRESH_WAIT = 15.0


def turnadmin(*args, database) -> None:
    tool = shutil.which("turnadmin")
    if not tool:
        pytest.fail("turnadmin not found: install Debian's coturn", pytrace=False)
    proc = subprocess.run([tool, *args, "-b", str(database)], stdin=subprocess.DEVNULL, capture_output=True, timeout=15)
    assert proc.returncode == 0, f"turnadmin {' '.join(args)} exited {proc.returncode}: {proc.stdout!r} {proc.stderr!r}"


def start(turn_server, database, *extra):
    return turn_server.start(realm=REALM, options=[f"userdb={database}", "lt-cred-mech", "use-auth-secret", *extra])


def allocate_code(server, username: str, password: str):
    """None when an Allocate succeeds (it is then deleted), else the error code."""
    with tc.TurnClient(server.address, username, password) as client:
        msg = client.allocate(check=False)
        return None if msg.cls == stun.CLASS_SUCCESS else tc.error_code(msg)


def code_within(server, username: str, password: str, want, timeout: float = REFRESH_WAIT):
    """Allocates every half second until the answer is `want` (None: success) or `timeout` passes;
    returns the last answer."""
    deadline = time.monotonic() + timeout
    code = allocate_code(server, username, password)
    while code != want and time.monotonic() < deadline:
        time.sleep(0.5)
        code = allocate_code(server, username, password)
    return code


@turngate_only("TurnGate reading coturn's SQLite userdb")
def test_turnadmin_user_and_secret_relay_with_uclient(turn_server, turnutils_peer, tmp_path):
    database = tmp_path / "turndb"
    turnadmin("-a", "-u", "alice", "-r", REALM, "-p", "alice-pass", database=database)
    turnadmin("-s", SECRET, "-r", REALM, database=database)
    server = start(turn_server, database)
    rc, output, cmd = run_uclient(server, turnutils_peer, "-c", credentials=("-u", "alice", "-w", "alice-pass"))
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)
    rc, output, cmd = run_uclient(server, turnutils_peer, "-c", credentials=("-u", "bob", "-W", SECRET))
    assert_all_echoed(rc, output, cmd, MESSAGES * CLIENTS)
    assert allocate_code(server, "alice", "wrong") == 401, "alice with a wrong password was not refused"


@turngate_only("TurnGate reading coturn's SQLite userdb")
def test_a_user_added_while_running_authenticates_within_the_refresh(turn_server, tmp_path):
    database = tmp_path / "turndb"
    turnadmin("-a", "-u", "alice", "-r", REALM, "-p", "alice-pass", database=database)
    server = start(turn_server, database)
    assert allocate_code(server, "carol", "carol-pass") == 401, "carol before turnadmin added her"
    turnadmin("-a", "-u", "carol", "-r", REALM, "-p", "carol-pass", database=database)
    code = code_within(server, "carol", "carol-pass", None)
    assert code is None, f"carol, added by turnadmin, still refused ({code}) {REFRESH_WAIT} s later:\n{server.logs()}"
    turnadmin("-d", "-u", "carol", "-r", REALM, database=database)
    code = code_within(server, "carol", "carol-pass", 401)
    assert code == 401, f"carol, deleted by turnadmin, still allocates ({code}) {REFRESH_WAIT} s later"


@turngate_only("TurnGate reading coturn's SQLite userdb")
def test_a_missing_database_is_created_with_coturns_schema(turn_server, tmp_path):
    database = tmp_path / "var" / "turndb"
    database.parent.mkdir()
    server = start(turn_server, database, f"static-auth-secret={SECRET}")
    assert server.alive()
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"turnusers_lt", "turn_secret", "admin_user", "turn_realm_option"} <= tables, f"tables created: {tables}"
    turnadmin("-a", "-u", "dave", "-r", REALM, "-p", "dave-pass", database=database)
    code = code_within(server, "dave", "dave-pass", None)
    assert code is None, f"dave, added to the database TurnGate created, still refused ({code})"


@turngate_only("TurnGate's earlier text userdb")
def test_a_text_userdb_still_works_with_a_deprecation_warning(turn_server, tmp_path):
    text = tmp_path / "users.txt"
    text.write_text("# TurnGate's earlier format\nerin:erin-pass\n")
    server = start(turn_server, text, f"static-auth-secret={SECRET}")
    assert allocate_code(server, "erin", "erin-pass") is None, "a user of the text userdb was refused"
    assert "deprecated" in server.logs(), f"no deprecation warning for a text userdb:\n{server.logs()}"
