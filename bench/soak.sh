#!/usr/bin/env bash
# Soak and fault runs of a release turngate on loopback, driven by turngate-bench.
# Not part of `make test`: the full run takes about an hour.
#
# Phases (each against its own fresh turngate, in this order; SOAK_PHASES picks some):
#   hold    SOAK_HOLD_ALLOCATIONS (10,000) allocations held SOAK_MINUTES (30) minutes with a
#           trickle of traffic and a Refresh round every minute; the server's RSS is sampled
#           every SOAK_SAMPLE_SECONDS (10) into hold-rss.csv. Passes when every allocation
#           was set up and refreshed, and RSS after warm-up grows by less than SOAK_RSS_GROWTH_PCT.
#   churn   SOAK_CHURN_CYCLES (1,000,000) Allocate / Refresh(0) cycles, SOAK_CHURN_BATCH
#           (5,000) at a time; RSS before, after each batch (churn-rss.csv) and after. Passes
#           when every cycle succeeded, no allocation is left, and RSS after the first batch
#           grows by less than SOAK_RSS_GROWTH_PCT.
#   sighup  SOAK_SIGHUP_ALLOCATIONS (1,000) allocations held SOAK_SIGHUP_SECONDS (120) with a
#           Refresh round every 5 s, and a SIGHUP every second. Passes when no Refresh failed
#           (an allocation dropped by a reload fails its next Refresh with 437).
#   redis   cluster mode with a private redis-server: SOAK_REDIS_ALLOCATIONS (500) held
#           SOAK_REDIS_SECONDS (90); Redis killed (SIGKILL) at a third and restarted on the
#           same port at two thirds. Passes when the held allocations survive, the node
#           reports Redis down and then up again, and new allocations succeed afterwards.
#   nofile  the server's open-files limit lowered (prlimit) to just above what it holds:
#           Allocates and TCP connections beyond it fail while its CPU is measured (an
#           accept loop spinning at EMFILE shows here: more than SOAK_EMFILE_CPU_PCT (10) % of
#           a core fails), then the limit is restored and
#           SOAK_NOFILE_ALLOCATIONS (500) Allocates must all succeed.
#   ports   a relay port range of SOAK_PORTS (100) ports: SOAK_PORTS + 50 allocations leave
#           the rest refused (508); once they are released, no relay socket is left and a
#           second fill gets at least 95% of the range (ports are picked at random with a few
#           tries each, so a nearly full range is seldom filled to its last port).
#
# SOAK_SMOKE=1 shrinks every figure (a run of a few minutes) to check the script itself.
# Binaries: TURNGATE_BIN (.build/release/turngate), BENCH_BIN (.build/release/turngate-bench);
# build them with `swift build -c release --product turngate` and `... --product turngate-bench`.
# Output: SOAK_OUT (default $TMPDIR/turngate-soak-<UTC time>/) with summary.md, the CSV
# curves, the configs and every log (the server logs at `warning`, so a million allocations do
# not write a million lines). Exit status 1 when any check failed.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "${SOAK_SMOKE:-0}" = 1 ]; then
    : "${SOAK_HOLD_ALLOCATIONS:=1000}" "${SOAK_MINUTES:=1}" "${SOAK_SAMPLE_SECONDS:=5}"
    : "${SOAK_WARMUP_SECONDS:=15}" "${SOAK_CHURN_CYCLES:=20000}" "${SOAK_CHURN_BATCH:=5000}"
    : "${SOAK_SIGHUP_ALLOCATIONS:=200}" "${SOAK_SIGHUP_SECONDS:=15}"
    : "${SOAK_REDIS_ALLOCATIONS:=100}" "${SOAK_REDIS_SECONDS:=24}" "${SOAK_NOFILE_ALLOCATIONS:=200}"
fi
HOLD_ALLOCATIONS="${SOAK_HOLD_ALLOCATIONS:-10000}"
MINUTES="${SOAK_MINUTES:-30}"
SAMPLE_SECONDS="${SOAK_SAMPLE_SECONDS:-10}"
WARMUP_SECONDS="${SOAK_WARMUP_SECONDS:-120}"
RSS_GROWTH_PCT="${SOAK_RSS_GROWTH_PCT:-10}"
CHURN_CYCLES="${SOAK_CHURN_CYCLES:-1000000}"
CHURN_BATCH="${SOAK_CHURN_BATCH:-5000}"
SIGHUP_ALLOCATIONS="${SOAK_SIGHUP_ALLOCATIONS:-1000}"
SIGHUP_SECONDS="${SOAK_SIGHUP_SECONDS:-120}"
REDIS_ALLOCATIONS="${SOAK_REDIS_ALLOCATIONS:-500}"
REDIS_SECONDS="${SOAK_REDIS_SECONDS:-90}"
NOFILE_ALLOCATIONS="${SOAK_NOFILE_ALLOCATIONS:-500}"
PORTS="${SOAK_PORTS:-100}"
# CPU (% of a core) the idle server may use while connections wait at the open-files limit.
EMFILE_CPU_PCT="${SOAK_EMFILE_CPU_PCT:-10}"
PHASES="${SOAK_PHASES:-hold churn sighup redis nofile ports}"
# Relay ports below the kernel's ephemeral range, so the bench's own sockets never take them.
RELAY_MIN=21000
RELAY_MAX=31999

TURNGATE="${TURNGATE_BIN:-.build/release/turngate}"
BENCH="${BENCH_BIN:-.build/release/turngate-bench}"
OUT="${SOAK_OUT:-${TMPDIR:-/tmp}/turngate-soak-$(date -u +%Y-%m-%dT%H-%M-%SZ)}"

die() { echo "soak: $*" >&2; exit 2; }
[ -x "$TURNGATE" ] || die "$TURNGATE missing: swift build -c release --product turngate"
[ -x "$BENCH" ] || die "$BENCH missing: swift build -c release --product turngate-bench"
for tool in python3 curl jq prlimit ss; do command -v "$tool" >/dev/null || die "$tool not found"; done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# Copies, so that a rebuild during the run does not swap the binaries.
cp "$TURNGATE" "$OUT/turngate"
cp "$BENCH" "$OUT/turngate-bench"
TURNGATE="$OUT/turngate"
BENCH="$OUT/turngate-bench"
SUMMARY="$OUT/summary.md"
USER_NAME=soak
PASSWORD=soak-password
REALM=soak.test
FAILED=0
SERVER_PID=""
REDIS_PID=""
BACKGROUND=()

cleanup() {
    for pid in "${BACKGROUND[@]}" "$SERVER_PID" "$REDIS_PID"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

log() { echo "soak: $*" >&2; }
note() { echo "$*" | tee -a "$SUMMARY"; }
check() {  # check <description> <command...>: records PASS or FAIL
    local what="$1"; shift
    if "$@"; then note "- PASS: $what"; else note "- FAIL: $what"; FAILED=1; fi
}

free_port() {  # a port free for UDP and TCP on 127.0.0.1
    python3 - <<'EOF'
import socket
for _ in range(50):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        with socket.socket() as t:
            try:
                t.bind(("127.0.0.1", port))
            except OSError:
                continue
        print(port)
        break
EOF
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
alive() { kill -0 "$1" 2>/dev/null; }

metric() {  # metric <name with labels>: its value on the server's /metrics, or empty
    curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" |
        awk -v name="$1" '$1 == name {print $2 + 0; exit}'
}

binding_answered() {  # a STUN Binding request over UDP is answered with a success
    python3 - "$SERVER_PORT" <<'EOF'
import os, socket, struct, sys
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(1)
sock.bind(("127.0.0.1", 0))
txid = os.urandom(12)
for _ in range(3):
    sock.sendto(struct.pack("!HHI", 1, 0, 0x2112A442) + txid, ("127.0.0.1", int(sys.argv[1])))
    try:
        data = sock.recv(2048)
    except socket.timeout:
        continue
    if data[8:20] == txid and struct.unpack("!H", data[:2])[0] == 0x0101:
        sys.exit(0)
sys.exit(1)
EOF
}

start_server() {  # start_server <name> [extra config lines...]; sets SERVER_PID, SERVER_PORT, METRICS_PORT, CONFIG
    local name="$1"; shift
    SERVER_PORT=$(free_port)
    METRICS_PORT=$(free_port)
    CONFIG="$OUT/$name.conf"
    {
        echo "listening-ip=127.0.0.1"
        echo "listening-port=$SERVER_PORT"
        echo "relay-ip=127.0.0.1"
        echo "log-level=${SOAK_LOG_LEVEL:-warning}"
        echo "realm=$REALM"
        echo "allow-loopback-peers"
        echo "prometheus"
        echo "prometheus-port=$METRICS_PORT"
        echo "prometheus-address=127.0.0.1"
        echo "user-quota=100000"
        echo "total-quota=100000"
        echo "challenge-rate=0"
        for line in "$@"; do echo "$line"; done
    } >"$CONFIG"
    grep -q '^min-port=' "$CONFIG" || printf 'min-port=%s\nmax-port=%s\n' "$RELAY_MIN" "$RELAY_MAX" >>"$CONFIG"
    grep -q -e '^use-auth-secret' -e '^lt-cred-mech' "$CONFIG" ||
        printf 'lt-cred-mech\nuser=%s:%s\n' "$USER_NAME" "$PASSWORD" >>"$CONFIG"
    "$TURNGATE" -c "$CONFIG" >"$OUT/$name.turngate.log" 2>&1 &
    SERVER_PID=$!
    local tries=0
    until binding_answered && [ -n "$(metric turn_allocations_active)" ]; do
        alive "$SERVER_PID" || { cat "$OUT/$name.turngate.log" >&2; die "turngate ($name) exited at start"; }
        tries=$((tries + 1))
        [ "$tries" -lt 100 ] || die "turngate ($name) did not answer within 20 s"
        sleep 0.2
    done
    log "$name: turngate pid $SERVER_PID on 127.0.0.1:$SERVER_PORT, metrics on $METRICS_PORT"
}

stop_server() {  # SIGTERM; fails the phase unless it exits 0 within 10 s
    local name="$1" rc=0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do alive "$SERVER_PID" || break; sleep 0.1; done
    if alive "$SERVER_PID"; then
        kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
        check "$name: turngate exits within 10 s of SIGTERM" false
    else
        wait "$SERVER_PID" || rc=$?
        check "$name: turngate exits 0 after SIGTERM (got $rc)" [ "$rc" = 0 ]
    fi
    SERVER_PID=""
}

bench() {  # bench <mode> <json out> [args...]: runs turngate-bench against the server
    local mode="$1" json="$2"; shift 2
    "$BENCH" "$mode" --server "127.0.0.1:$SERVER_PORT" --json "$@" >"$json" 2>>"$OUT/bench.stderr.log" || true
    [ -s "$json" ] || echo '{}' >"$json"
}
bench_auth=(--user "$USER_NAME" --password "$PASSWORD")

jget() { jq -r "$1 // 0" "$2"; }

sample_rss() {  # sample_rss <csv> <interval>: background sampler of the server
    local csv="$1" interval="$2" start
    start=$(date +%s)
    echo "seconds,rss_kib,allocations_active,open_fds" >"$csv"
    while alive "$SERVER_PID"; do
        echo "$(( $(date +%s) - start )),$(rss_kib "$SERVER_PID"),$(metric turn_allocations_active),$(ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l)" >>"$csv"
        sleep "$interval"
    done
}

rss_growth() {  # rss_growth <csv> <warm-up seconds>: prints figures; fails when growth >= limit
    python3 - "$1" "$2" "$RSS_GROWTH_PCT" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["rss_kib"].isdigit() and int(r["rss_kib"]) > 0]
warm = float(sys.argv[2])
after = [r for r in rows if float(r["seconds"]) >= warm] or rows[-1:]
if not after:
    print("no samples"); sys.exit(1)
xs = [float(r["seconds"]) for r in after]
ys = [int(r["rss_kib"]) for r in after]
n = len(xs)
mx, my = sum(xs) / n, sum(ys) / n
var = sum((x - mx) ** 2 for x in xs)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else 0.0
growth = (ys[-1] - ys[0]) / ys[0] * 100
print(f"{len(rows)} samples; peak {max(int(r['rss_kib']) for r in rows)} KiB; after warm-up "
      f"({warm:.0f} s): first {ys[0]} KiB, last {ys[-1]} KiB, min {min(ys)}, max {max(ys)}, "
      f"growth {growth:+.1f}%, trend {slope * 60:+.1f} KiB/min")
sys.exit(0 if (max(ys) - ys[0]) / ys[0] * 100 < float(sys.argv[3]) else 1)
EOF
}

rss_growth_quiet() { rss_growth "$@" >/dev/null; }

relay_sockets() {  # relay_sockets <low> <high>: UDP sockets of the server bound in that port range
    ss -Huanp | awk -v low="$1" -v high="$2" -v pid="pid=$SERVER_PID," '
        index($0, pid) { n = split($4, a, ":"); port = a[n] + 0; if (port >= low && port <= high) count++ }
        END { print count + 0 }'
}

# --- phases ----------------------------------------------------------------------------

phase_hold() {
    note ""; note "## hold: $HOLD_ALLOCATIONS allocations for $MINUTES min"
    start_server hold
    local csv="$OUT/hold-rss.csv" json="$OUT/hold.json" seconds=$((MINUTES * 60)) refresh=60
    [ "$seconds" -ge 120 ] || refresh=$(( seconds / 3 > 1 ? seconds / 3 : 1 ))
    sample_rss "$csv" "$SAMPLE_SECONDS" & BACKGROUND+=($!)
    bench hold "$json" "${bench_auth[@]}" --count "$HOLD_ALLOCATIONS" --hold-seconds "$seconds" \
        --refresh-interval "$refresh" --trickle-interval 5 --in-flight 256
    local established sent received refreshed refresh_failed
    established=$(jget .control.succeeded "$json")
    sent=$(jget .control.trickleSent "$json"); received=$(jget .control.trickleReceived "$json")
    refreshed=$(jget .control.refreshed "$json"); refresh_failed=$(jget .control.refreshFailed "$json")
    note "established $established of $HOLD_ALLOCATIONS; trickle sent $sent, received $received;" \
         "periodic refreshes $refreshed succeeded, $refresh_failed failed"
    note "RSS (hold-rss.csv): $(rss_growth "$csv" "$WARMUP_SECONDS" || true)"
    check "hold: every allocation established" [ "$established" = "$HOLD_ALLOCATIONS" ]
    check "hold: no periodic Refresh failed" [ "$refresh_failed" = 0 ]
    check "hold: RSS after warm-up grows < $RSS_GROWTH_PCT%" rss_growth_quiet "$csv" "$WARMUP_SECONDS"
    check "hold: server alive and answering" binding_answered
    stop_server hold
}

phase_churn() {
    note ""; note "## churn: $CHURN_CYCLES Allocate/Refresh(0) cycles, $CHURN_BATCH at a time"
    start_server churn
    local csv="$OUT/churn-rss.csv" done_cycles=0 ok=0 deleted=0 batch=0 before first after started
    before=$(rss_kib "$SERVER_PID")
    started=$(date +%s)
    echo "cycles,rss_kib,allocations_active" >"$csv"
    echo "0,$before,$(metric turn_allocations_active)" >>"$csv"
    while [ "$done_cycles" -lt "$CHURN_CYCLES" ]; do
        batch=$(( CHURN_CYCLES - done_cycles < CHURN_BATCH ? CHURN_CYCLES - done_cycles : CHURN_BATCH ))
        bench alloc "$OUT/churn-last.json" "${bench_auth[@]}" --count "$batch" --in-flight 256
        ok=$(( ok + $(jget .control.succeeded "$OUT/churn-last.json") ))
        deleted=$(( deleted + $(jget .control.deleted "$OUT/churn-last.json") ))
        done_cycles=$(( done_cycles + batch ))
        echo "$done_cycles,$(rss_kib "$SERVER_PID"),$(metric turn_allocations_active)" >>"$csv"
        [ -n "${first:-}" ] || first=$(rss_kib "$SERVER_PID")
        alive "$SERVER_PID" || break
    done
    sleep 2
    after=$(rss_kib "$SERVER_PID")
    local active elapsed=$(( $(date +%s) - started ))
    active=$(metric turn_allocations_active)
    note "cycles $done_cycles in ${elapsed} s: allocated $ok, deleted $deleted; active after: ${active:-?};" \
         "RSS before $before KiB, after the first batch $first KiB, after $after KiB (churn-rss.csv)"
    check "churn: every Allocate succeeded" [ "$ok" = "$CHURN_CYCLES" ]
    check "churn: every Refresh(0) succeeded" [ "$deleted" = "$CHURN_CYCLES" ]
    check "churn: no allocation left" [ "${active:-x}" = 0 ]
    check "churn: RSS after the first batch grows < $RSS_GROWTH_PCT%" \
        [ $(( (after - first) * 100 )) -lt $(( first * RSS_GROWTH_PCT )) ]
    stop_server churn
}

phase_sighup() {
    note ""; note "## sighup: $SIGHUP_ALLOCATIONS allocations, SIGHUP every second for $SIGHUP_SECONDS s"
    start_server sighup
    local json="$OUT/sighup.json" ready="$OUT/sighup.ready" hups=0 holder
    rm -f "$ready"
    bench hold "$json" "${bench_auth[@]}" --count "$SIGHUP_ALLOCATIONS" --hold-seconds "$SIGHUP_SECONDS" \
        --refresh-interval 5 --trickle-interval 1 --ready-file "$ready" &
    holder=$!; BACKGROUND+=("$holder")
    while alive "$holder" && [ ! -s "$ready" ]; do sleep 0.2; done
    while alive "$holder"; do
        kill -HUP "$SERVER_PID" 2>/dev/null && hups=$((hups + 1))
        sleep 1
    done
    wait "$holder" || true
    local established refreshed refresh_failed sent received
    established=$(jget .control.succeeded "$json")
    refreshed=$(jget .control.refreshed "$json"); refresh_failed=$(jget .control.refreshFailed "$json")
    sent=$(jget .control.trickleSent "$json"); received=$(jget .control.trickleReceived "$json")
    note "$hups SIGHUPs; established $established; periodic refreshes $refreshed succeeded, $refresh_failed failed;" \
         "trickle sent $sent, received $received"
    check "sighup: every allocation established" [ "$established" = "$SIGHUP_ALLOCATIONS" ]
    check "sighup: zero allocations dropped (no Refresh failed)" [ "$refresh_failed" = 0 ]
    check "sighup: server alive and answering" binding_answered
    stop_server sighup
}

phase_redis() {
    note ""; note "## redis: $REDIS_ALLOCATIONS allocations for $REDIS_SECONDS s, Redis killed and restarted"
    command -v redis-server >/dev/null || { note "- SKIP: redis-server not found"; return; }
    local redis_port secret json="$OUT/redis.json" ready="$OUT/redis.ready" holder
    redis_port=$(free_port)
    secret="soak-secret-$RANDOM$RANDOM"
    mkdir -p "$OUT/redis"
    start_redis() {
        redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT/redis" \
            >>"$OUT/redis.log" 2>&1 &
        REDIS_PID=$!
        for _ in $(seq 50); do
            [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && return 0
            sleep 0.1
        done
        return 1
    }
    start_redis || die "redis-server did not start"
    start_server redis "redis-userdb=\"ip=127.0.0.1 dbname=0 port=$redis_port connect_timeout=5\"" \
        "node-id=soak-1" "redis-lease=5" "use-auth-secret" "static-auth-secret=$secret"
    rm -f "$ready"
    bench hold "$json" --secret "$secret" --count "$REDIS_ALLOCATIONS" --hold-seconds "$REDIS_SECONDS" \
        --refresh-interval 3 --trickle-interval 1 --ready-file "$ready" &
    holder=$!; BACKGROUND+=("$holder")
    while alive "$holder" && [ ! -s "$ready" ]; do sleep 0.2; done
    local held_at down_seen=no up_again=no during_ok left
    held_at=$(date +%s)
    sleep $(( REDIS_SECONDS / 3 ))
    kill -KILL "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
    log "redis: killed"
    for _ in $(seq $(( REDIS_SECONDS / 3 * 5 ))); do
        [ "$(metric 'turngate_redis_up{db="userdb"}')" = 0 ] && { down_seen=yes; break; }
        sleep 0.2
    done
    bench alloc "$OUT/redis-during.json" --secret "$secret" --count 50
    during_ok=$(jget .control.succeeded "$OUT/redis-during.json")
    left=$(( held_at + REDIS_SECONDS * 2 / 3 - $(date +%s) ))
    [ "$left" -le 0 ] || sleep "$left"
    start_redis || die "redis-server did not restart"
    log "redis: restarted"
    for _ in $(seq 150); do
        [ "$(metric 'turngate_redis_up{db="userdb"}')" = 1 ] && { up_again=yes; break; }
        sleep 0.2
    done
    wait "$holder" || true
    bench alloc "$OUT/redis-after.json" --secret "$secret" --count 100
    local established refresh_failed after_ok
    established=$(jget .control.succeeded "$json"); refresh_failed=$(jget .control.refreshFailed "$json")
    after_ok=$(jget .control.succeeded "$OUT/redis-after.json")
    note "established $established; periodic refreshes failed: $refresh_failed; Redis seen down: $down_seen," \
         "up again: $up_again; Allocates during the outage: $during_ok of 50 (the quota policy decides);" \
         "after: $after_ok of 100"
    check "redis: held allocations survive the outage (no Refresh failed)" [ "$refresh_failed" = 0 ]
    check "redis: the node reports Redis down" [ "$down_seen" = yes ]
    check "redis: the node reports Redis up again by itself" [ "$up_again" = yes ]
    check "redis: Allocates succeed after the restart" [ "$after_ok" = 100 ]
    check "redis: server alive and answering" binding_answered
    stop_server redis
    kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""
}

phase_nofile() {
    note ""; note "## nofile: open-files limit reached and recovered"
    start_server nofile
    local fds original limit busy refused recovered
    fds=$(ls "/proc/$SERVER_PID/fd" | wc -l)
    original=$(prlimit --pid "$SERVER_PID" --nofile --noheadings --output SOFT,HARD | awk '{print $1":"$2}')
    limit=$((fds + 20))
    prlimit --pid "$SERVER_PID" --nofile="$limit:${original#*:}"
    log "nofile: $fds descriptors open, limit lowered to $limit"
    bench alloc "$OUT/nofile-limited.json" "${bench_auth[@]}" --count 100
    refused=$(jget .control.failed "$OUT/nofile-limited.json")
    # TCP connections beyond the limit wait in the backlog while the server's CPU is measured
    # for 5 s (an accept loop that retries EMFILE at once spins a whole core).
    busy=$(python3 - "$SERVER_PORT" "$SERVER_PID" <<'EOF'
import os, socket, sys, time
def ticks():
    with open(f"/proc/{sys.argv[2]}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
conns = []
for _ in range(200):
    try:
        conns.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1))
    except OSError:
        break
time.sleep(0.5)
before, started = ticks(), time.monotonic()
time.sleep(5)
used = (ticks() - before) / os.sysconf("SC_CLK_TCK")
print(int(used / (time.monotonic() - started) * 100))
for c in conns:
    c.close()
EOF
)
    prlimit --pid "$SERVER_PID" --nofile="$original"
    sleep 1
    bench alloc "$OUT/nofile-recovered.json" "${bench_auth[@]}" --count "$NOFILE_ALLOCATIONS"
    recovered=$(jget .control.succeeded "$OUT/nofile-recovered.json")
    note "$fds descriptors at start, limit $limit: $refused of 100 Allocates refused; server CPU while" \
         "TCP connections waited at the limit: ${busy}% of a core; after restoring $original:" \
         "$recovered of $NOFILE_ALLOCATIONS Allocates succeeded"
    check "nofile: Allocates beyond the limit are refused" [ "$refused" -gt 0 ]
    check "nofile: no accept loop spins at the limit (CPU ${busy}% < $EMFILE_CPU_PCT%)" [ "$busy" -lt "$EMFILE_CPU_PCT" ]
    check "nofile: every Allocate succeeds once the limit is restored" [ "$recovered" = "$NOFILE_ALLOCATIONS" ]
    check "nofile: server alive and answering" binding_answered
    stop_server nofile
}

phase_ports() {
    note ""; note "## ports: a $PORTS-port relay range exhausted and recovered"
    local low=$RELAY_MIN high=$((RELAY_MIN + PORTS - 1))
    start_server ports "min-port=$low" "max-port=$high"
    local json="$OUT/ports.json" ready="$OUT/ports.ready" holder established refused_during left refill
    rm -f "$ready"
    bench hold "$json" "${bench_auth[@]}" --count $((PORTS + 50)) --hold-seconds 5 --ready-file "$ready" &
    holder=$!; BACKGROUND+=("$holder")
    while alive "$holder" && [ ! -s "$ready" ]; do sleep 0.2; done
    bench alloc "$OUT/ports-during.json" "${bench_auth[@]}" --count 10
    refused_during=$(jget .control.failed "$OUT/ports-during.json")
    wait "$holder" || true
    established=$(jget .control.succeeded "$json")
    sleep 1
    left=$(relay_sockets "$low" "$high")
    bench hold "$OUT/ports-refill.json" "${bench_auth[@]}" --count $((PORTS + 50)) --hold-seconds 1
    refill=$(jget .control.succeeded "$OUT/ports-refill.json")
    note "$established of $((PORTS + 50)) allocations while the range was full" \
         "($(jq -c '.control.failures // {}' "$json")); during: $refused_during of 10 refused;" \
         "relay sockets left after release: $left; a second fill after release: $refill of $((PORTS + 50))"
    check "ports: no more allocations than ports" [ "$established" -le "$PORTS" ]
    check "ports: Allocates refused while the range is full" [ "$refused_during" = 10 ]
    check "ports: every relay port released" [ "$left" = 0 ]
    check "ports: a second fill after release gets >= 95% of the range" [ $((refill * 100)) -ge $((PORTS * 95)) ]
    check "ports: server alive and answering" binding_answered
    stop_server ports
}

{
    echo "# turngate soak, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo ""
    echo "$(uname -srm), $(nproc) cores; turngate $("$TURNGATE" --version 2>/dev/null | head -1)"
} >"$SUMMARY"
for phase in $PHASES; do
    case "$phase" in
        hold|churn|sighup|redis|nofile|ports) log "phase $phase"; "phase_$phase" ;;
        *) die "unknown phase $phase (hold churn sighup redis nofile ports)" ;;
    esac
done
note ""
if [ "$FAILED" = 0 ]; then note "All checks passed."; else note "Some checks FAILED."; fi
log "summary: $SUMMARY"
exit "$FAILED"
