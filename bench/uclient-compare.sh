#!/usr/bin/env bash
# Server CPU time per relayed packet, TurnGate and coturn side by side, driven by coturn's
# turnutils_uclient with turnutils_peer as the echo peer (ChannelData by default; BENCH_MODE=send
# for Send/Data indications).
#
#   bench/uclient-compare.sh            # 3 alternating rounds, 20 clients x 2000 messages of 200 bytes
#   ROUNDS=5 MESSAGES=5000 bench/uclient-compare.sh
#
# Each server runs on its own loopback address (TurnGate 127.0.0.2, coturn 127.0.0.3), with the
# same static user and allow-loopback-peers; the ports are checked free first, since coturn binds
# with SO_REUSEPORT and would silently share a port. CPU time is utime+stime of the server process
# from /proc/<pid>/stat before and after each round; every message is relayed twice (client to
# peer, peer back to client). uclient's own CPU shares the two cores: treat the figures as
# comparable between the servers, not as absolute capacity. Loopback only; every run is bounded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-20}"
MESSAGES="${MESSAGES:-2000}"
SIZE="${SIZE:-200}"
MODE="${BENCH_MODE:-channel}"
TURNGATE="${TURNGATE_BIN:-.build/release/turngate}"
PORT=3478
PEER_PORT=3480
TG_ADDR=127.0.0.2
CT_ADDR=127.0.0.3
CLK_TCK="$(getconf CLK_TCK)"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port_free() {
    ! ss -Hlun "sport = :$2" | grep -q "$1:$2" && ! ss -Hltn "sport = :$2" | grep -q "$1:$2"
}
for addr in "$TG_ADDR" "$CT_ADDR"; do
    port_free "$addr" "$PORT" || { echo "bench: $addr:$PORT is taken" >&2; exit 1; }
done
[ -x "$TURNGATE" ] || { echo "bench: $TURNGATE missing: run swift build -c release --product turngate" >&2; exit 1; }

cat > "$work/turngate.conf" <<CONF
listening-ip=$TG_ADDR
listening-port=$PORT
relay-ip=$TG_ADDR
realm=bench
lt-cred-mech
user=bench:bench
allow-loopback-peers
no-tcp
log-level=warning
CONF
"$TURNGATE" -c "$work/turngate.conf" > "$work/turngate.log" 2>&1 &
tg_pid=$!; pids+=("$tg_pid")
turnserver -n --no-cli --log-file stdout --listening-ip "$CT_ADDR" --relay-ip "$CT_ADDR" \
    --listening-port "$PORT" --realm bench --lt-cred-mech --user bench:bench --allow-loopback-peers \
    --no-tcp --no-tls --no-dtls --simple-log > "$work/coturn.log" 2>&1 &
ct_pid=$!; pids+=("$ct_pid")
turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" > /dev/null 2>&1 &
pids+=("$!")
sleep 1.5

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_round() { # name addr pid
    local before after out sent recv lost
    before="$(cpu_ticks "$3")"
    local flags=(-c -n "$MESSAGES" -m "$CLIENTS" -l "$SIZE" -e 127.0.0.1 -r "$PEER_PORT" -u bench -w bench -p "$PORT")
    [ "$MODE" = send ] && flags+=(-s)
    out="$(timeout 120 turnutils_uclient "${flags[@]}" "$2" 2>&1 | tail -8)"
    after="$(cpu_ticks "$3")"
    sent="$(sed -n 's/.*tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\)$/\1/p' <<<"$out" | tail -1)"
    recv="$(sed -n 's/.*tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\)$/\2/p' <<<"$out" | tail -1)"
    lost="$(sed -n 's/.*Total lost packets \([0-9]*\).*/\1/p' <<<"$out" | tail -1)"
    awk -v n="$1" -v t=$((after - before)) -v hz="$CLK_TCK" -v s="${sent:-0}" -v r="${recv:-0}" -v l="${lost:-?}" 'BEGIN {
        packets = s + r
        us = packets > 0 ? t / hz * 1e6 / packets : 0
        printf "%-9s cpu %6.3f s  relayed %8d packets  %6.2f us/packet  lost %s\n", n, t / hz, packets, us, l
    }'
}

echo "mode=$MODE clients=$CLIENTS messages=$MESSAGES size=$SIZE rounds=$ROUNDS"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    run_round turngate "$TG_ADDR" "$tg_pid"
    run_round coturn "$CT_ADDR" "$ct_pid"
done
