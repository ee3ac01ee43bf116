#!/usr/bin/env bash
# Fuzzes TurnGate's parsers of untrusted input with libFuzzer and AddressSanitizer.
#   FUZZ_SECONDS=60 scripts/fuzz.sh            every target, FUZZ_SECONDS in all
#   FUZZ_SECONDS=60 scripts/fuzz.sh stream     one target (or several), FUZZ_SECONDS split between them
#
# Targets:
#   stunwire       STUNWire's parsers and the TURN request processor on raw bytes (Fuzz/STUNWireFuzz)
#   authenticated  the request processor after authentication: messages the input chooses,
#                  signed with a known user's key, on a processor holding an allocation
#   stream         the TCP/TLS frame decoder over arbitrary byte splits, against a one-pass reading
#   config         the turnserver.conf lexer and loader (seeded with turnserver.conf.example,
#                  with a dictionary of every option name)
#   gateway        the gateway's bearer tokens (garbage, and HS256-signed arbitrary claims) and
#                  JSON bodies, through the credential endpoint's steps
#   signal         signaling's client frames (plain JSON and Socket.IO packets); a signal's data
#                  must reach the peer unchanged
# The last five are in one executable, turngate-fuzz (Fuzz/TurnGateFuzz), which reads its target
# from TURNGATE_FUZZ_TARGET.
#
# Both products are built in release mode with their libFuzzer entry points (-DFUZZING) into
# .build-fuzz. Exits 1 on a crash, printing the saved input; replay one with a plain
# `swift build --product stunwire-fuzz` binary (or `turngate-fuzz <target>`) and the file's path
# as its argument.
#
# SwiftPM on Linux links executables with `--defsym main=<module>_main`, so libFuzzer's own
# main() is never linked in: each harness has an @main that calls LLVMFuzzerRunDriver, declared
# with @_extern(c), hence `-enable-experimental-feature Extern`. The toolchain's lld links it;
# the default linker, gold, fails on the sanitized objects with an internal error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

all_targets=(stunwire authenticated stream config gateway signal)
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    case " ${all_targets[*]} " in
        *" $target "*) ;;
        *) echo "fuzz: unknown target $target (targets: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

seconds="${FUZZ_SECONDS:-60}"
per_target=$(( seconds / ${#targets[@]} ))
[ "$per_target" -ge 2 ] || per_target=2
build_flags=(
    -c release
    --scratch-path .build-fuzz
    -Xswiftc -sanitize=fuzzer,address
    -Xswiftc -DFUZZING
    -Xswiftc -enable-experimental-feature -Xswiftc Extern
    -Xswiftc -use-ld=lld
)

log() { echo "fuzz: $*"; }

products=()
case " ${targets[*]} " in *" stunwire "*) products+=(stunwire-fuzz) ;; esac
for target in "${targets[@]}"; do
    if [ "$target" != stunwire ]; then
        products+=(turngate-fuzz)
        break
    fi
done
for product in "${products[@]}"; do
    log "building $product with -sanitize=fuzzer,address"
    swift build "${build_flags[@]}" --product "$product"
done
bin_path="$(swift build "${build_flags[@]}" --show-bin-path)"

work="$(mktemp -d)"
artifacts="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Seed inputs, one directory per target.
python3 - "$work" <<'EOF_SEEDS'
import json
import pathlib
import re
import sys

work = pathlib.Path(sys.argv[1])
stun = {
    "rfc5769-2.1": "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74"
    "002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014"
    "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf",
    "rfc5769-2.2": "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200008"
    "0001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96",
    "rfc5769-2.3": "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200014"
    "0002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275"
    "bfe3ed4180280004c8fb0b4c",
    "rfc5769-2.4": "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe3"
    "82b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b"
    "6578616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666",
    "channeldata-padded": "400100050102030405000000",
    "channeldata-unpadded": "400100050102030405",
    "channeldata-empty": "40000000",
    "stun-header": "000100002112a442000102030405060708090a0b",
}
seeds = {"stunwire": {name: bytes.fromhex(text) for name, text in stun.items()}}

# authenticated: [client, method (index into the harness's list), attribute count,
# (attribute choice, value...)..., flags, channel (2), peer kind, pick/port..., time step].
# Methods: 0 Allocate, 1 Refresh, 2 CreatePermission, 3 ChannelBind, 4 Send, 5 Binding.
# Attributes: 0 XOR-PEER-ADDRESS (kind, address pick, port), 1 CHANNEL-NUMBER, 2 LIFETIME, 3 DATA.
permission = [0, 2, 1, 0, 0, 0, 0x1F, 0x90]
bind = [0, 3, 2, 0, 0, 0, 0x1F, 0x90, 1, 0x01, 0x00]
send = [0, 4 | 0x40, 2, 0, 0, 0, 0x1F, 0x90, 3, 4, 1, 2, 3, 4]
refresh = [0, 1, 1, 2, 0, 0]
trailer = [0, 0x40, 0x00, 0, 0, 0x1F, 0x90, 1]
seeds["authenticated"] = {
    "create-permission": bytes(permission + trailer),
    "channel-bind": bytes(permission + trailer + bind + trailer),
    "send-indication": bytes(permission + trailer + send + trailer),
    "refresh-zero": bytes(refresh + trailer),
    "second-client-allocate": bytes([1, 0, 1, 4, 17] + trailer + permission + trailer),
}

# stream: [cuts, chunk sizes..., stream bytes].
frames = b"".join(bytes.fromhex(stun[name]) for name in ("rfc5769-2.1", "channeldata-padded", "rfc5769-2.2"))
seeds["stream"] = {
    "whole": bytes([0]) + frames,
    "byte-cuts": bytes([15] + [1] * 15) + frames,
    "odd-cuts": bytes([3, 7, 33, 2]) + frames + bytes.fromhex("c0000000"),
    "partial-tail": bytes([1, 20]) + frames + bytes.fromhex("0001"),
}

config = pathlib.Path("turnserver.conf.example").read_bytes()
seeds["config"] = {
    "example": config,
    "small": b"listening-port=3478\nrealm=example.org\nuser=alice:secret\nmin-port 49152\n\"quoted\nfingerprint # always\n",
    "with-arguments": b"listening-port=3478\n\x00--realm\x00example.org\x00--user-quota=5",
}

claims = json.dumps({"sub": "alice", "iat": 1699999000, "exp": 1700003600, "roomId": "r1", "permissions": ["video"]})
seeds["gateway"] = {
    "signed-claims": bytes([2]) + claims.encode() + b"\x00" + b'{"roomId":"r1","ttl":60}',
    "signed-header-and-claims": bytes([3]) + b'{"alg":"HS256","kid":"k"}|' + claims.encode(),
    "garbage-bearer": bytes([1]) + b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
    "raw-header": bytes([0]) + b"bearer  a.b.c",
}

seeds["signal"] = {
    "authenticate": bytes([0]) + b'{"type":"authenticate","token":"a.b.c","roomId":"room-1"}',
    "signal": bytes([0]) + b'{"type":"signal","to":"p_x","data":{"sdp":"v=0\\r\\n","candidate":null,"n":[0,-1.5e300,true]}}',
    "socketio-open": bytes([1]) + b"40",
    "socketio-event": bytes([1]) + b'4217["signal",{"data":{"u":"\\u00fc\\ud83d\\ude00"}}]',
    "socketio-namespace": bytes([1]) + b'42/chat,["signal",{}]',
}

for target, files in seeds.items():
    directory = work / "corpus" / target
    directory.mkdir(parents=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)

# Every option name of the catalogue, for the config target's dictionary.
catalogue = pathlib.Path("Sources/TURNConfig/ConfigKey+Catalogue.swift").read_text()
names = sorted(set(re.findall(r'\.(?:coturn|turnGate)\("([a-z0-9-]+)"', catalogue)))
with open(work / "config.dict", "w") as dictionary:
    for name in names:
        dictionary.write(f'"{name}="\n"--{name}"\n')
EOF_SEEDS

status=0
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    extra=()
    case "$target" in
        stunwire) binary="$bin_path/stunwire-fuzz"; max_len=2048 ;;
        authenticated) binary="$bin_path/turngate-fuzz"; max_len=1024 ;;
        stream) binary="$bin_path/turngate-fuzz"; max_len=8192 ;;
        config) binary="$bin_path/turngate-fuzz"; max_len=32768; extra=(-dict="$work/config.dict") ;;
        # The Swift concurrency runtime keeps allocations across inputs, so LeakSanitizer would
        # rescan the heap after almost every input (a hundredfold slowdown): off for this target.
        gateway) binary="$bin_path/turngate-fuzz"; max_len=4096; extra=(-detect_leaks=0) ;;
        signal) binary="$bin_path/turngate-fuzz"; max_len=4096 ;;
    esac
    mkdir -p "$artifacts/$target"
    log "$target: running for ${per_target}s; artifacts go to $artifacts/$target"
    rc=0
    TURNGATE_FUZZ_TARGET="$target" "$binary" \
        -max_total_time="$per_target" \
        -max_len="$max_len" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target/" \
        "${extra[@]}" \
        "$corpus" >"$work/$target.log" 2>&1 || rc=$?
    shopt -s nullglob
    found=("$artifacts/$target"/*)
    shopt -u nullglob
    if [ "$rc" -ne 0 ] || [ "${#found[@]}" -ne 0 ]; then
        tail -n 60 "$work/$target.log"
        log "$target: FAILED (exit status $rc)"
        for file in "${found[@]}"; do
            log "$target: crash input: $file"
        done
        status=1
    else
        log "$target: no crash: $(grep -E '^Done [0-9]+ runs' "$work/$target.log" || echo 'see the log')"
    fi
done

if [ "$status" -ne 0 ]; then
    exit 1
fi
rm -rf "$artifacts"
