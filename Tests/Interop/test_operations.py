"""Operating TurnGate: what deploy/ (systemd unit, Prometheus alerts, Grafana dashboard) relies on.

1. Metrics are live: coturn's traffic counters move between two scrapes taken while one
   allocation is still relaying; the process metrics are there and positive.
2. Every metric name that deploy/grafana/turngate-dashboard.json and
   deploy/prometheus/turngate-alerts.yml use is exported (relay port and gateway /metrics,
   scraped after traffic); both files parse.
3. SIGHUP with a new `static-auth-secret`: an allocation made before keeps relaying, the new
   secret's credentials allocate, the old secret's new credentials get 401.
4. SIGHUP with a broken file: refused with a diagnostic naming the line, the running
   configuration stays.
5. SIGUSR1 drains: a new Allocate gets 508, the existing allocation keeps relaying, and the
   process exits 0 once the last allocation is deleted.
6. `log-format json`: every log line is a JSON object, allocations log their start and end
   with traffic totals; and no secret or password used by this module appears in any log.

All traffic is on 127.0.0.1; every wait has a deadline and every loop a bounded count.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

import stun
import turnclient as tc
from conftest import REPO_ROOT, free_port, server_kind
from test_metrics import relay_round_trips

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

pytestmark = pytest.mark.skipif(server_kind() != "turngate",
                                reason="reload, drain, JSON logs and metric names are TurnGate's own")

REALM = "ops.test"
DEPLOY = REPO_ROOT / "deploy"
DASHBOARD = DEPLOY / "grafana" / "turngate-dashboard.json"
ALERTS = DEPLOY / "prometheus" / "turngate-alerts.yml"
CHANNEL = 0x4000
LOG_WAIT = 5.0
EXIT_WAIT = 5.0

# Every secret or password this module hands a server or a client; none may ever be logged.
SECRETS: set = set()
# Every server this module started, for the final log check.
SERVERS: list = []


def new_secret(prefix: str) -> str:
    value = f"{prefix}-{secrets.token_hex(20)}"
    SECRETS.add(value)
    return value


def rest_credential(secret: str, user: str = "alice") -> tuple:
    """coturn's REST credential, minted here: username "<expiry>:<user>",
    password base64(HMAC-SHA1(secret, username))."""
    username = f"{int(time.time()) + 3600}:{user}"
    password = base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
    SECRETS.add(password)
    return username, password


def hs256_jwt(claims: dict, key: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = b64(hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    token = f"{head}.{body}.{sig}"
    SECRETS.update({token, sig})
    return token


# --- servers ------------------------------------------------------------------------

def relay_lines(secret: str) -> list:
    """The relay part of a config (after conftest's listening-ip, listening-port, log-level)."""
    return ["relay-ip=127.0.0.1", "allow-loopback-peers", f"realm={REALM}",
            "use-auth-secret", f"static-auth-secret={secret}"]


def start(turngate, lines, **kwargs):
    server = turngate.start(lines, **kwargs)
    SERVERS.append(server)
    return server


def start_with_metrics(turngate, tmp_path, secret: str, *, gateway: bool = True, extra=()):
    metrics_port = free_port()
    lines = relay_lines(secret) + ["prometheus", f"prometheus-port={metrics_port}",
                                   "prometheus-address=127.0.0.1", *extra]
    api_port = None
    jwt_secret = None
    if gateway:
        api_port = free_port()
        jwt_secret = new_secret("jwt")
        admin_token = new_secret("admin")
        admin_file = tmp_path / "admin-token"
        admin_file.write_text(admin_token + "\n")
        lines += ["api-listening-ip=127.0.0.1", f"api-listening-port={api_port}",
                  f"jwt-secret={jwt_secret}", f"admin-token-file={admin_file}"]
    server = start(turngate, lines)
    server.metrics_port = metrics_port
    server.api_port = api_port
    server.jwt_secret = jwt_secret
    if gateway:
        wait_http(server, api_port, "/readyz")
    else:
        wait_http(server, metrics_port, "/metrics")
    return server


def http_get(port: int, path: str, *, method: str = "GET", headers=None, data=None) -> tuple:
    """(status, body text); HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     headers=dict(headers or {}), data=data)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_http(server, port: int, path: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        assert server.alive(), f"turngate exited with {server.proc.returncode}\n{server.logs()}"
        try:
            last = http_get(port, path)
            if last[0] == 200:
                return
        except OSError as e:
            last = e
        time.sleep(0.05)
    raise AssertionError(f"GET {path} on port {port} not 200 within {timeout} s (last {last!r})")


def scrape(port: int) -> tuple:
    """({sample with labels: value}, {family names from # TYPE lines and sample names})."""
    status, text = http_get(port, "/metrics")
    assert status == 200, f"/metrics on {port}: {status} {text[:300]!r}"
    samples, families = {}, set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            families.add(line.split()[2])
        elif line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
            families.add(name.split("{", 1)[0])
    return samples, families


def wait_for_log(server, text: str, count_before: int, timeout: float = LOG_WAIT) -> None:
    """Until `text` occurs more often in the server's output than `count_before`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.output().count(text) > count_before:
            return
        if not server.alive():
            break
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not appear in the log within {timeout} s\n{server.logs()}")


def signal_and_wait(server, sig: int, text: str) -> None:
    before = server.output().count(text)
    server.proc.send_signal(sig)
    wait_for_log(server, text, before)


def rewrite_config(server, secret: str, *, broken_line: str | None = None) -> int | None:
    """Writes the server's config again with `secret`; with `broken_line`, inserts it and
    returns its 1-based line number."""
    lines = [f"listening-ip={server.host}", f"listening-port={server.port}", "log-level=debug",
             *relay_lines(secret)]
    number = None
    if broken_line is not None:
        lines.insert(4, broken_line)
        number = 5
    server.config_path.write_text("".join(f"{line}\n" for line in lines))
    return number


def allocated_client(server, username: str, password: str, peer) -> tc.TurnClient:
    client = tc.TurnClient(server.address, username, password)
    try:
        client.allocate()
        msg = client.channel_bind(CHANNEL, peer.address)
        assert msg.cls == stun.CLASS_SUCCESS, f"ChannelBind: {tc.describe(msg)}"
    except BaseException:
        client.close()
        raise
    return client


def assert_allocate_code(server, username: str, password: str, code: int, what: str) -> None:
    with tc.TurnClient(server.address, username, password) as client:
        msg = client.allocate(check=False)
        assert msg.cls == stun.CLASS_ERROR and msg.error_code()[0] == code, \
            f"{what}: expected {code}, got {tc.describe(msg)}"


def assert_allocate_ok(server, username: str, password: str, what: str) -> None:
    with tc.TurnClient(server.address, username, password) as client:
        msg = client.allocate(check=False)
        assert msg.cls == stun.CLASS_SUCCESS, f"{what}: expected success, got {tc.describe(msg)}"
        client.refresh(0)


# --- 1. live metrics ----------------------------------------------------------------

TRAFFIC_COUNTERS = ["turn_total_traffic_peer_sentp", "turn_total_traffic_peer_sentb",
                    "turn_total_traffic_peer_rcvp", "turn_total_traffic_peer_rcvb",
                    "turn_total_traffic_rcvp", "turn_total_traffic_rcvb",
                    "turn_total_traffic_sentp", "turn_total_traffic_sentb"]


def scrape_when(port: int, done, timeout: float = 3.0) -> dict:
    """Scrapes until `done(samples)` holds or `timeout` passes (bounded); the last samples."""
    deadline = time.monotonic() + timeout
    while True:
        samples, _ = scrape(port)
        if done(samples) or time.monotonic() > deadline:
            return samples
        time.sleep(0.1)


def test_metrics_are_live_during_a_session(turngate, tmp_path, echo_peer):
    secret = new_secret("static")
    server = start_with_metrics(turngate, tmp_path, secret, gateway=False)
    username, password = rest_credential(secret)
    with allocated_client(server, username, password, echo_peer) as client:
        relay_round_trips(client, CHANNEL, 3)
        # The relay adds its traffic to the counters once a second: let the first 3 land.
        first = scrape_when(server.metrics_port, lambda m: m.get("turn_total_traffic_peer_sentp", 0) >= 3)
        relay_round_trips(client, CHANNEL, 10)
        second = scrape_when(server.metrics_port,
                             lambda m: m.get("turn_total_traffic_sentp", 0) - first.get("turn_total_traffic_sentp", 0) >= 10)
        assert second["turn_allocations_active"] == 1, "the allocation must still be live"
        for name in TRAFFIC_COUNTERS:
            assert second[name] > first.get(name, 0), \
                f"{name} did not advance between two scrapes during the session: {first.get(name)} -> {second[name]}"
        for name in ("turn_total_traffic_peer_sentp", "turn_total_traffic_rcvp",
                     "turn_total_traffic_peer_rcvp", "turn_total_traffic_sentp"):
            assert second[name] - first[name] == 10, f"{name}: {first[name]} -> {second[name]}, 10 packets relayed"
        client.refresh(0)
    for name in ("process_resident_memory_bytes", "process_open_fds", "process_max_fds",
                 "process_start_time_seconds"):
        assert second.get(name, 0) > 0, f"{name} missing or not positive: {second.get(name)}"
    assert second["process_open_fds"] < second["process_max_fds"]


# --- 2. metric names used by deploy/ ------------------------------------------------

PROMQL_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
                   "group_right", "offset", "bool", "inf", "nan", "atan2", "le"}
PROMETHEUS_GENERATED = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}


def promql_metric_names(expr: str) -> set:
    """Metric names in a PromQL expression (or Grafana's label_values(metric, label))."""
    text = re.sub(r"\$\{[^}]*\}|\$\w+", "1m", expr)                  # Grafana variables
    text = re.sub(r"label_values\(\s*([^,()]+?)\s*,\s*\w+\s*\)", r"\1", text)
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', text)  # strings
    text = re.sub(r"\{[^{}]*\}", " ", text)                           # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)                           # ranges, subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\boffset\s+\w+", " ", text)
    text = re.sub(r"(?<![\w.])\d[\w.]*", " ", text)                   # numbers, 2e9, durations
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        name = match.group(0)
        if text[match.end():].lstrip().startswith("("):
            continue                                                 # a function
        if name.lower() in PROMQL_KEYWORDS:
            continue
        names.add(name)
    return names


def promql_label_values(expr: str) -> set:
    """(metric, label, value) for each literal value a selector matches with = or !=, or with
    =~ when the regex is plain words joined by |; Grafana variables and job/instance are skipped."""
    found = set()
    for metric, matchers in re.findall(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^{}]*)\}", expr):
        for label, op, value in re.findall(r'(\w+)\s*(=~|!=|=)\s*"((?:[^"\\]|\\.)*)"', matchers):
            if label in ("job", "instance") or "$" in value:
                continue
            if op != "=~":
                found.add((metric, label, value))
            elif all(re.fullmatch(r"[\w/-]+", alt) for alt in value.split("|")):
                found.update((metric, label, alt) for alt in value.split("|"))
    return found


def dashboard_expressions(dashboard: dict) -> list:
    exprs = []

    def walk(panels):
        for panel in panels:
            exprs.extend(t["expr"] for t in panel.get("targets", []) if t.get("expr"))
            walk(panel.get("panels", []))

    walk(dashboard.get("panels", []))
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            exprs.append(query.get("query") if isinstance(query, dict) else query)
    return [e for e in exprs if e]


def alert_expressions(rules: dict) -> list:
    exprs = []
    for group in rules["groups"]:
        for rule in group["rules"]:
            exprs.append(str(rule["expr"]))
    return exprs


def test_deploy_files_parse_and_use_only_real_metrics(turngate, tmp_path, echo_peer):
    dashboard = json.loads(DASHBOARD.read_text())
    rules = yaml.safe_load(ALERTS.read_text())
    assert isinstance(rules.get("groups"), list) and rules["groups"]
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert rule.get("alert") and rule.get("expr") and rule.get("for") is not None, rule
            assert rule.get("labels", {}).get("severity"), f"{rule['alert']}: no severity label"
            assert {"summary", "description"} <= set(rule.get("annotations", {})), \
                f"{rule['alert']}: summary and description annotations expected"
    assert 35 <= dashboard.get("schemaVersion", 0) <= 41

    referenced = {}
    label_values = set()
    for source, exprs in (("dashboard", dashboard_expressions(dashboard)), ("alerts", alert_expressions(rules))):
        assert exprs, f"no expressions found in the {source}"
        for expr in exprs:
            for name in promql_metric_names(expr) - PROMETHEUS_GENERATED:
                referenced.setdefault(name, set()).add(source)
            label_values |= {v for v in promql_label_values(expr) if v[0] not in PROMETHEUS_GENERATED}
    assert len(referenced) >= 20, f"suspiciously few metric names parsed: {sorted(referenced)}"

    # Traffic that creates the families that appear only after first use.
    secret = new_secret("static")
    server = start_with_metrics(turngate, tmp_path, secret)
    username, password = rest_credential(secret)
    with allocated_client(server, username, password, echo_peer) as client:
        relay_round_trips(client, CHANNEL, 5)
        client.send_indication(echo_peer.address, b"indication")
        assert client.recv_data(timeout=2) is not None
        client.refresh(0)
    assert_allocate_code(server, username, "wrong-password", 401, "a wrong password")
    assert http_get(server.api_port, "/healthz")[0] == 200
    assert http_get(server.api_port, "/v1/turn/credentials", method="POST")[0] == 401
    now = int(time.time())
    token = hs256_jwt({"sub": "ops-user", "iat": now, "exp": now + 300}, server.jwt_secret)
    status, body = http_get(server.api_port, "/v1/turn/credentials", method="POST",
                            headers={"Authorization": f"Bearer {token}"})
    assert status == 200, f"mint with a valid HS256 token: {status} {body[:300]}"
    SECRETS.add(json.loads(body)["password"])

    relay_samples, relay_families = scrape(server.metrics_port)
    gateway_samples, gateway_families = scrape(server.api_port)
    exported = relay_families | gateway_families
    missing = {}
    for name, sources in sorted(referenced.items()):
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in exported and base not in exported:
            missing[name] = sorted(sources)
    assert not missing, (f"metric names used in deploy/ but not exported by turngate: {missing}\n"
                         f"exported: {sorted(exported)}")

    # The label values the selectors name (reason="server_capacity", route!="/readyz"...) exist.
    def family(name: str) -> str:
        return re.sub(r"_(bucket|sum|count)$", "", name)

    series = [(name.split("{", 1)[0], dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', name)))
              for name in list(relay_samples) + list(gateway_samples)]
    unknown = sorted(f'{metric}{{{label}="{value}"}}' for metric, label, value in label_values
                     if not any(labels.get(label) == value and family(name) == family(metric)
                                for name, labels in series))
    assert not unknown, f"label values used in deploy/ that no exported series has: {unknown}"


# --- 3. and 4. SIGHUP ----------------------------------------------------------------

def test_sighup_rotates_the_static_auth_secret(turngate, echo_peer):
    old, new = new_secret("old"), new_secret("new")
    server = start(turngate, relay_lines(old))
    username, password = rest_credential(old)
    with allocated_client(server, username, password, echo_peer) as client:
        relay_round_trips(client, CHANNEL, 3)
        rewrite_config(server, new)
        signal_and_wait(server, signal.SIGHUP, "configuration reloaded")
        relay_round_trips(client, CHANNEL, 5)   # the allocation made before the reload relays on
        assert_allocate_ok(server, *rest_credential(new), "Allocate with the new secret's credential")
        assert_allocate_code(server, *rest_credential(old), 401,
                             "Allocate with a credential of the old secret minted after the reload")
        relay_round_trips(client, CHANNEL, 2)
    assert server.alive()


def test_sighup_with_a_broken_file_keeps_the_running_configuration(turngate, echo_peer):
    old, new = new_secret("old"), new_secret("new")
    server = start(turngate, relay_lines(old))
    line = rewrite_config(server, new, broken_line="listening-port=notaport")
    signal_and_wait(server, signal.SIGHUP, "reload refused")
    output = server.output()
    diagnostics = [text for text in output.splitlines()
                   if re.search(rf"\bline {line}: error\b", text) and "listening-port" in text]
    assert diagnostics, f"no error diagnostic naming line {line} (listening-port) in the log:\n{output}"
    assert "configuration reloaded" not in output
    assert server.alive()
    assert_allocate_ok(server, *rest_credential(old), "Allocate with the running (old) secret")
    assert_allocate_code(server, *rest_credential(new), 401,
                         "Allocate with the secret of the refused file")


# --- 5. drain ------------------------------------------------------------------------

def test_sigusr1_drains_then_exits_when_the_last_allocation_ends(turngate, echo_peer):
    secret = new_secret("static")
    server = start(turngate, relay_lines(secret))
    username, password = rest_credential(secret)
    with allocated_client(server, username, password, echo_peer) as client:
        relay_round_trips(client, CHANNEL, 3)
        signal_and_wait(server, signal.SIGUSR1, "draining")
        assert_allocate_code(server, *rest_credential(secret, "bob"), 508, "Allocate while draining")
        relay_round_trips(client, CHANNEL, 5)
        time.sleep(0.5)
        assert server.alive(), f"exited while an allocation was live\n{server.logs()}"
        msg = client.refresh(0)
        assert msg.cls == stun.CLASS_SUCCESS, f"Refresh LIFETIME 0: {tc.describe(msg)}"
    started = time.monotonic()
    rc = server.wait_exit(EXIT_WAIT)
    assert rc is not None, f"still running {EXIT_WAIT} s after the last allocation ended\n{server.logs()}"
    assert rc == 0, f"exit status {rc} after the drain\n{server.logs()}"
    assert time.monotonic() - started < EXIT_WAIT


# --- 6. JSON logs and secrets ----------------------------------------------------------

def test_json_logs_and_no_secrets_in_any_log(turngate, tmp_path, echo_peer):
    secret = new_secret("static")
    server = start_with_metrics(turngate, tmp_path, secret, extra=["log-format=json"])
    username, password = rest_credential(secret)
    with allocated_client(server, username, password, echo_peer) as client:
        relay_round_trips(client, CHANNEL, 4)
        msg = client.refresh(0)
        assert msg.cls == stun.CLASS_SUCCESS, tc.describe(msg)
    wrong = new_secret("wrong-password")
    assert_allocate_code(server, username, wrong, 401, "a wrong password")
    now = int(time.time())
    token = hs256_jwt({"sub": "ops-log", "iat": now, "exp": now + 300}, server.jwt_secret)
    status, body = http_get(server.api_port, "/v1/turn/credentials", method="POST",
                            headers={"Authorization": f"Bearer {token}"})
    assert status == 200, f"{status} {body[:300]}"
    SECRETS.add(json.loads(body)["password"])
    assert http_get(server.api_port, "/v1/turn/credentials", method="POST",
                    headers={"Authorization": f"Bearer {token[:-4]}AAAA"})[0] == 401
    wait_for_log(server, "allocation ended", 0)
    assert server.stop() == 0

    records = []
    for path in (server.stdout_path, server.stderr_path):
        for number, line in enumerate(Path(path).read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise AssertionError(f"{path.name} line {number} is not JSON: {line!r}") from None
            assert isinstance(record, dict), f"{path.name} line {number}: {line!r}"
            records.append(record)
    created = [r for r in records if r.get("message") == "allocation created"]
    ended = [r for r in records if r.get("message") == "allocation ended"]
    assert created and ended, f"no allocation lifecycle lines in {len(records)} records"
    mine = [r for r in ended if r.get("turn.username") == username]
    assert len(mine) == 1, f"one 'allocation ended' for {username} expected: {ended}"
    totals = {key: mine[0].get(key) for key in ("turn.traffic.to_peers.packets", "turn.traffic.to_peers.bytes",
                                                  "turn.traffic.to_client.packets", "turn.traffic.to_client.bytes")}
    assert totals["turn.traffic.to_peers.packets"] == "4" and totals["turn.traffic.to_client.packets"] == "4", totals
    assert all(value is not None and int(value) > 0 for value in totals.values()), totals

    # Every server of this module, this one included, at debug level.
    leaked = []
    for each in SERVERS:
        text = each.output()
        for value in sorted(SECRETS):
            forms = {value, value.replace("/", "\\/"), value.replace("+", "%2B").replace("/", "%2F")}
            if any(form in text for form in forms):
                leaked.append(f"{each.name}: {value[:10]}...")
    assert not leaked, f"secrets or passwords in the logs (first characters shown): {leaked}"
