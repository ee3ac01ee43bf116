#!/usr/bin/env bash
# Fuzzes STUNWire's parsers and the TURN request processor with libFuzzer and AddressSanitizer.
#   FUZZ_SECONDS=60 scripts/fuzz.sh
# Builds the stunwire-fuzz product (Fuzz/STUNWireFuzz) in release mode with its libFuzzer entry
# point (-DFUZZING) into .build-fuzz, seeds a corpus with the RFC 5769 vectors and a few
# ChannelData frames, and runs for FUZZ_SECONDS (default 60). Exits 1 on a crash, printing the
# saved input; replay one with a plain `swift build --product stunwire-fuzz` binary and the
# file's path as its argument.
#
# SwiftPM on Linux links executables with `--defsym main=stunwire_fuzz_main`, so libFuzzer's own
# main() is never linked in: the harness has an @main that calls LLVMFuzzerRunDriver, declared
# with @_extern(c), hence `-enable-experimental-feature Extern`. The toolchain's lld links it;
# the default linker, gold, fails on the sanitized objects with an internal error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${FUZZ_SECONDS:-60}"
build_flags=(
    -c release
    --product stunwire-fuzz
    --scratch-path .build-fuzz
    -Xswiftc -sanitize=fuzzer,address
    -Xswiftc -DFUZZING
    -Xswiftc -enable-experimental-feature -Xswiftc Extern
    -Xswiftc -use-ld=lld
)

log() { echo "fuzz: $*"; }

log "building stunwire-fuzz with -sanitize=fuzzer,address"
swift build "${build_flags[@]}"
binary="$(swift build "${build_flags[@]}" --show-bin-path)/stunwire-fuzz"

work="$(mktemp -d)"
artifacts="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus"
mkdir -p "$corpus"

# Seed inputs, one file each: RFC 5769 Sections 2.1-2.4, then ChannelData frames
# (padded, unpadded, empty), then a bare STUN header.
python3 - "$corpus" <<'EOF'
import pathlib
import sys

seeds = {
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
for name, text in seeds.items():
    (pathlib.Path(sys.argv[1]) / name).write_bytes(bytes.fromhex(text))
EOF

log "running for ${seconds}s; artifacts go to $artifacts"
status=0
"$binary" \
    -max_total_time="$seconds" \
    -max_len=2048 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/" \
    "$corpus" 2>&1 | tee "$work/fuzz.log" || status=$?

shopt -s nullglob
found=("$artifacts"/*)
if [ "$status" -ne 0 ] || [ "${#found[@]}" -ne 0 ]; then
    log "FAILED (exit status $status)"
    for file in "${found[@]}"; do
        log "crash input: $file"
    done
    exit 1
fi
rmdir "$artifacts"
log "no crash: $(grep -E '^Done [0-9]+ runs' "$work/fuzz.log" || echo 'see the log above')"
