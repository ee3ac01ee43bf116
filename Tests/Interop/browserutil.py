"""Headless Chromium against the server under test: what test_browser.py and
test_browser_pair.py share.

`Harness` serves a page from a Python ThreadingHTTPServer on a free loopback port and
collects what the page POSTs (`/log` lines, `/result` objects); `Browser` is one headless
Chromium run in its own process group and temporary profile, kept off every network but
loopback (no proxy, every host name but 127.0.0.1 maps to NOTFOUND, no
background/component/sync traffic); `run_until_results` starts one and waits for the
harness's results, boundedly; `IceTestServer` is a turngate with the gateway and its ICE test
page (GET /ice-test) on.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import jwtutil
from conftest import free_port

ICE_TEST_USER = "ice-tester"

# Chromium talks to nothing but loopback.
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu",
    "--no-first-run", "--no-default-browser-check",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--metrics-recording-only", "--disable-breakpad",
    "--disable-features=MediaRouter,OptimizationHints,Translate",
    "--disable-extensions", "--mute-audio",
]


# --- the harness HTTP server ------------------------------------------------------------

class Harness:
    """Serves the page and collects what it reports (POST /log, POST /result): `done` is set
    once `expected_results` results came (`results`; `result` is the first)."""

    def __init__(self, page: Path, expected_results: int = 1):
        self.page = page.read_bytes()
        self.lines: list = []
        self.result: dict | None = None
        self.results: list = []
        self.expected_results = expected_results
        self.done = threading.Event()
        self.lock = threading.Lock()
        harness = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = urllib.parse.urlsplit(self.path).path
                if path == "/page.html":
                    self._reply(200, harness.page, "text/html; charset=utf-8")
                else:
                    self._reply(404, b"", "text/plain")

            def do_POST(self):
                path = urllib.parse.urlsplit(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    data = json.loads(body.decode("utf-8") or "null")
                except (UnicodeDecodeError, ValueError):
                    data = {"unparsable": body[:2000].decode("utf-8", "replace")}
                with harness.lock:
                    if path == "/log":
                        harness.lines.append(str((data or {}).get("m")))
                    elif path == "/result" and len(harness.results) < harness.expected_results:
                        harness.results.append(data if isinstance(data, dict) else {"unexpected": data})
                        harness.result = harness.results[0]
                        if len(harness.results) == harness.expected_results:
                            harness.done.set()
                self._reply(204, b"", "text/plain")

            def _reply(self, code: int, body: bytes, content_type: str):
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        # Port 0: the kernel picks a free loopback port, with no window for a race.
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="browser-harness",
                                       kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def url(self, **query) -> str:
        return f"http://127.0.0.1:{self.port}/page.html?{urllib.parse.urlencode(query)}"

    def log_text(self) -> str:
        with self.lock:
            return "\n".join(self.lines)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- Chromium ---------------------------------------------------------------------------

class Browser:
    """One headless Chromium run in its own process group and temporary profile."""

    def __init__(self, binary: str, workdir: Path, name: str):
        self.binary = binary
        self.profile = workdir / f"{name}-profile"
        self.log_path = workdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.argv: list = []
        self.killed = False

    def start(self, url: str, extra_flags=()) -> None:
        self.profile.mkdir(parents=True, exist_ok=True)
        self.argv = [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
                     *extra_flags, url]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True)

    def kill(self) -> None:
        """Kill the whole process group (browser, zygotes, renderers, utilities)."""
        if self.proc is None or self.killed:
            return   # never signal a process group id that may have been reused
        self.killed = True
        pgid = self.proc.pid   # start_new_session: the leader's pid is the group id
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                continue
            if sig == signal.SIGTERM:
                # The leader is gone; make sure no child of it outlives it.
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            break
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def log(self, limit: int = 8000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as e:
            return f"<cannot read {self.log_path}: {e}>"
        # dbus noise of a container without a system bus.
        text = "\n".join(line for line in text.splitlines() if "dbus" not in line)
        return text[-limit:]


class BrowserRun:
    """What one page run reported, with everything needed to explain a failure."""

    def __init__(self, result: dict | None, page_log: str, browser_log: str, argv: list, url: str,
                 elapsed: float):
        self.result = result
        self.page_log = page_log
        self.browser_log = browser_log
        self.argv = argv
        self.url = url
        self.elapsed = elapsed

    def describe(self) -> str:
        result = json.dumps(self.result, indent=1, sort_keys=True)[:12000] if self.result else None
        return (f"\n--- page {self.url} ({self.elapsed:.1f} s)\n--- result:\n{result}\n"
                f"--- page log:\n{self.page_log}\n--- chromium ({' '.join(self.argv[:1])}) log:\n"
                f"{self.browser_log}\n")


def run_until_results(browser: Browser, harness: Harness, url: str, timeout: float,
                      extra_flags=()) -> tuple:
    """Starts `browser` on `url`, waits until `harness` has its results, `timeout` seconds have
    passed since the start or Chromium exits, then kills Chromium's process group.

    -> (seconds elapsed, Chromium's exit status if it exited by itself, else None)."""
    started = time.monotonic()
    browser.start(url, extra_flags)
    deadline = started + timeout
    exited = None
    while not harness.done.wait(0.1):
        if time.monotonic() >= deadline:
            break
        if browser.proc.poll() is not None:
            exited = browser.proc.returncode
            harness.done.wait(0.5)   # a result may still be on its way
            break
    elapsed = time.monotonic() - started
    browser.kill()
    return elapsed, exited


# --- candidates -----------------------------------------------------------------------

CANDIDATE_RE = re.compile(r"^candidate:\S+ (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)")


def parse_candidate(line: str) -> dict:
    m = CANDIDATE_RE.match(line)
    assert m, f"unparsable candidate line {line!r}"
    component, protocol, priority, address, port, kind = m.groups()
    return {"component": int(component), "protocol": protocol.lower(), "address": address,
            "port": int(port), "type": kind}



# --- the gateway's ICE test page -----------------------------------------------------

def http_get(port: int, path: str, timeout: float = 3.0):
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class IceTestServer:
    """A turngate with the gateway and the ICE test page on, framed by `harness_origin`; with
    `derived_uris`, no `turn-uris`, so the credentials carry the URIs of the node's listeners."""

    def __init__(self, turngate, harness_origin: str, derived_uris: bool = False):
        self.jwt_secret = secrets.token_urlsafe(30)            # 40 characters
        self.static_secret = "static-" + secrets.token_hex(16)
        self.api_port = free_port("127.0.0.1")
        self.turn_port = free_port("127.0.0.1")
        self.min_port = random.randrange(20000, 32000 - 200, 2)
        self.max_port = self.min_port + 199
        self.turn_uri = f"turn:127.0.0.1:{self.turn_port}?transport=udp"
        self.server = turngate.start([
            "realm=ice-test.interop", "use-auth-secret", f"static-auth-secret={self.static_secret}",
            "relay-ip=127.0.0.1", f"min-port={self.min_port}", f"max-port={self.max_port}",
            "allow-loopback-peers",
            "api-listening-ip=127.0.0.1", f"api-listening-port={self.api_port}",
            f"jwt-secret={self.jwt_secret}", *([] if derived_uris else [f"turn-uris={self.turn_uri}"]),
            f"api-cors-origin={harness_origin}", "ice-test-page",
        ], port=self.turn_port)
        self.wait_page()

    def wait_page(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if not self.server.alive():
                raise AssertionError(f"turngate exited with {self.server.proc.returncode}\n{self.server.logs()}")
            try:
                last = http_get(self.api_port, "/ice-test")
            except (OSError, HTTPException) as e:
                last = e
            else:
                if last[0] == 200:
                    return
                if last[0] == 404:
                    pytest.fail(f"GET /ice-test answers 404 with ice-test-page set: is {self.server.binary} "
                                f"built from sources that have the ICE test page?\n{self.server.logs()}",
                                pytrace=False)
            time.sleep(0.05)
        raise AssertionError(f"GET /ice-test not 200 within {timeout} s (last: {last!r})\n{self.server.logs()}")

    def token(self, key: str | None = None, user: str = ICE_TEST_USER, room: str | None = None) -> str:
        """An HS256 JWT for `user` (with the `roomId` claim `room`), signed with the server's
        secret or `key`."""
        now = int(time.time())
        claims = {"sub": user, "iat": now, "exp": now + 300}
        if room is not None:
            claims["roomId"] = room
        return jwtutil.sign(claims, "HS256", (key or self.jwt_secret).encode("utf-8"))

    def page_url(self, **fragment) -> str:
        # doseq: a list value repeats its key (uri=...&uri=...).
        return f"http://127.0.0.1:{self.api_port}/ice-test#{urllib.parse.urlencode(fragment, doseq=True)}"

