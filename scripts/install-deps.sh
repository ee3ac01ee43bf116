#!/usr/bin/env bash
# Installs what TurnGate needs on Debian 12, only what is missing; fast when all is there.
#   scripts/install-deps.sh run    what `make run` needs (build libraries)
#   scripts/install-deps.sh test   also the test tools: coturn's turnutils_*, redis-server, pytest
# Needs root (or sudo) only when something is missing. Starts no daemon: the coturn and
# redis-server services that the packages may bring are stopped and disabled again.
set -euo pipefail

mode="${1:-test}"
case "$mode" in
    run|test) ;;
    *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="Tests/Interop/requirements.txt"

log() { echo "install-deps: $*"; }

# --- what is needed ------------------------------------------------------------

# The Swift toolchain is not a Debian package: it must be at /opt/swift or on PATH.
if ! command -v swift >/dev/null 2>&1 && [ ! -x /opt/swift/usr/bin/swift ]; then
    log "error: no Swift toolchain (expected /opt/swift/usr/bin/swift or swift on PATH)" >&2
    exit 1
fi

# What the Swift toolchain and SwiftPM themselves need on Debian 12, then our own libraries.
apt_wanted=(git binutils gcc libc6-dev libstdc++-12-dev libgcc-12-dev pkg-config zlib1g-dev
            libsqlite3-0 libxml2-dev libedit2 libncurses-dev libpython3-dev tzdata make
            libssl-dev libhiredis-dev liburing-dev libsqlite3-dev)
if [ "$mode" = test ]; then
    apt_wanted+=(coturn redis-server python3 chromium openssl)
fi

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

missing=()
for pkg in "${apt_wanted[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if [ "$mode" = test ]; then
    # Belt and braces: the tools the tests call must really be there.
    for cmd in turnutils_stunclient turnutils_uclient turnutils_peer; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            installed coturn && log "warning: coturn is installed but $cmd is missing" >&2
            [[ " ${missing[*]-} " == *" coturn "* ]] || missing+=(coturn)
        fi
    done
    command -v redis-server >/dev/null 2>&1 || [[ " ${missing[*]-} " == *" redis-server "* ]] \
        || missing+=(redis-server)
fi

python_missing=0
if [ "$mode" = test ]; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        python_missing=1
    elif ! "$PYTHON" - "$REQUIREMENTS" <<'EOF' >/dev/null 2>&1
import importlib.metadata as md, re, sys
import pytest  # noqa: F401  (the one the Makefile runs)
for line in open(sys.argv[1]):
    name = re.split(r"[\s<>=!~;\[]", line.strip(), maxsplit=1)[0]
    if name and not name.startswith("#"):
        md.distribution(name)  # raises PackageNotFoundError when missing
EOF
    then
        python_missing=1
    fi
    if [ "$python_missing" = 1 ] && ! { command -v "$PYTHON" >/dev/null 2>&1 \
            && "$PYTHON" -m pip --version >/dev/null 2>&1; }; then
        installed python3-pip || missing+=(python3-pip)
    fi
fi

if [ "${#missing[@]}" -eq 0 ] && [ "$python_missing" = 0 ]; then
    log "all present ($mode)"
    exit 0
fi

# --- installing ------------------------------------------------------------------

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
        log "error: need root to install: ${missing[*]}" >&2; exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

# apt-get, retried politely (bounded) while another apt/dpkg holds its locks.
apt_retry() {
    local try
    for try in $(seq 1 30); do
        if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" "$@"; then
            return 0
        fi
        if [ "$try" -lt 30 ]; then
            log "apt-get $1 failed (try $try/30); another apt may hold the lock: waiting 10 s" >&2
            sleep 10
        fi
    done
    return 1
}

service_running() {
    local svc="$1" bin="$2"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        systemctl is-active --quiet "$svc" && return 0
    fi
    command -v pidof >/dev/null 2>&1 && pidof "$bin" >/dev/null 2>&1
}

# Stop and disable a packaged daemon: systemd if it runs, else the init script.
stop_service() {
    local svc="$1" bin="$2"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        "${SUDO[@]}" systemctl stop "$svc" >/dev/null 2>&1 || true
        "${SUDO[@]}" systemctl disable "$svc" >/dev/null 2>&1 || true
    elif command -v service >/dev/null 2>&1 && [ -x "/etc/init.d/$svc" ]; then
        "${SUDO[@]}" service "$svc" stop >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$svc" ]; then
        "${SUDO[@]}" "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    fi
    command -v update-rc.d >/dev/null 2>&1 && { "${SUDO[@]}" update-rc.d "$svc" disable >/dev/null 2>&1 || true; }
    local i
    for i in $(seq 1 20); do
        service_running "$svc" "$bin" || return 0
        sleep 0.25
    done
    log "warning: $svc ($bin) still seems to run; tests use their own ports, but check it" >&2
}

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    # Keep packaged daemons (coturn on 3478, redis on 6379) from starting during the
    # install, unless the machine already has its own policy.
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
        "${SUDO[@]}" chmod 755 "$policy"
        made_policy=1
    fi
    cleanup_policy() { [ "$made_policy" = 1 ] && "${SUDO[@]}" rm -f "$policy"; return 0; }
    trap cleanup_policy EXIT

    apt_retry update -q
    apt_retry install -y -q --no-install-recommends "${missing[@]}"

    cleanup_policy
    trap - EXIT

    for pair in coturn:turnserver redis-server:redis-server; do
        pkg="${pair%%:*}" bin="${pair#*:}"
        if [[ " ${missing[*]} " == *" $pkg "* ]]; then
            stop_service "$pkg" "$bin"
        fi
    done
fi

if [ "$python_missing" = 1 ]; then
    log "installing Python packages from $REQUIREMENTS"
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1
    if ! "$PYTHON" -m pip install -q -r "$REQUIREMENTS"; then
        # Debian's own python3 is "externally managed" (PEP 668).
        log "retrying pip with --break-system-packages"
        "$PYTHON" -m pip install -q --break-system-packages -r "$REQUIREMENTS"
    fi
    "$PYTHON" -c 'import pytest' || { log "error: pytest still not importable by $PYTHON" >&2; exit 1; }
fi

log "done ($mode)"
