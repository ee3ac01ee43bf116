"""The Kubernetes manifests of deploy/kubernetes/: the base and the Redis overlay.

1. Every object validates, in strict mode (an unknown field fails), against the newest
   Kubernetes API schema that kubernetes-validate ships (offline: the schemas are in the
   package). The overlay is rendered here with the part of kustomize that the layout uses
   (resources, namespace, strategic-merge patches: maps merged key by key, containers, env
   and volumes merged by name); with kubectl on PATH, `kubectl kustomize` must agree. The
   Secret in the repository holds placeholders only.
2. Each kustomization.yaml lists every file of its folder, and every entry exists.
3. The DaemonSet and its config agree: every ${NAME} of turnserver.conf is set by the
   container's env, every secretKeyRef and mounted item exists, every `*-file` path is a
   mounted Secret item; `turngate check-config --strict` accepts the file (so it has no
   warning either), with its variables set to test values and its files written to tmp.
4. Probes, containerPorts (hostPort equal), the scrape annotations and the grace period
   match the config's ports and drain-timeout; a server started from the base config (made
   local: free ports, tmp files, 127.0.0.1, a JWKS served here) answers both probes with 200
   and logs no warning on the way, and the preStop command, pointed at that server's pid,
   drains it (exit 0: no allocation left). The overlay's server starts with a private Redis
   that requires the password the config reads from ${REDIS_PASSWORD}.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import ed25519

import jwtutil
from conftest import RELAY_ENGINE, REPO_ROOT, free_port, server_kind
from redisproc import RedisServer, RespClient
from test_gateway import jwks_server  # noqa: F401 (a fixture: a JWKS over HTTP on 127.0.0.1)
from test_operations import wait_for_log, wait_http

# The subject is not the UDP data path: `make test` runs this module with the first engine only.
RELAY_ENGINE_INDEPENDENT = True

MANIFESTS = REPO_ROOT / "deploy" / "kubernetes"
BASE = MANIFESTS / "base"
OVERLAY = MANIFESTS / "overlays" / "redis"
DIRECTORIES = {"base": BASE, "redis": OVERLAY}
NAMESPACE = "turngate"
# The kustomization fields that render() implements; any other one must fail, not be ignored.
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "namespace", "resources", "patches"}
# Lists that a strategic-merge patch merges item by item (Kubernetes' patchMergeKey); other
# lists are replaced whole, as Kubernetes does for lists without a merge strategy.
MERGE_KEYS = {"containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
              "volumeMounts": "mountPath"}
EXPECTED = {("ConfigMap", "turngate-config"), ("Secret", "turngate-secrets"),
            ("DaemonSet", "turngate"), ("Service", "turngate-gateway"),
            ("PodDisruptionBudget", "turngate")}
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
RUN_TIMEOUT = 15
WAIT = 10.0

turngate_only = pytest.mark.skipif(server_kind() != "turngate",
                                   reason="the manifests run TurnGate (check-config, drain)")


# --- rendering ----------------------------------------------------------------------

def documents(path: Path) -> list:
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def kustomization(directory: Path) -> dict:
    (doc,) = documents(directory / "kustomization.yaml")
    return doc


def strategic_merge(target, patch, field: str = ""):
    if isinstance(target, dict) and isinstance(patch, dict):
        merged = copy.deepcopy(target)
        for key, value in patch.items():
            assert not str(key).startswith("$") and value is not None, \
                f"patch directive or deletion at {key!r} is not implemented by this test"
            merged[key] = strategic_merge(target[key], value, key) if key in target else copy.deepcopy(value)
        return merged
    if isinstance(target, list) and isinstance(patch, list) and field in MERGE_KEYS:
        # As kustomize orders them: the patch's new items first, then the target's, merged.
        key = MERGE_KEYS[field]
        patches = {item[key]: item for item in patch}
        new = [copy.deepcopy(item) for item in patch if item[key] not in {old[key] for old in target}]
        return new + [strategic_merge(old, patches[old[key]]) if old[key] in patches else copy.deepcopy(old)
                      for old in target]
    return copy.deepcopy(patch)


def identity(obj: dict) -> tuple:
    return obj["apiVersion"], obj["kind"], obj["metadata"]["name"]


def render(directory: Path) -> list:
    """The objects `kubectl apply -k directory` would send, for the fields this layout uses."""
    k = kustomization(directory)
    unknown = set(k) - KUSTOMIZATION_FIELDS
    assert not unknown, f"{directory}/kustomization.yaml uses {sorted(unknown)}, which render() does not implement"
    objects = []
    for entry in k.get("resources", []):
        path = directory / entry
        objects += render(path) if path.is_dir() else documents(path)
    for entry in k.get("patches", []):
        assert set(entry) == {"path"}, f"{directory}: patch {entry} (only `path:` patches are implemented)"
        for patch in documents(directory / entry["path"]):
            at = [i for i, obj in enumerate(objects) if identity(obj) == identity(patch)]
            assert len(at) == 1, f"{entry['path']} targets {identity(patch)}, found {len(at)} times"
            objects[at[0]] = strategic_merge(objects[at[0]], patch)
    if "namespace" in k:
        for obj in objects:
            obj["metadata"]["namespace"] = k["namespace"]
    return objects


def find(objects: list, kind: str, name: str) -> dict:
    (obj,) = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    return obj


def container(objects: list) -> dict:
    (c,) = find(objects, "DaemonSet", "turngate")["spec"]["template"]["spec"]["containers"]
    return c


def config_text(objects: list) -> str:
    return find(objects, "ConfigMap", "turngate-config")["data"]["turnserver.conf"]


def config_values(text: str) -> dict:
    """key -> list of values (flags: ""), in coturn's `key=value` / `key value` syntax."""
    values: dict = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = (re.split(r"\s*=\s*|\s+", line, maxsplit=1) + [""])[:2]
            values.setdefault(key, []).append(value.strip('"'))
    return values


def one(values: dict, key: str) -> str:
    assert len(values.get(key, [])) == 1, f"turnserver.conf: expected one {key}, got {values.get(key)}"
    return values[key][0]


def mounted_items(objects: list) -> dict:
    """Path in the container -> (kind, object name, key), for ConfigMap and Secret items."""
    spec = find(objects, "DaemonSet", "turngate")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    items = {}
    for mount in container(objects)["volumeMounts"]:
        volume = volumes[mount["name"]]
        for kind, source, name_field in (("ConfigMap", "configMap", "name"), ("Secret", "secret", "secretName")):
            if source in volume:
                for item in volume[source]["items"]:
                    items[f"{mount['mountPath']}/{item['path']}"] = (kind, volume[source][name_field], item["key"])
    return items


def secret_keys(objects: list) -> set:
    secret = find(objects, "Secret", "turngate-secrets")
    return set(secret.get("stringData", {})) | set(secret.get("data", {}))


# --- 1, 2: schema and kustomization ---------------------------------------------------

@pytest.mark.parametrize("which", DIRECTORIES)
def test_every_object_validates_strictly(which):
    objects = render(DIRECTORIES[which])
    assert {(o["kind"], o["metadata"]["name"]) for o in objects} == EXPECTED
    stored = find(objects, "Secret", "turngate-secrets").get("stringData", {})
    assert stored and all(value == "replace-me" for value in stored.values()), \
        f"the Secret in the repository holds placeholders only: {sorted(stored)}"
    assert all(o["metadata"].get("namespace") == NAMESPACE for o in objects), \
        [(identity(o), o["metadata"].get("namespace")) for o in objects]
    version = kubernetes_validate.latest_version()
    assert tuple(map(int, version.split(".")[:2])) >= (1, 33), f"kubernetes-validate ships schemas up to {version} only"
    failures = []
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            failures.append(f"{identity(obj)} at {'.'.join(map(str, e.path))}: {e.message}")
        except kubernetes_validate.SchemaNotFoundError as e:
            failures.append(f"{identity(obj)}: {e.message}")
    assert not failures, f"against Kubernetes {version}:\n" + "\n".join(failures)
    # Strict really is strict: the same DaemonSet with one unknown field is refused.
    bad = copy.deepcopy(find(objects, "DaemonSet", "turngate"))
    bad["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGett"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, version, strict=True)


@pytest.mark.parametrize("which", DIRECTORIES)
def test_rendering_matches_kubectl_kustomize(which):
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("kubectl is not on PATH")
    result = subprocess.run([kubectl, "kustomize", str(DIRECTORIES[which])], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    theirs = {identity(o): o for o in yaml.safe_load_all(result.stdout) if o}
    ours = {identity(o): o for o in render(DIRECTORIES[which])}
    assert theirs.keys() == ours.keys()
    for key, obj in ours.items():
        assert obj == theirs[key], f"{key}: ours\n{yaml.safe_dump(obj)}\nkubectl's\n{yaml.safe_dump(theirs[key])}"


@pytest.mark.parametrize("which", DIRECTORIES)
def test_kustomization_lists_every_file_and_every_entry_exists(which):
    directory = DIRECTORIES[which]
    k = kustomization(directory)
    entries = list(k.get("resources", [])) + [p["path"] for p in k.get("patches", [])]
    missing = [e for e in entries if not (directory / e).is_file()
               and not (directory / e / "kustomization.yaml").is_file()]
    assert not missing, f"{directory}/kustomization.yaml lists missing entries: {missing}"
    files = {p.name for p in directory.iterdir() if p.is_file() and p.name != "kustomization.yaml"}
    listed = {e for e in entries if (directory / e).is_file()}
    assert files == listed, f"{directory}: files not listed {sorted(files - listed)}"


# --- 3: the DaemonSet and its config ------------------------------------------------------

@pytest.mark.parametrize("which", DIRECTORIES)
def test_config_references_resolve_in_the_daemonset(which):
    objects = render(DIRECTORIES[which])
    c = container(objects)
    text = config_text(objects)
    env = {e["name"]: e for e in c["env"]}
    assert set(ENV_REFERENCE.findall(text)) <= env.keys(), \
        f"variables the config uses but the container lacks: {set(ENV_REFERENCE.findall(text)) - env.keys()}"
    for e in env.values():
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == "turngate-secrets" and ref["key"] in secret_keys(objects), e
    items = mounted_items(objects)
    assert ("ConfigMap", "turngate-config", "turnserver.conf") == items.get(c["command"][-1]), \
        f"the command reads {c['command'][-1]}, which is not the mounted turnserver.conf: {items}"
    for key, values in config_values(text).items():
        if key.endswith("-file"):
            for path in values:
                kind, name, item = items.get(path, (None, None, None))
                assert kind == "Secret" and item in secret_keys(objects), f"{key}={path} is not a mounted Secret item"


def test_overlay_config_is_the_base_config_plus_cluster_lines():
    base, overlay = config_text(render(BASE)), config_text(render(OVERLAY))
    assert overlay.startswith(base), "overlays/redis/configmap-patch.yaml must start with the base turnserver.conf, " \
        "line for line (it replaces the whole file)"
    added = set(config_values(overlay[len(base):]))
    assert {"redis-userdb", "redis-statsdb"} <= added, added


def local_files(objects: list, tmp_path: Path) -> dict:
    """Each `*-file` path of the config -> a test copy in tmp_path."""
    contents = {"nonce-key": secrets.token_hex(32), "admin-token": secrets.token_urlsafe(32)}
    copies = {}
    for path, (_, _, key) in mounted_items(objects).items():
        if key in contents:
            copies[path] = tmp_path / key
            copies[path].write_text(contents[key] + "\n")
    return copies


def rewrite(text: str, replace: dict, copies: dict) -> list:
    """The config's lines with `replace` (key -> new value, or None to drop the line) applied
    and `*-file` paths pointed at their copies."""
    lines = []
    for line in text.splitlines():
        key = re.split(r"[\s=]", line.strip(), maxsplit=1)[0]
        if key in replace:
            if replace[key] is not None:
                lines.append(f"{key}={replace[key]}")
            continue
        for path, copy_path in copies.items():
            line = line.replace(path, str(copy_path))
        lines.append(line)
    return lines


def variables(which: str, node_ip: str = "127.0.0.1") -> dict:
    """Test values of the environment the DaemonSet gives the server."""
    return {"NODE_IP": node_ip, "TURN_STATIC_AUTH_SECRET": "rest-" + secrets.token_hex(20),
            "NODE_NAME": f"k8s-node-{which}", "REDIS_PASSWORD": "redis-" + secrets.token_hex(12)}


@turngate_only
@pytest.mark.parametrize("which", DIRECTORIES)
def test_check_config_accepts_the_configmap(which, turngate_bin, tmp_path):
    objects = render(DIRECTORIES[which])
    config = tmp_path / "turnserver.conf"
    config.write_text("\n".join(rewrite(config_text(objects), {}, local_files(objects, tmp_path))) + "\n")
    # external-ip=auto wants a public relay address: a node's, here one that check-config
    # never binds (203.0.114.0/24 is ordinary public space, not a documentation block).
    env = {**os.environ, **variables(which, node_ip="203.0.114.10")}
    result = subprocess.run([str(turngate_bin), "check-config", "--strict", "-c", str(config)],
                            env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert result.returncode == 0, \
        f"check-config --strict: exit {result.returncode}\n{result.stdout}\n{result.stderr}\n--- config:\n{config.read_text()}"


# --- 4: probes, ports, drain ------------------------------------------------------------

def test_manifest_ports_probes_and_grace_period_match_the_config():
    objects = render(BASE)
    c = container(objects)
    pod = find(objects, "DaemonSet", "turngate")["spec"]["template"]
    values = config_values(config_text(objects))
    listening, api, metrics = (int(one(values, k)) for k in ("listening-port", "api-listening-port", "prometheus-port"))
    expected = {(listening, "UDP"), (listening, "TCP"), (api, "TCP"), (metrics, "TCP")}
    if "tls-listening-port" in values:
        expected.add((int(one(values, "tls-listening-port")), "TCP"))
    ports = c["ports"]
    assert {(p["containerPort"], p.get("protocol", "TCP")) for p in ports} == expected and len(ports) == len(expected)
    assert all(p.get("hostPort") == p["containerPort"] for p in ports), ports
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = c[probe]["httpGet"]
        assert get["path"] == path and get["port"] == api and get.get("scheme", "HTTP") == "HTTP", (probe, get)
    gateway = find(objects, "Service", "turngate-gateway")["spec"]["ports"]
    named = {p.get("name"): p["containerPort"] for p in ports}
    assert [named.get(p["targetPort"], p["targetPort"]) for p in gateway] == [api], gateway
    notes = pod["metadata"]["annotations"]
    assert (notes["prometheus.io/scrape"], notes["prometheus.io/port"], notes["prometheus.io/path"]) == \
        ("true", str(metrics), "/metrics"), notes
    assert "prometheus" in values and "drain-on-sigterm" in values
    drain_timeout = int(one(values, "drain-timeout"))
    assert pod["spec"]["terminationGracePeriodSeconds"] >= drain_timeout + 30, \
        "terminationGracePeriodSeconds must be drain-timeout + 30 (deploy/kubernetes/README.md)"
    assert c["lifecycle"]["preStop"]["exec"]["command"] == [c["command"][0], "drain", "--pid", "1"]


def start_local(turngate, tmp_path, monkeypatch, jwks, which: str, env: dict, replace: dict):
    """A server from the manifest's config with ports, files and addresses made local, and
    `env` for its ${NAME} references, ready (its probes answer 200). Its log up to then has
    no warning: the manifest's settings are complete (a JWT audience, no unlimited quota...)."""
    objects = render(DIRECTORIES[which])
    jwks.keys = [jwtutil.ed25519_jwk(ed25519.Ed25519PrivateKey.generate(), "k8s-test")]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    port, api = free_port(), free_port()
    low = random.randrange(20000, 32000 - 200, 2)   # below Linux's ephemeral ports
    replace = {"listening-port": port, "api-listening-port": api, "api-listening-ip": "127.0.0.1",
               "prometheus-port": free_port(), "min-port": low, "max-port": low + 199,
               # The identity provider's key set, served here (the gateway fetches it at start).
               "jwt-jwks-url": jwks.url,
               # `auto` refuses a relay address that is not public, and this one is loopback;
               # check-config checks the manifest's line with a public NODE_IP.
               "external-ip": None,
               # /run/turngate is the pod's emptyDir; here a folder of the test's.
               "pidfile": str(tmp_path / "turngate.pid"), **replace}
    lines = rewrite(config_text(objects), replace, local_files(objects, tmp_path))
    lines += ["listening-ip=127.0.0.1", "prometheus-address=127.0.0.1"]
    if RELAY_ENGINE:
        lines.append(f"relay-engine={RELAY_ENGINE}")
    server = turngate.start(lines, host="127.0.0.1", port=port, base_config=False)
    c = container(objects)
    for probe in ("livenessProbe", "readinessProbe"):
        wait_http(server, api, c[probe]["httpGet"]["path"], WAIT)
    assert jwks.fetch_count() >= 1, "the gateway did not fetch jwt-jwks-url"
    records = [json.loads(line) for line in server.output().splitlines() if line.strip()]   # log-format=json
    warnings = [r for r in records if r.get("level") not in ("trace", "debug", "info", "notice")]
    assert not warnings, "warnings at start:\n" + "\n".join(map(json.dumps, warnings))
    return objects, server, api


@turngate_only
def test_base_server_answers_the_probes_and_prestop_drains_it(turngate, turngate_bin, tmp_path, monkeypatch,
                                                              jwks_server):
    objects, server, _ = start_local(turngate, tmp_path, monkeypatch, jwks_server, "base", variables("base"), {})
    c = container(objects)
    result = subprocess.run([str(turngate_bin), "drain", "--help"], capture_output=True, text=True,
                            timeout=RUN_TIMEOUT)
    assert result.returncode == 0, f"turngate drain --help: exit {result.returncode}\n{result.stdout}{result.stderr}"
    command = c["lifecycle"]["preStop"]["exec"]["command"]
    argv = [str(turngate_bin), *command[1:-1], str(server.pid)]
    before = server.output().count("draining")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert result.returncode == 0, f"{argv}: exit {result.returncode}\n{result.stdout}{result.stderr}"
    wait_for_log(server, "draining", before, WAIT)
    # No allocation is left (drain-min-allocations=0): the pod ends long before its grace period.
    assert server.wait_exit(WAIT) == 0, f"exit {server.proc.poll()} after draining an idle node\n{server.logs()}"


@turngate_only
def test_overlay_server_authenticates_to_redis_with_the_secret(turngate, tmp_path, monkeypatch, jwks_server):
    env = variables("redis")
    redis = RedisServer(tmp_path).start()
    try:
        redis.command("CONFIG", "SET", "requirepass", env["REDIS_PASSWORD"])
        # The manifest's connection strings with the private server's address; the password
        # stays the config's own ${REDIS_PASSWORD} (a wrong one: no start without redis-optional).
        values = config_values(config_text(render(OVERLAY)))
        replace = {key: '"' + re.sub(r"\bhost=\S+ port=\d+", f"host=127.0.0.1 port={redis.port}", one(values, key)) + '"'
                   for key in ("redis-userdb", "redis-statsdb")}
        assert all("password=${REDIS_PASSWORD}" in value for value in replace.values()), replace
        _, server, _ = start_local(turngate, tmp_path, monkeypatch, jwks_server, "redis", env, replace)
        assert env["NODE_NAME"] in server.output(), f"node-id=${{NODE_NAME}} not in the log\n{server.logs()}"
        with RespClient(redis.port) as client:
            assert client.command("AUTH", env["REDIS_PASSWORD"]) == "OK"
            others = [line for line in client.command("CLIENT", "LIST").splitlines() if "cmd=client" not in line]
        assert len(others) >= 2, f"turngate holds {len(others)} Redis connections (userdb, statsdb expected)"
        assert server.stop() == 0, server.logs()
    finally:
        redis.stop()
