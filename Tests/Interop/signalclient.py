"""Clients and helpers for the signaling tests (docs/signaling.md).

- `WsPeer`: a plain WebSocket client (the `websockets` asyncio library) on `GET /v1/signal`,
  one JSON object per text frame; the close code the server sent is kept.
- `SioPeer`: a python-socketio `AsyncClient` over Engine.IO's WebSocket transport; every event
  is recorded as `{"type": <event>, **payload}`, so both framings read the same.
- Both: `send`, `authenticate`, `expect(type, **fields)` (messages that do not match wait in a
  backlog), `expect_error(code)`, `expect_closed(code)`, `quiet(seconds)`. Every read has a
  timeout; `Peers` closes every client it opened.
- Tokens: HS256 JWTs signed with `JWT_SECRET` (jwtutil.py); `rest_password` recomputes a
  minted TURN password from `STATIC_AUTH_SECRET`.
- Servers: `start_signal_server` starts a turngate with the gateway (and so signaling) on
  127.0.0.1 and waits for `/readyz`; `scrape`/`metric` read Prometheus text.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
import types
from http.client import HTTPConnection, HTTPException

import socketio
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

import jwtutil
from conftest import TurnGateFactory, free_port

SIGNAL_PATH = "/v1/signal"
REALM = "signal.test"
STATIC_AUTH_SECRET = "static-" + secrets.token_hex(20)
JWT_SECRET = "jwt-" + secrets.token_urlsafe(48)
ADMIN_TOKEN = "admin-" + secrets.token_urlsafe(32)
STEP = 5.0            # the longest any single expected message may take
READY_TIMEOUT = 10.0

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}-{secrets.token_hex(3)}"


# --- tokens -------------------------------------------------------------------------

def token(user: str | None, room: str | None = None, *, lifetime: int = 600, key: str = JWT_SECRET,
          drop=(), **extra) -> str:
    """An HS256 JWT for `user` (claim `sub`) with a `roomId` claim when `room` is given."""
    now = int(time.time())
    claims = {"iat": now, "exp": now + lifetime}
    if user is not None:
        claims["sub"] = user
    if room is not None:
        claims["roomId"] = room
    claims.update(extra)
    for name in drop:
        claims.pop(name, None)
    return jwtutil.sign(claims, "HS256", key.encode())


def rest_password(username: str) -> str:
    return base64.b64encode(hmac.new(STATIC_AUTH_SECRET.encode(), username.encode(), hashlib.sha1).digest()).decode()


# --- HTTP and metrics ----------------------------------------------------------------

def http(port: int, method: str, path: str, *, headers=None, body=None) -> tuple:
    """(status, headers, text, json-or-None) of one request on 127.0.0.1."""
    conn = HTTPConnection("127.0.0.1", port, timeout=STEP)
    try:
        heads = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            heads["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=heads)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return response.status, response.headers, text, parsed
    finally:
        conn.close()


def admin(server, method: str, path: str, body=None) -> tuple:
    return http(server.api_port, method, path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, body=body)


def scrape(port: int) -> dict:
    status, _, text, _ = http(port, "GET", "/metrics")
    assert status == 200, f"/metrics on port {port}: {status} {text[:300]!r}"
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def metric(samples: dict, name: str, **labels) -> float:
    """The sum of the series `name` whose labels include `labels`."""
    total = 0.0
    for key, value in samples.items():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})?", key)
        if not match or match.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += value
    return total


def wait_metric(port: int, name: str, want: float, timeout: float = STEP, **labels) -> None:
    deadline = time.monotonic() + timeout
    while True:
        value = metric(scrape(port), name, **labels)
        if value == want:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{name}{labels or ''} is {value}, expected {want} within {timeout} s")
        time.sleep(0.1)


# --- the server ----------------------------------------------------------------------

def start_signal_server(factory, workdir, extra=(), *, redis=None, node_id=None, relay_ports=None):
    """A turngate with TURN on 127.0.0.1, the gateway (so signaling) on its own port, REST
    credentials, the admin API, and Prometheus on a third port. `extra` lines come last."""
    turn_port, api_port, metrics_port = free_port(), free_port(), free_port()
    admin_file = workdir / f"admin-token-{api_port}"
    admin_file.write_text(ADMIN_TOKEN + "\n")
    lines = [
        f"realm={REALM}", "use-auth-secret", f"static-auth-secret={STATIC_AUTH_SECRET}",
        "relay-ip=127.0.0.1", "allow-loopback-peers",
        "api-listening-ip=127.0.0.1", f"api-listening-port={api_port}", f"jwt-secret={JWT_SECRET}",
        f"turn-uris=turn:127.0.0.1:{turn_port}?transport=udp", f"admin-token-file={admin_file}",
        # Every upgrade counts against the per-client limit, and every client is 127.0.0.1.
        "api-rate-limit=100000/60",
        "prometheus", f"prometheus-port={metrics_port}", "prometheus-address=127.0.0.1",
    ]
    if relay_ports:
        lines += [f"min-port={relay_ports[0]}", f"max-port={relay_ports[1]}"]
    if redis is not None:
        lines.append(f'redis-userdb="{redis.userdb}"')
    if node_id:
        lines.append(f"node-id={node_id}")
    lines += list(extra)
    server = factory.start(lines, port=turn_port)
    server.api_port, server.metrics_port = api_port, metrics_port
    server.turn_uri = f"turn:127.0.0.1:{turn_port}?transport=udp"
    deadline = time.monotonic() + READY_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        assert server.alive(), f"turngate exited with {server.proc.returncode}\n{server.logs()}"
        try:
            last = http(api_port, "GET", "/readyz")[0]
            if last == 200:
                return server
        except (OSError, HTTPException) as e:
            last = e
        time.sleep(0.05)
    raise AssertionError(f"/readyz on {api_port} not 200 within {READY_TIMEOUT} s ({last!r})\n{server.logs()}")


class LogView:
    """Puts a module-scoped server's logs in a failing test's report (no `proc`, so the
    function-scoped factories' teardown leaves it alone)."""

    proc = None

    def __init__(self, server):
        self.server, self.name = server, server.name

    def logs(self) -> str:
        return self.server.logs()


@contextlib.contextmanager
def module_server(turngate_bin, workdir, extra=(), name: str = "signal"):
    """A signaling server for a whole module (see start_signal_server), stopped at the end."""
    factory = TurnGateFactory(turngate_bin, workdir, types.SimpleNamespace(), name_prefix=name)
    try:
        yield start_signal_server(factory, workdir, extra)
    finally:
        factory.teardown()


def attach_logs(request, server) -> None:
    if not hasattr(request.node, "_turngate_servers"):
        request.node._turngate_servers = []
    request.node._turngate_servers.append(LogView(server))


# --- clients -------------------------------------------------------------------------

class Closed(Exception):
    def __init__(self, code, reason=""):
        super().__init__(f"closed ({code} {reason})")
        self.code, self.reason = code, reason


class Peer:
    """What both framings share; subclasses read (`_read`), `send`, `expect_closed`, `close`."""

    framing = "?"

    def __init__(self, name: str):
        self.name = name
        self.backlog: list = []
        self.closed: Closed | None = None
        self.peer_id = self.user = self.room = None
        self.authenticated: dict | None = None

    def __repr__(self) -> str:
        return f"<{self.framing} peer {self.name} {self.peer_id}>"

    async def _next(self, timeout: float) -> dict:
        if self.closed is not None:
            raise self.closed
        try:
            return await self._read(timeout)
        except Closed as closed:
            self.closed = closed
            raise

    async def expect(self, types, timeout: float = STEP, **fields) -> dict:
        """The first message (backlog first) whose type is `types` (or one of them) and whose
        fields equal `fields`; the others stay in the backlog."""
        types = (types,) if isinstance(types, str) else tuple(types)

        def matches(m):
            return m.get("type") in types and all(m.get(k) == v for k, v in fields.items())

        for i, message in enumerate(self.backlog):
            if matches(message):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                message = await self._next(left)
            except asyncio.TimeoutError:
                raise AssertionError(f"{self}: no {types} {fields} within {timeout} s; "
                                     f"unmatched: {self.backlog}") from None
            except Closed as closed:
                raise AssertionError(f"{self}: {closed} while waiting for {types} {fields}; "
                                     f"unmatched: {self.backlog}") from None
            if matches(message):
                return message
            self.backlog.append(message)

    async def expect_error(self, code: str, timeout: float = STEP) -> dict:
        message = await self.expect("error", timeout)
        assert message.get("code") == code, f"{self}: expected error {code!r}, got {message}"
        assert isinstance(message.get("message"), str), f"{self}: error without a message: {message}"
        return message

    async def wait_closed(self, timeout: float = STEP) -> Closed:
        deadline = time.monotonic() + timeout
        while self.closed is None:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                self.backlog.append(await self._next(left))
            except asyncio.TimeoutError:
                raise AssertionError(f"{self}: still open after {timeout} s; got {self.backlog}") from None
            except Closed:
                break
        return self.closed

    async def quiet(self, seconds: float, types=None) -> None:
        """Nothing (of `types`) arrives within `seconds`; other messages go to the backlog."""
        types = (types,) if isinstance(types, str) else types
        deadline = time.monotonic() + seconds
        for message in self.backlog:
            assert types is not None and message.get("type") not in types, f"{self}: unexpected {message}"
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self._next(left)
            except (asyncio.TimeoutError, Closed):
                return
            assert types is not None and message.get("type") not in types, f"{self}: unexpected {message}"
            self.backlog.append(message)

    async def authenticate(self, tok: str | None, room: str | None = None, *, ok: bool = True) -> dict:
        """Send `authenticate`; with `ok`, the answer must be `authenticated` (returned)."""
        message = {"type": "authenticate"}
        if tok is not None:
            message["token"] = tok
        if room is not None:
            message["roomId"] = room
        await self.send(message)
        if not ok:
            return message
        reply = await self.expect(("authenticated", "error"))
        assert reply["type"] == "authenticated", f"{self}: authenticate in {room!r} refused: {reply}"
        self.authenticated = reply
        self.peer_id, self.user, self.room = reply.get("peerId"), reply.get("userId"), reply.get("roomId")
        return reply

    async def signal(self, data, to: str | None = None) -> None:
        message = {"type": "signal", "data": data}
        if to is not None:
            message["to"] = to
        await self.send(message)


class WsPeer(Peer):
    framing = "websocket"

    @classmethod
    async def open(cls, port: int, name: str = "ws", *, origin: str | None = None,
                   path: str = SIGNAL_PATH) -> "WsPeer":
        peer = cls(name)
        peer.ws = await asyncio.wait_for(ws_connect(
            f"ws://127.0.0.1:{port}{path}", origin=origin, compression=None, open_timeout=STEP,
            close_timeout=2, ping_interval=None, max_size=2 ** 22), STEP)
        return peer

    async def send(self, message) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def _read(self, timeout: float) -> dict:
        try:
            frame = await asyncio.wait_for(self.ws.recv(), timeout)
        except ConnectionClosed as e:
            raise Closed(e.rcvd.code if e.rcvd else None, e.rcvd.reason if e.rcvd else "no close frame") from None
        assert isinstance(frame, str), f"{self}: a binary frame {frame[:80]!r}; messages are text frames"
        message = json.loads(frame)
        assert isinstance(message, dict), f"{self}: a message that is not an object: {frame[:200]!r}"
        return message

    async def expect_closed(self, code: int, timeout: float = STEP) -> None:
        closed = await self.wait_closed(timeout)
        assert closed.code == code, f"{self}: closed with {closed.code} ({closed.reason!r}), expected {code}"

    async def close(self) -> None:
        await asyncio.wait_for(self.ws.close(), 3)


async def refused_after_upgrade(port: int, path: str = SIGNAL_PATH, origin: str | None = None) -> tuple:
    """(last text frame, close code, close reason) of an upgraded socket the server refuses at
    once: the listener's rules are answered with an `error` message and a close (docs/signaling.md)."""
    ws = await asyncio.wait_for(ws_connect(
        f"ws://127.0.0.1:{port}{path}", origin=origin, compression=None, open_timeout=STEP, close_timeout=2,
        ping_interval=None), STEP)
    frames = []
    try:
        while True:
            frames.append(await asyncio.wait_for(ws.recv(), STEP))
    except ConnectionClosed as e:
        return (frames[0] if frames else None), (e.rcvd.code if e.rcvd else None), (e.rcvd.reason if e.rcvd else "")


async def upgrade_status(port: int, path: str = SIGNAL_PATH, origin: str | None = None) -> tuple:
    """(status, JSON body or None) of a refused WebSocket upgrade; fails if it is accepted."""
    try:
        peer = await WsPeer.open(port, origin=origin, path=path)
    except InvalidStatus as e:
        body = e.response.body or b""
        try:
            return e.response.status_code, json.loads(body)
        except ValueError:
            return e.response.status_code, None
    await peer.close()
    raise AssertionError(f"the upgrade of {path} (Origin {origin!r}) was accepted")


class SioPeer(Peer):
    framing = "socket.io"
    _DISCONNECT = "__disconnect__"

    @classmethod
    async def open(cls, port: int, name: str = "sio") -> "SioPeer":
        peer = cls(name)
        peer.queue = asyncio.Queue()
        peer.sio = socketio.AsyncClient(reconnection=False)

        async def any_event(event, data=None):
            record = dict(data) if isinstance(data, dict) else {"payload": data}
            record["type"] = event
            peer.queue.put_nowait(record)

        async def disconnected(reason=None):
            peer.queue.put_nowait({"type": cls._DISCONNECT, "reason": reason})

        peer.sio.on("*", any_event)
        peer.sio.on("disconnect", disconnected)
        await asyncio.wait_for(peer.sio.connect(f"http://127.0.0.1:{port}", transports=["websocket"],
                                                socketio_path="socket.io", wait_timeout=STEP), STEP + 1)
        return peer

    async def send(self, message: dict) -> None:
        payload = {k: v for k, v in message.items() if k != "type"}
        await self.sio.emit(message["type"], payload)

    async def _read(self, timeout: float) -> dict:
        record = await asyncio.wait_for(self.queue.get(), timeout)
        if record["type"] == self._DISCONNECT:
            raise Closed("disconnect", record.get("reason"))
        return record

    async def expect_closed(self, code: int, timeout: float = STEP) -> None:
        # Socket.IO shows no close code; the server's disconnect packet must come first.
        closed = await self.wait_closed(timeout)
        assert closed.reason == socketio.AsyncClient.reason.SERVER_DISCONNECT, \
            f"{self}: disconnected by {closed.reason!r}, not by the server's disconnect packet (close {code})"

    async def close(self) -> None:
        await asyncio.wait_for(self.sio.disconnect(), 3)


OPENERS = {"websocket": WsPeer.open, "socket.io": SioPeer.open}


class Peers:
    """`async with Peers(port) as peers: a = await peers.open("a")`: every client is closed at
    the end (bounded), whatever happened."""

    def __init__(self, port: int, framing: str = "websocket"):
        self.port, self.framing, self.opened = port, framing, []

    async def open(self, name: str = "peer", framing: str | None = None, *, port: int | None = None, **kwargs) -> Peer:
        peer = await OPENERS[framing or self.framing](port or self.port, name, **kwargs)
        self.opened.append(peer)
        return peer

    async def join(self, name: str, room: str, *, user: str | None = None, framing: str | None = None,
                   send_room: bool = True, port: int | None = None) -> Peer:
        """A peer authenticated into `room` as `user` (default: a fresh name) with a token for `room`."""
        user = user or unique(name)
        peer = await self.open(name, framing, port=port)
        await peer.authenticate(token(user, room), room if send_room else None)
        return peer

    async def __aenter__(self) -> "Peers":
        return self

    async def __aexit__(self, *exc) -> None:
        for peer in self.opened:
            try:
                await peer.close()
            except Exception:
                pass


def run(coro, timeout: float = 60.0):
    """Run one test body in a new event loop, bounded."""
    async def bounded():
        return await asyncio.wait_for(coro, timeout)
    return asyncio.run(bounded())


async def assert_serving(port: int, framing: str = "websocket") -> None:
    """A fresh pair in a fresh room still joins and exchanges a signal."""
    room = unique("fresh-room")
    async with Peers(port, framing) as peers:
        a = await peers.join("fresh-a", room)
        b = await peers.join("fresh-b", room)
        await a.signal({"still": "serving"}, to=b.peer_id)
        got = await b.expect("signal", **{"from": a.peer_id})
        assert got["data"] == {"still": "serving"}, f"after the refusal: {got}"
