#!/usr/bin/env bash
# TurnGate against coturn (and the kernel floor), measured by turngate-bench.
#
#   bench/compare.sh                 # 3 alternating rounds, about 20 minutes with all servers
#   QUICK=1 bench/compare.sh         # 1 short round, a few minutes: a smoke run
#   SERVERS="coturn forwarder" bench/compare.sh
#   COTURN_BIN=/path/to/coturn-4.17/bin/turnserver bench/compare.sh   # adds coturn-fast
#   PHASES="loads" TURNGATE_BASE_BIN=/path/to/older/turngate bench/compare.sh
#
# Servers (SERVERS, default "turngate turngate-epoll coturn coturn-fast forwarder", plus
# turngate-base when TURNGATE_BASE_BIN is set):
#   turngate        127.0.0.2  TurnGate (TURNGATE_BIN, default .build/release/turngate, built by the
#                              caller) with relay-engine=io-uring, relay-threads=1 and
#                              relay-batch-wait=TURNGATE_BATCH_WAIT (microseconds, default 0);
#                              relay ports 30000-39999
#   turngate-epoll  127.0.0.6  the same binary and settings with relay-engine=epoll; relay ports 40000-49999
#   coturn          127.0.0.3  the reference coturn 4.6.1: Debian's turnserver from PATH, or
#                              COTURN_461_BIN; relay ports 50000-59999
#   coturn-fast     127.0.0.7  COTURN_BIN when its --version is 4.17 or later, in its fastest mode:
#                              --multiplex-peer (all allocations of a relay thread share one relay
#                              socket, on port COTURN_MUX_PORT, default 3480, and the next one)
#                              --udp-gso --relay-threads 1; relay ports 60000-64999. Left out of the
#                              default SERVERS when COTURN_BIN is unset. A COTURN_BIN older than
#                              4.17 replaces the coturn above instead (and there is no coturn-fast).
#   forwarder       127.0.0.4  the bench's own recvmmsg/sendmmsg forwarder (the floor: what relaying
#                              costs with no TURN at all)
#   turngate-base   127.0.0.5  an older TurnGate build (TURNGATE_BASE_BIN), the before of a
#                              before/after comparison, with its configuration as before (no
#                              relay-engine, relay-threads or relay-batch-wait, which an older build
#                              rejects); relay ports 20000-29999
# No two relay port ranges overlap. All servers use the same static user and realm, allow
# loopback peers, and are pinned to core 1 (taskset -c 1); the bench runs on core 0. Ports are
# checked free first: coturn binds with SO_REUSEPORT, so a second server on the same port would
# silently share it.
#
# Figures (medians over rounds; rounds alternate the servers):
#   cpu_us_per_packet   server utime+stime (/proc/<pid>/stat) / packets relayed, flood, 100-byte ChannelData
#   cpu_us_per_packet_fixed   the same at a fixed, loss-free load (CPU_LOAD_PPS, default 40,000/s in total)
#   max_lossfree_pps    binary search over the paced rate (both legs together) for loss <= LOSS_LIMIT %
#   latency p50/p99/p99.9 at 20,000 packets/s in total (the worse of the two legs)
#   allocs_per_second   alloc mode: Allocate, 401, Allocate with MESSAGE-INTEGRITY, 64 in flight
#   rss_per_alloc_1k / _10k   hold mode: VmRSS delta / allocations held (once, on fresh servers).
#       Not for coturn-fast: hold gives every allocation a permission and channel to one shared
#       peer socket, and in multiplex-peer mode coturn demultiplexes by peer address, so it refuses
#       (400) a second allocation's CreatePermission to the same peer. For the same reason every
#       run against coturn-fast binds its peers on a fresh random loopback address (see bench()).
#   cpu_us_<load>, loss_<load>   the loads WebRTC produces, 40,000 relayed packets/s in total:
#       webrtc  400 allocations x 50 packets/s per leg, 200-byte payload
#       mod50    50 allocations x 400 packets/s per leg, 100 bytes
#       hi8       8 allocations x 2,500 packets/s per leg, 100 bytes
# PHASES picks what runs (default: "rss cpu rate latency alloc loads").
# Writes bench/results/<date>.json, .md and .svg and prints a Markdown table. Loopback only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
    ROUNDS="${ROUNDS:-1}"; FLOOD_SECONDS=2; STEP_SECONDS=1; STEPS=4; LATENCY_SECONDS=2
    ALLOC_COUNT=1000; HOLD_COUNTS="${HOLD_COUNTS:-1000}"
else
    ROUNDS="${ROUNDS:-3}"; FLOOD_SECONDS=10; STEP_SECONDS=3; STEPS=7; LATENCY_SECONDS=10
    ALLOC_COUNT=5000; HOLD_COUNTS="${HOLD_COUNTS:-1000 10000}"
fi
die() { echo "compare: $*" >&2; exit 1; }
note() { echo "compare: $*" >&2; }

# The first version number (4.17.1, 4.6.1) a coturn's --version prints, or nothing.
coturn_version() { timeout 10 "$1" --version 2>&1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1 || true; }
version_at_least() { [ "$(printf '%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }   # version minimum

COTURN="${COTURN_461_BIN:-turnserver}"   # the reference, coturn 4.6.1
COTURN_FAST=""                          # coturn 4.17 or later, in multiplex-peer mode
if [ -n "${COTURN_BIN:-}" ]; then
    coturn_bin_version="$(coturn_version "$COTURN_BIN")"
    if [ -n "$coturn_bin_version" ] && version_at_least "$coturn_bin_version" 4.17; then
        COTURN_FAST="$COTURN_BIN"
    else
        COTURN="$COTURN_BIN"   # an older coturn: it replaces the reference, as it always did
    fi
fi
COTURN_MUX_PORT="${COTURN_MUX_PORT:-3480}"
if [ -z "${SERVERS:-}" ]; then
    SERVERS="turngate turngate-epoll coturn coturn-fast forwarder"
    if [ -z "$COTURN_FAST" ]; then
        SERVERS="${SERVERS/ coturn-fast/}"
        if [ -n "${COTURN_BIN:-}" ]; then
            note "no coturn-fast: COTURN_BIN reports version ${coturn_bin_version:-(none)}, not 4.17 or later; it runs as coturn"
        else
            note "no coturn-fast: set COTURN_BIN to a coturn 4.17 or later to compare with its fastest mode"
        fi
    fi
fi
[ -n "${TURNGATE_BASE_BIN:-}" ] && [[ " $SERVERS " != *" turngate-base "* ]] && SERVERS="$SERVERS turngate-base"
PHASES="${PHASES:-rss cpu rate latency alloc loads}"
LOAD_SECONDS="${LOAD_SECONDS:-10}"
LOSS_LIMIT="${LOSS_LIMIT:-0.1}"
CPU_LOAD_PPS="${CPU_LOAD_PPS:-40000}"
RATE_LOW="${RATE_LOW:-10000}"
RATE_HIGH="${RATE_HIGH:-400000}"
FLOWS="${FLOWS:-4}"
TURNGATE="${TURNGATE_BIN:-.build/release/turngate}"
TURNGATE_BATCH_WAIT="${TURNGATE_BATCH_WAIT:-0}"
BENCH="${BENCH_BIN:-.build/release/turngate-bench}"
PORT=3478
CLK_TCK="$(getconf CLK_TCK)"
declare -A ADDR=([turngate]=127.0.0.2 [coturn]=127.0.0.3 [forwarder]=127.0.0.4 [turngate-base]=127.0.0.5
                 [turngate-epoll]=127.0.0.6 [coturn-fast]=127.0.0.7)
# Relay port ranges ("min max"), disjoint: a hold of 10,000 allocations needs 10,000 ports.
declare -A RELAY_PORTS=([turngate]="30000 39999" [turngate-epoll]="40000 49999" [turngate-base]="20000 29999"
                        [coturn]="50000 59999" [coturn-fast]="60000 64999")
declare -A PID=()

work="$(mktemp -d)"
alive() { # pid: running, not a zombie waiting to be reaped
    local stat
    { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
    stat="${stat##*) }"
    [ "${stat%% *}" != Z ]
}
cleanup() {
    local pid any deadline=$((SECONDS + 10))
    for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
    while [ "$SECONDS" -lt "$deadline" ]; do   # coturn 4.17 takes a few seconds to exit after SIGTERM
        any=0
        for pid in "${PID[@]}"; do alive "$pid" && any=1; done
        [ "$any" = 0 ] && break
        sleep 0.1
    done
    for pid in "${PID[@]}"; do
        if alive "$pid"; then note "pid $pid did not exit 10 s after SIGTERM: killing it"; kill -9 "$pid" 2>/dev/null || true; fi
    done
    for pid in "${PID[@]}"; do wait "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

for name in $SERVERS; do
    [ -n "${ADDR[$name]:-}" ] || die "unknown server $name in SERVERS (known: ${!ADDR[*]})"
done
[[ " $SERVERS " == *" coturn-fast "* ]] && [ -z "$COTURN_FAST" ] \
    && die "coturn-fast needs COTURN_BIN naming a coturn 4.17 or later (${COTURN_BIN:-COTURN_BIN is unset}${coturn_bin_version:+, which is $coturn_bin_version})"
[[ "$TURNGATE_BATCH_WAIT" =~ ^[0-9]+$ ]] || die "TURNGATE_BATCH_WAIT ($TURNGATE_BATCH_WAIT) must be a whole number of microseconds"
[ $((COTURN_MUX_PORT % 2)) = 0 ] || die "COTURN_MUX_PORT ($COTURN_MUX_PORT) must be even"

[ -x "$BENCH" ] || die "$BENCH missing: swift build -c release --product turngate-bench"
cp "$BENCH" "$work/turngate-bench"   # a rebuild during the run must not swap the binary
BENCH="$work/turngate-bench"
if [[ " $SERVERS " == *" turngate "* || " $SERVERS " == *" turngate-epoll "* ]]; then
    [ -x "$TURNGATE" ] || die "$TURNGATE missing: swift build -c release --product turngate (or SERVERS=\"coturn forwarder\")"
    cp "$TURNGATE" "$work/turngate"
fi
if [[ " $SERVERS " == *" turngate-base "* ]]; then
    [ -x "${TURNGATE_BASE_BIN:-}" ] || die "TURNGATE_BASE_BIN (${TURNGATE_BASE_BIN:-}) is not an executable"
    cp "$TURNGATE_BASE_BIN" "$work/turngate-base"
fi
if [[ " $SERVERS " == *" coturn "* ]]; then
    command -v "$COTURN" > /dev/null || die "$COTURN (coturn) is not installed"
    note "coturn: $COTURN, version $(coturn_version "$COTURN")"
fi
if [[ " $SERVERS " == *" coturn-fast "* ]]; then
    note "coturn-fast: $COTURN_FAST, version $coturn_bin_version"
fi
ulimit -n "$(ulimit -Hn)"   # hold mode keeps one socket per allocation, in the bench and the servers

port_free() { # addr port
    ! ss -Hlun "sport = :$2" | grep -q "$1:$2" && ! ss -Hltn "sport = :$2" | grep -q "$1:$2"
}
wait_listening() { # addr port (coturn sets up its relay port range before it listens: a few seconds)
    for _ in $(seq 1 150); do
        ss -Hlun "sport = :$2" | grep -q "$1:$2" && return 0
        sleep 0.1
    done
    return 1
}

start_server() { # name
    local name="$1" addr="${ADDR[$1]}" min max
    read -r min max <<<"${RELAY_PORTS[$1]:-0 0}"
    port_free "$addr" "$PORT" || die "$addr:$PORT is taken: stop whatever listens there first"
    # coturn's options, both versions: --no-cli is deprecated in 4.17 (it logs an error) but harmless.
    local coturn_options=(-n --no-cli --no-tls --no-dtls --no-tcp --log-file stdout --simple-log
        --listening-ip "$addr" --relay-ip "$addr" --listening-port "$PORT" --min-port "$min" --max-port "$max"
        --realm bench --lt-cred-mech --user bench:bench --allow-loopback-peers --pidfile "$work/$name.pid")
    case "$name" in
    turngate|turngate-epoll|turngate-base)
        cat > "$work/$name.conf" <<CONF
listening-ip=$addr
listening-port=$PORT
relay-ip=$addr
min-port=$min
max-port=$max
realm=bench
lt-cred-mech
user=bench:bench
allow-loopback-peers
no-tcp
log-level=warning
user-quota=100000
total-quota=100000
challenge-rate=0
CONF
        # The UDP engine's keys; an older build (turngate-base) rejects them, so it runs without.
        case "$name" in
        turngate) printf 'relay-engine=io-uring\n' >> "$work/$name.conf" ;;
        turngate-epoll) printf 'relay-engine=epoll\n' >> "$work/$name.conf" ;;
        esac
        local binary="$work/turngate"
        if [ "$name" = turngate-base ]; then
            binary="$work/turngate-base"
        else
            printf 'relay-threads=1\nrelay-batch-wait=%s\n' "$TURNGATE_BATCH_WAIT" >> "$work/$name.conf"
        fi
        taskset -c 1 "$binary" -c "$work/$name.conf" > "$work/$name.log" 2>&1 &
        ;;
    coturn)
        taskset -c 1 "$COTURN" "${coturn_options[@]}" > "$work/coturn.log" 2>&1 &
        ;;
    coturn-fast)
        # Multiplex-peer mode binds COTURN_MUX_PORT (IPv4) and the next port (IPv6) per relay thread.
        port_free "$addr" "$COTURN_MUX_PORT" && port_free "$addr" $((COTURN_MUX_PORT + 1)) \
            || die "$addr:$COTURN_MUX_PORT or the next port is taken: stop whatever listens there, or set COTURN_MUX_PORT"
        taskset -c 1 "$COTURN_FAST" "${coturn_options[@]}" --multiplex-peer --multiplex-peer-port "$COTURN_MUX_PORT" \
            --udp-gso --relay-threads 1 > "$work/coturn-fast.log" 2>&1 &
        ;;
    forwarder)
        taskset -c 1 "$BENCH" forwarder --listen "$addr:$PORT" --to 127.0.0.1 --duration 3600 > "$work/forwarder.log" 2>&1 &
        ;;
    esac
    PID[$name]=$!
    wait_listening "$addr" "$PORT" || die "$name did not start; see its log: $(tail -3 "$work/$name.log")"
    if [ "$name" = coturn-fast ]; then
        wait_listening "$addr" "$COTURN_MUX_PORT" || die "coturn-fast has no multiplex-peer socket on $addr:$COTURN_MUX_PORT; see its log: $(tail -3 "$work/$name.log")"
    fi
}

bench() { # name mode args... -> JSON on stdout
    local name="$1" mode="$2"; shift 2
    local auth=(--user bench --password bench) peer=()
    [ "$name" = forwarder ] && auth=(--raw)
    # coturn-fast tells allocations apart by peer address, and refuses (400 "Peer address already
    # used by another multiplex-peer allocation") a peer address:port an earlier run's deleted
    # allocation still holds; the peers' ephemeral ports come round again, so each run gets its
    # own random loopback peer address (as the bench already does for its clients).
    [ "$name" = coturn-fast ] && peer=(--peer-address "127.$((RANDOM % 200 + 20)).$((RANDOM % 250)).$((RANDOM % 250 + 2))")
    timeout 200 taskset -c 0 "$BENCH" "$mode" --server "${ADDR[$name]}:$PORT" "${auth[@]}" "${peer[@]}" --json "$@" 2>> "$work/bench.log"
}
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
record() { # server round metric value
    printf '{"server":"%s","round":%s,"metric":"%s","value":%s}\n' "$1" "$2" "$3" "$4" >> "$work/samples.jsonl"
}

measure_cpu() { # name round metric bench-args...
    local name="$1" round="$2" metric="$3" before after out relayed
    shift 3
    before="$(cpu_ticks "${PID[$name]}")"
    out="$(bench "$name" "$@" --allocations "$FLOWS" --duration "$FLOOD_SECONDS")" || { note "$name $metric failed"; return; }
    after="$(cpu_ticks "${PID[$name]}")"
    relayed="$(field 'd["data"]["clientToPeer"]["received"] + d["data"]["peerToClient"]["received"]' <<<"$out")"
    [ "$relayed" -gt 0 ] || { note "$name relayed nothing ($metric)"; return; }
    record "$name" "$round" "$metric" "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v p="$relayed" 'BEGIN {printf "%.3f", t / hz * 1e6 / p}')"
    record "$name" "$round" "${metric}_relayed_pps" "$(field 'round(d["data"]["relayedPerSecond"])' <<<"$out")"
}

# A WebRTC-shaped load: CPU per relayed packet and loss at allocations x packets/s per leg.
# Ticks the hypervisor took from the servers' core (the steal column of /proc/stat): on a
# shared virtual machine a run can lose most of its core, which shows up as loss.
steal_ticks() { awk '$1 == "cpu1" {print $9}' /proc/stat; }
measure_load() { # name round load allocations pps size
    local name="$1" round="$2" load="$3" before after out relayed steal_before steal_after
    before="$(cpu_ticks "${PID[$name]}")"
    steal_before="$(steal_ticks)"
    out="$(bench "$name" rate --allocations "$4" --pps "$5" --size "$6" --duration "$LOAD_SECONDS")" || { note "$name $load failed"; return; }
    after="$(cpu_ticks "${PID[$name]}")"
    steal_after="$(steal_ticks)"
    record "$name" "$round" "steal_$load" "$(awk -v s=$((steal_after - steal_before)) -v hz="$CLK_TCK" -v d="$LOAD_SECONDS" 'BEGIN {printf "%.1f", s / hz / d * 100}')"
    relayed="$(field 'd["data"]["clientToPeer"]["received"] + d["data"]["peerToClient"]["received"]' <<<"$out")"
    [ "$relayed" -gt 0 ] || { note "$name relayed nothing ($load)"; return; }
    record "$name" "$round" "cpu_us_$load" "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v p="$relayed" 'BEGIN {printf "%.3f", t / hz * 1e6 / p}')"
    record "$name" "$round" "loss_$load" "$(field 'd["data"]["lossPercent"]' <<<"$out")"
}

measure_max_rate() { # name round
    local low="$RATE_LOW" high="$RATE_HIGH" mid out loss bench_bound=0
    for _ in $(seq 1 "$STEPS"); do
        mid=$(( (low + high) / 2 ))
        out="$(bench "$1" rate --allocations "$FLOWS" --duration "$STEP_SECONDS" \
            --pps "$(awk -v r="$mid" -v f="$FLOWS" 'BEGIN {printf "%.1f", r / 2 / f}')")" || { high=$mid; continue; }
        loss="$(field 'd["data"]["lossPercent"]' <<<"$out")"
        if [ "$(field 'int(d["bench"]["saturated"])' <<<"$out")" = 1 ]; then
            high=$mid; bench_bound=1
        elif awk -v l="$loss" -v m="$LOSS_LIMIT" 'BEGIN {exit !(l <= m)}'; then
            low=$mid
        else
            high=$mid; bench_bound=0
        fi
    done
    record "$1" "$2" max_lossfree_pps "$low"
    record "$1" "$2" max_rate_bench_bound "$bench_bound"
    [ "$bench_bound" = 1 ] && note "$1 round $2: the bench could not offer $high/s; $low/s is a lower bound"
    return 0
}

measure_latency() { # name round
    local out
    out="$(bench "$1" latency --allocations "$FLOWS" --duration "$LATENCY_SECONDS" --pps-total 20000)" || { note "$1 latency failed"; return; }
    for p in p50 p99 p999; do
        record "$1" "$2" "latency_${p}_us" "$(field "max(d['data']['clientToPeer']['latencyMicroseconds']['$p'], d['data']['peerToClient']['latencyMicroseconds']['$p'])" <<<"$out")"
    done
    record "$1" "$2" latency_loss_percent "$(field 'd["data"]["lossPercent"]' <<<"$out")"
}

measure_alloc() { # name round
    local out
    [ "$1" = forwarder ] && return
    out="$(bench "$1" alloc --count "$ALLOC_COUNT")" || { note "$1 alloc failed"; return; }
    record "$1" "$2" allocs_per_second "$(field 'round(d["control"]["perSecond"])' <<<"$out")"
    record "$1" "$2" alloc_failures "$(field 'd["control"]["failed"]' <<<"$out")"
}

measure_rss() { # name count
    local before after ready="$work/ready.$1.$2" established bench_pid out
    [ "$1" = forwarder ] && return
    if [ "$1" = coturn-fast ]; then   # see the header: multiplex-peer mode refuses hold's shared peer
        note "coturn-fast: no RSS at $2: hold shares one peer among all allocations, which multiplex-peer mode refuses"
        return
    fi
    before="$(rss_kib "${PID[$1]}")"
    rm -f "$ready"
    bench "$1" hold --count "$2" --duration 4 --ready-file "$ready" --in-flight 128 > "$work/hold.json" &
    bench_pid=$!
    for _ in $(seq 1 900); do [ -s "$ready" ] || ! kill -0 "$bench_pid" 2>/dev/null && break; sleep 0.1; done
    if [ -s "$ready" ]; then
        sleep 1
        after="$(rss_kib "${PID[$1]}")"
        established="$(cat "$ready")"
    fi
    wait "$bench_pid" || true
    out="$(cat "$work/hold.json")"
    if [ -z "${established:-}" ] || [ "$established" -eq 0 ]; then
        note "$1: no allocation held at $2: $(tail -1 "$work/bench.log")"
        return
    fi
    [ "$established" -lt "$2" ] && note "$1: only $established of $2 allocations held: $(field 'max(d["control"]["failures"].items(), key=lambda kv: kv[1])[0] if d["control"]["failures"] else "?"' <<<"$out")"
    record "$1" 0 "rss_per_alloc_bytes_$2" "$(( (after - before) * 1024 / established ))"
    record "$1" 0 "rss_held_$2" "$established"
}

: > "$work/samples.jsonl"
loadavg="$(cut -d' ' -f1 /proc/loadavg)"
awk -v l="$loadavg" 'BEGIN {exit !(l > 0.5)}' && note "load average is $loadavg before starting: other work shares these cores, expect noisy figures"
for name in $SERVERS; do start_server "$name"; done
sleep 1
note "servers: $(for n in $SERVERS; do printf '%s=%s(pid %s) ' "$n" "${ADDR[$n]}" "${PID[$n]}"; done)"

phase() { [[ " $PHASES " == *" $1 "* ]]; }
if phase rss; then
    for count in $HOLD_COUNTS; do
        for name in $SERVERS; do note "rss $name $count"; measure_rss "$name" "$count"; done
    done
fi
order="$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
    for name in $order; do
        note "round $round: $name"
        if phase loads && [ "$name" != forwarder ]; then
            measure_load "$name" "$round" webrtc 400 50 200
            measure_load "$name" "$round" mod50 50 400 100
            measure_load "$name" "$round" hi8 8 2500 100
        fi
        if phase cpu; then
            measure_cpu "$name" "$round" cpu_us_per_packet flood
            measure_cpu "$name" "$round" cpu_us_per_packet_fixed rate --pps "$(( CPU_LOAD_PPS / 2 / FLOWS ))"
        fi
        phase rate && measure_max_rate "$name" "$round"
        phase latency && measure_latency "$name" "$round"
        phase alloc && measure_alloc "$name" "$round"
    done
    order="$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' ')"   # alternate who goes first
done

stamp="$(date -u +%Y-%m-%dT%H-%M-%SZ)"
mkdir -p bench/results
python3 bench/summarize.py "$work/samples.jsonl" --quick "$QUICK" --rounds "$ROUNDS" --loadavg "$loadavg" \
    --json "bench/results/$stamp.json" --markdown "bench/results/$stamp.md"
python3 bench/chart.py "bench/results/$stamp.json" "bench/results/$stamp.svg"
cat "bench/results/$stamp.md"
note "wrote bench/results/$stamp.{json,md,svg}"
