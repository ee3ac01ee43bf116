#!/usr/bin/env python3
"""Load benchmark for TurnGate's WebSocket signaling (docs/signaling.md).

Opens --connections sockets to /v1/signal in rooms of --room-size, each authenticated by an HS256
JWT naming its room; then every peer sends `signal` messages at --rate a second to a random other
peer of its room for --seconds. Reports connections and the time to establish them, messages
sent/delivered/lost, delivery latency (measured by the sending process, so the client's own loop
delay is in it; a message not delivered GRACE seconds after the send phase is lost), the server's
RSS per connection and CPU per delivered message, and the client's own CPU: --clients K spreads
the rooms over K processes (a room never spans two) when one Python process is not enough.

    bench/signal_load.py --turngate-bin .build/release/turngate      # starts and stops the server
    bench/signal_load.py --url ws://127.0.0.1:8080/v1/signal --jwt-secret S --server-pid PID
"""

from __future__ import annotations

import argparse, asyncio, base64, hashlib, heapq, hmac, inspect, json, multiprocessing as mp, os, platform
import random, resource, secrets, signal, socket, subprocess, sys, tempfile, time, types, urllib.request
from collections import Counter
from datetime import datetime, timezone
from multiprocessing.connection import wait as mp_wait
from pathlib import Path

try:
    import websockets
    from websockets.asyncio.client import connect as ws_connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
except ImportError:
    sys.exit("signal_load.py needs the `websockets` library (13 or later):\n"
             "  python3 -m pip install --break-system-packages websockets")

# No compression (the client's CPU is the scarce one), no client pings (the server's are answered),
# no read backpressure, and no HTTP proxy from the environment (websockets 15 and later use one).
WS_OPTIONS = {"compression": None, "ping_interval": None, "close_timeout": 2, "max_queue": None}
if "proxy" in inspect.signature(ws_connect).parameters:
    WS_OPTIONS["proxy"] = None

IDLE = 2.0               # seconds of idle connections, for the server's background CPU
GRACE = 3.0              # seconds to wait for in-flight messages after the send phase
STEP_TIMEOUT = 15.0      # one connect + authenticate; closing all sockets
READY_TIMEOUT = 30.0     # the started server answering GET /readyz
MAX_ODDITIES = 12        # unexpected server messages kept verbatim per worker


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_token(secret: str, claims: dict) -> str:
    signing_input = b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + b64url(json.dumps(claims).encode())
    sig = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(sig)}"


def stats_ms(values_us: list) -> dict:
    """p50/p99/max in ms of microsecond values."""
    v = sorted(values_us)
    pick = (lambda q: v[int(q * (len(v) - 1))] / 1000) if v else (lambda q: None)
    return {"p50": pick(0.5), "p99": pick(0.99), "max": pick(1.0)}


def rss_kib(pid):
    """VmRSS of `pid` in KiB, or None (no PID, or the process is gone)."""
    try:
        return int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:", 1)[1].split()[0])
    except (OSError, IndexError):
        return None


def cpu_seconds(pid):
    """utime + stime of `pid` (fields 14 and 15 of /proc/PID/stat, counted after the ')')."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        return None


def free_port() -> int:
    """A loopback port free for both TCP and UDP (the TURN listener takes both)."""
    for _ in range(50):
        with socket.socket() as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            tcp.bind(("127.0.0.1", 0))
            try:
                udp.bind(tcp.getsockname())
                return tcp.getsockname()[1]
            except OSError:
                continue
    raise RuntimeError("no free loopback port")


# --- a worker process: one asyncio loop driving its share of the rooms -------------------------

async def worker(wid: int, conn, cfg: dict, specs: list) -> None:
    loop, rnd = asyncio.get_running_loop(), random.Random(wid)
    # A peer: its index, room, socket, server-made peerId, and the peerIds it was told are in its room.
    peers = [types.SimpleNamespace(idx=i, room=room, ws=None, pid=None, view=set()) for i, room in specs]
    by_idx = {p.idx: p for p in peers}
    st, fails, errors, closes = Counter(), Counter(), Counter(), Counter()
    oddities, connect_us, latency_us, lag_us, readers = [], [], [], [], []
    closing, seen = False, set()

    def odd(what: str, raw) -> None:
        st["oddities"] += 1
        if len(oddities) < MAX_ODDITIES:
            oddities.append({"what": what, "message": str(raw)[:400]})

    async def command() -> dict:
        # Read the pipe in a thread, so that the sockets are served meanwhile (pings, peer-joined).
        msg = await loop.run_in_executor(None, lambda: conn.recv() if conn.poll(600) else None)
        if msg is None or msg["op"] == "abort":
            raise SystemExit(1)
        return msg

    async def reader(p) -> None:
        try:
            async for raw in p.ws:
                try:
                    m = json.loads(raw)
                except ValueError:
                    m = None
                kind = m.get("type") if isinstance(m, dict) else None
                data = m.get("data") if kind == "signal" else None
                if isinstance(data, dict) and "t" in data:
                    if data.get("s") in seen:                # "s" is unique within this worker
                        st["duplicates"] += 1
                        odd("signal delivered twice", raw)
                        continue
                    seen.add(data.get("s"))
                    latency_us.append((time.perf_counter_ns() - data["t"]) // 1000)
                    st["delivered"] += 1
                    sender = by_idx.get(data.get("i"))
                    if data.get("r") != p.idx or sender is None or m.get("from") != sender.pid:
                        st["misrouted"] += 1
                        odd("signal for another peer, or with a wrong `from`", raw)
                elif kind == "peer-joined" and isinstance(m.get("peerId"), str):
                    p.view.add(m["peerId"])
                elif kind == "peer-left":
                    p.view.discard(m.get("peerId"))
                else:
                    if kind == "error":
                        errors[str(m.get("code"))] += 1
                    odd("unexpected message", raw)
        except ConnectionClosed:
            pass
        if not closing:
            closes[str(p.ws.close_code)] += 1
            odd("socket closed by the server", f"code {p.ws.close_code} reason {p.ws.close_reason!r}")

    async def connect_one(p, sem: asyncio.Semaphore) -> None:
        now = int(time.time())
        claims = {"sub": f"bench-u{p.idx}", "roomId": p.room, "iat": now, "exp": now + cfg["ttl"], **cfg["claims"]}
        hello = json.dumps({"type": "authenticate", "token": hs256_token(cfg["secret"], claims), "roomId": p.room})
        async with sem:                                      # bounded concurrency while connecting
            t0 = time.perf_counter_ns()
            try:
                ws = await ws_connect(cfg["url"], open_timeout=STEP_TIMEOUT, **WS_OPTIONS)
            except (OSError, asyncio.TimeoutError, WebSocketException) as e:
                fails[f"HTTP {e.response.status_code}" if isinstance(e, InvalidStatus) else type(e).__name__] += 1
                return
            early = set()                                    # peer-joined before `authenticated`
            try:
                await ws.send(hello)
                for _ in range(64):
                    raw = await asyncio.wait_for(ws.recv(), STEP_TIMEOUT)
                    m = json.loads(raw)
                    if not isinstance(m, dict) or m.get("type") != "peer-joined":
                        break
                    early.add(m.get("peerId"))
                    odd("peer-joined before the reply to authenticate", raw)
            except (asyncio.TimeoutError, ConnectionClosed, ValueError) as e:
                fails[f"authenticate: {type(e).__name__}"] += 1
                await ws.close()
                return
        m = m if isinstance(m, dict) else {}
        if m.get("type") != "authenticated":
            fails[f"{m.get('type')} {m.get('code')}"] += 1
            odd("reply to authenticate", raw)
            await ws.close()
            return
        missing = [k for k in ("peerId", "userId", "roomId", "peers", "iceServers") if k not in m]
        if missing or m["roomId"] != p.room or m["userId"] != claims["sub"]:
            odd(f"authenticated: fields missing {missing}, or another room or user", raw)
        connect_us.append((time.perf_counter_ns() - t0) // 1000)
        p.ws, p.pid = ws, m.get("peerId")
        p.view = {x.get("peerId") for x in m.get("peers") or () if isinstance(x, dict)}
        if early & p.view:
            odd("a peer both in `peers` and in an earlier peer-joined", raw)
        p.view |= early
        readers.append(asyncio.create_task(reader(p)))

    # Phase 1: connect and authenticate.
    conn.send({"op": "ready"})
    await command()
    sem = asyncio.Semaphore(cfg["concurrency"])
    await asyncio.gather(*(connect_one(p, sem) for p in peers))
    live = [p for p in peers if p.ws is not None]
    conn.send({"op": "connected", "established": len(live), "fails": dict(fails), "connect_us": connect_us})

    # Phase 2: from go["start"] to go["end"] (time.monotonic, shared by all processes), each peer
    # sends at cfg["rate"] with a random phase; one heap of due times instead of a task per peer.
    go = await command()
    pid_to_idx = {p.pid: p.idx for p in live}
    rooms = {}
    for p in live:
        rooms.setdefault(p.room, set()).add(p.pid)
    # What each peer was told (authenticated.peers + peer-joined - peer-left) against the truth.
    st["view_mismatches"] = sum(p.view != rooms[p.room] - {p.pid} for p in live)
    period = 1.0 / cfg["rate"]
    heap = [(go["start"] + rnd.random() * period, p.idx) for p in live if p.view]
    heapq.heapify(heap)
    await asyncio.sleep(max(0.0, go["start"] - time.monotonic()))
    cpu0, wall0 = time.process_time(), time.monotonic()
    for _ in range(int(len(heap) * cfg["rate"] * (go["end"] - go["start"]) * 4) + 10000):
        now = time.monotonic()
        if not heap or now >= go["end"]:
            break
        due, idx = heap[0]
        if due > now:
            await asyncio.sleep(min(due, go["end"]) - now)
            continue
        heapq.heappop(heap)
        p = by_idx[idx]
        lag_us.append(int((now - due) * 1e6))                # how late the client is on its schedule
        target = rnd.choice(tuple(p.view))
        data = {"t": time.perf_counter_ns(), "s": st["sent"], "i": p.idx, "r": pid_to_idx.get(target)}
        try:
            await p.ws.send(json.dumps({"type": "signal", "to": target, "data": data}))
            st["sent"] += 1
            heapq.heappush(heap, (due + period, idx))
        except (ConnectionClosed, IndexError):             # socket gone, or no one left in the room
            st["send_failures"] += 1
    deadline = time.monotonic() + GRACE
    while st["delivered"] < st["sent"] and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    snapshot = dict(st)                                      # later arrivals count as lost
    conn.send({"op": "done", "st": snapshot, "errors": dict(errors), "closes": dict(closes),
               "latency_us": latency_us[:snapshot.get("delivered", 0)], "lag_us": lag_us, "oddities": oddities,
               "cpu": time.process_time() - cpu0, "wall": time.monotonic() - wall0})

    # Phase 3: close.
    await command()
    closing = True
    try:
        await asyncio.wait_for(asyncio.gather(*(p.ws.close() for p in live), return_exceptions=True), STEP_TIMEOUT)
    except asyncio.TimeoutError:
        pass
    for task in readers:
        task.cancel()
    conn.send({"op": "closed"})


def worker_entry(wid, conn, cfg, specs) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)             # the parent handles ^C
    try:
        asyncio.run(worker(wid, conn, cfg, specs))
    except SystemExit:
        pass


# --- the server, when started here -------------------------------------------------------------

def start_server(args, secret: str, workdir: Path):
    turn_port, api_port = free_port(), free_port()
    lines = ["listening-ip=127.0.0.1", f"listening-port={turn_port}", "realm=bench.signal", "use-auth-secret",
             f"static-auth-secret={secrets.token_urlsafe(32)}", "api-listening-ip=127.0.0.1",
             f"api-listening-port={api_port}", f"jwt-secret={secret}",
             f"turn-uris=turn:127.0.0.1:{turn_port}?transport=udp",
             "api-rate-limit=off",                           # every upgrade comes from 127.0.0.1
             f"api-connection-limit={args.connections + 256}",
             f"signal-message-rate={max(50, int(args.rate * 4) + 1)}",
             f"signal-room-max-peers={max(16, args.room_size)}"]
    config = workdir / "turngate.conf"
    config.write_text("".join(f"{line}\n" for line in lines))
    with open(workdir / "turngate.log", "wb") as log:
        proc = subprocess.Popen([args.turngate_bin, "-c", str(config)], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never through a proxy
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with opener.open(f"http://127.0.0.1:{api_port}/readyz", timeout=2) as reply:
                if reply.status == 200:
                    return proc, f"ws://127.0.0.1:{api_port}/v1/signal"
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    tail = (workdir / "turngate.log").read_text(errors="replace")[-3000:]
    sys.exit(f"turngate was not ready within {READY_TIMEOUT:.0f} s (exit status {proc.returncode}):\n{tail}")


def stop_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(timeout=5)


# --- the parent: phases, figures, report ---------------------------------------------------------

def phase(pipes: list, command, op: str, timeout: float) -> list:
    """Send `command` (if any) to every worker, then wait for the message `op` of every worker,
    within `timeout` seconds in all."""
    for c in pipes if command else ():
        c.send(command)
    replies, deadline = {}, time.monotonic() + timeout
    while len(replies) < len(pipes):
        pending = [c for i, c in enumerate(pipes) if i not in replies]
        ready = mp_wait(pending, timeout=max(0.0, deadline - time.monotonic()))
        if not ready:
            raise RuntimeError(f"{len(pending)} worker(s) did not report '{op}' within {timeout:.0f} s")
        for c in ready:
            msg = c.recv()                                   # EOFError if the worker died
            if msg["op"] != op:
                raise RuntimeError(f"a worker sent {msg['op']!r}, expected {op!r}")
            replies[pipes.index(c)] = msg
    return [replies[i] for i in range(len(pipes))]


def merged(replies: list, key: str) -> dict:
    return dict(sum((Counter(r[key]) for r in replies), Counter()))


def bounded(lo, hi, kind=int):
    """An argparse type: `kind` within [lo, hi]."""
    def check(text):
        value = kind(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text} is not within {lo} to {hi}")
        return value
    return check


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="ws://HOST:PORT/v1/signal of a running server")
    where.add_argument("--turngate-bin", help="start this turngate binary with a temporary config")
    ap.add_argument("--server-pid", type=int, help="with --url: the server's PID, for RSS and CPU")
    ap.add_argument("--jwt-secret", help="the server's jwt-secret (required with --url)")
    ap.add_argument("--claim", action="append", default=[], metavar="NAME=VALUE",
                    help="an extra token claim the server requires (iss, aud, type=webrtc...; repeatable)")
    ap.add_argument("--connections", type=bounded(1, 100000), default=2000)
    ap.add_argument("--room-size", type=bounded(2, 1000), default=4)
    ap.add_argument("--seconds", type=bounded(1, 600, float), default=20.0)
    ap.add_argument("--rate", type=bounded(0.01, 1000, float), default=2.0, help="messages a second per peer")
    ap.add_argument("--clients", type=bounded(1, 64), default=2, help="client worker processes")
    ap.add_argument("--connect-concurrency", type=bounded(1, 10000), default=100)
    ap.add_argument("--out", help="JSON result (default bench/results/signal-<UTC time>.json)")
    args = ap.parse_args()
    if not (args.turngate_bin or args.jwt_secret) or not all("=" in c for c in args.claim):
        ap.error("--url needs --jwt-secret; --claim takes NAME=VALUE")
    return args


def main() -> int:
    args = parse_args()
    started_at, load_before = datetime.now(timezone.utc), os.getloadavg()[0]
    secret = args.jwt_secret or secrets.token_urlsafe(48)
    # Raise the open-files limit; the server (when started here) and the workers inherit it.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.connections + 1024 if hard == resource.RLIM_INFINITY else min(args.connections + 1024, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    if max(soft, want) < args.connections + 64:
        print(f"warning: the open-files limit ({hard}) is below --connections + 64", file=sys.stderr)
    proc, url, pid, workdir = None, args.url, args.server_pid, None
    if args.turngate_bin:
        workdir = Path(tempfile.mkdtemp(prefix="signal-load-"))
        proc, url = start_server(args, secret, workdir)
        pid = proc.pid
    k = min(args.clients, -(-args.connections // args.room_size))
    cfg = {"url": url, "secret": secret, "rate": args.rate, "ttl": int(args.seconds) + 3600,
           "concurrency": max(1, args.connect_concurrency // k), "claims": dict(c.split("=", 1) for c in args.claim)}
    specs = [[] for _ in range(k)]                           # peer i is in room i // room_size,
    for i in range(args.connections):                        # rooms go round-robin to the workers
        specs[i // args.room_size % k].append((i, f"bench-room-{i // args.room_size}"))
    ctx, pipes, workers, server_exit = mp.get_context("fork"), [], [], None
    try:
        for wid in range(k):
            ours, theirs = ctx.Pipe()
            workers.append(ctx.Process(target=worker_entry, args=(wid, theirs, cfg, specs[wid]), daemon=True))
            workers[-1].start()
            pipes.append(ours)
        phase(pipes, None, "ready", 30)
        rss0, t0 = rss_kib(pid), time.monotonic()
        timeout = (args.connections / args.connect_concurrency + 2) * STEP_TIMEOUT
        connected = phase(pipes, {"op": "connect"}, "connected", timeout)
        connect_seconds, rss1, idle0 = time.monotonic() - t0, rss_kib(pid), cpu_seconds(pid)
        time.sleep(IDLE)                                     # the server's CPU with idle connections
        idle1 = cpu_seconds(pid)
        start = time.monotonic() + 0.5                       # the workers start sending together
        for c in pipes:
            c.send({"op": "go", "start": start, "end": start + args.seconds})
        time.sleep(max(0.0, start - time.monotonic()))
        cpu0 = cpu_seconds(pid)
        done = phase(pipes, None, "done", args.seconds + GRACE + 30)
        cpu1, window = cpu_seconds(pid), time.monotonic() - start
        phase(pipes, {"op": "close"}, "closed", STEP_TIMEOUT + 10)
    except (RuntimeError, EOFError, KeyboardInterrupt) as e:
        print(f"aborted: {type(e).__name__} {e}", file=sys.stderr)
        return 1
    finally:
        for c in pipes:
            try:
                c.send({"op": "abort"})
            except OSError:
                pass
        for w in workers:
            w.join(timeout=5)
            if w.is_alive():
                w.terminate()
        if proc is not None:
            server_exit = stop_server(proc)

    st = merged(done, "st")
    sent, delivered = st.get("sent", 0), st.get("delivered", 0)
    established = sum(r["established"] for r in connected)
    share = [round(r["cpu"] / r["wall"], 3) if r["wall"] >= 1 else None for r in done]   # None: nothing sent
    lag = stats_ms([v for r in done for v in r["lag_us"]])
    server_cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    per_conn = round((rss1 - rss0) / established, 2) if rss0 and rss1 and established else None
    idle = (idle1 - idle0) / IDLE if idle0 is not None and idle1 is not None else None
    per_msg = round(server_cpu * 1e6 / delivered, 2) if server_cpu and delivered else None
    per_msg_busy = round((server_cpu - idle * window) * 1e6 / delivered, 2) if per_msg and idle is not None \
        else None
    anomalies = ("misrouted", "duplicates", "send_failures", "view_mismatches", "oddities")
    top = max(x or 0 for x in share)
    figures = [  # (JSON key, label in the table, value)
        ("connections", "connections established", established),
        ("connect_seconds", "time to establish them (s)", round(connect_seconds, 3)),
        ("connect_failures", "connect failures", merged(connected, "fails")),
        ("connect_ms", "connect+authenticate ms p50/p99/max",
         stats_ms([v for r in connected for v in r["connect_us"]])),
        ("messages", "messages", {"sent": sent, "delivered": delivered, "lost": sent - delivered}),
        ("delivered_per_second", "delivered per second", round(delivered / args.seconds, 1)),
        ("latency_ms", "delivery latency ms p50/p99/max", stats_ms([v for r in done for v in r["latency_us"]])),
        ("anomalies", "anomalies", {key: st.get(key, 0) for key in anomalies}),
        ("server_errors", "error messages from the server", merged(done, "errors")),
        ("closed_by_server", "sockets closed by the server (by code)", merged(done, "closes")),
        ("server_rss_kib", "server RSS (KiB)", {"before": rss0, "after": rss1, "per_connection": per_conn}),
        ("server_cpu", "server CPU in the send phase", {"seconds": server_cpu and round(server_cpu, 3),
                                                        "us_per_delivered": per_msg}),
        ("server_cpu_idle", "server CPU with idle connections", {
            "core_share": idle and round(idle, 4), "us_per_delivered_less_idle": per_msg_busy}),
        ("client_core_share", "client CPU, share of a core per worker", share),
        ("client_lag_ms", "client lateness on its send schedule ms p50/p99/max", lag),
    ]
    notes = []
    if top > 0.85:
        notes.append(f"CLIENT SATURATED: a worker used {top:.0%} of a core, so the figures are bounded by the "
                     "client; rerun with more --clients")
    if lag["p99"] is not None and lag["p99"] > 50:
        notes.append(f"the client fell behind its send schedule (p99 {lag['p99']:.0f} ms late)")
    busy, capacity = (server_cpu or 0) + sum(r["cpu"] for r in done), (os.cpu_count() or 1) * window
    if busy > 0.9 * capacity:
        notes.append(f"machine CPU-bound: server and client used {busy:.1f} of {capacity:.1f} core-seconds")
    if pid is None:
        notes.append("no --server-pid: no RSS or CPU figures for the server")
    oddities = [o for r in done for o in r["oddities"]]
    params = {"connections": args.connections, "room_size": args.room_size, "seconds": args.seconds,
              "rate": args.rate, "clients": k, "connect_concurrency": args.connect_concurrency,
              "server": Path(args.turngate_bin).name if args.turngate_bin else "external"}

    print(f"\nsignaling load: {args.connections:,} connections, rooms of {args.room_size}, {args.rate:g} msg/s per "
          f"peer for {args.seconds:g} s, {k} client process(es), {os.cpu_count()} CPUs, load {load_before:.2f}")
    width = max(len(label) for _, label, _ in figures)
    for _, label, value in figures:
        print(f"  {label:<{width}}  {show(value)}")
    for note in notes:
        print(f"  NOTE: {note}")
    for o in oddities[:5]:
        print(f"  unexpected: {o['what']}: {o['message'][:200]}")
    result = {"measured_at": started_at.isoformat(timespec="seconds"), "params": params,
              "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
                       "websockets": websockets.__version__, "load_average_before": load_before},
              "figures": {key: value for key, _, value in figures},
              "send_window_seconds": round(window, 3),       # send phase + the wait for the last deliveries
              "server_exit_code": server_exit, "notes": notes, "oddities": oddities}
    out = Path(args.out) if args.out else \
        Path(__file__).resolve().parent / "results" / f"signal-{started_at:%Y-%m-%dT%H-%M-%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten: {out}" + (f"\nserver log: {workdir / 'turngate.log'}" if workdir else ""))
    return 0 if established and delivered else 1


def show(value) -> str:
    """A figure for the table: '-' for none, p50/p99/max, counts by reason, shares, numbers."""
    if value is None:
        return "-"
    if isinstance(value, dict) and "p50" in value:
        return " / ".join(show(value[q]) for q in ("p50", "p99", "max"))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join("-" if x is None else f"{x:.0%}" for x in value)
    return f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"


if __name__ == "__main__":
    sys.exit(main())
