#!/usr/bin/env bash
# Agent footprint: a release drover-agent probing drover-refserver, idle and ingesting 1,000 and 10,000
# events/s (20 features), RSS and CPU sampled from /proc. Usage: Benchmarks/agent/run.sh [seconds per phase]
#   AGENT_RATES=0,1000,10000   phases (events/s; 0 = idle)
#   AGENT_BIN=path             measure this drover-agent binary instead of the release build
#   AGENT_STATIC=0|1           whether to also measure the shipped --static-swift-stdlib build (`make agent-static`,
#                              own scratch path .build/agent-static: a slow first build); on unless BENCH_BIN/AGENT_BIN
#   BENCH_BIN=dir              prebuilt release binaries (drover-agent, drover-refserver); no build
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_PHASE=${1:-${AGENT_SECONDS:-30}}
RATES=${AGENT_RATES:-0,1000,10000}
LOG=$(mktemp -t drover-agent-bench-build-XXXXXX.log)
trap 'rm -f "$LOG"' EXIT

if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
else
  for product in drover-agent drover-refserver; do
    swift build -c release --product "$product" >"$LOG" 2>&1 || { cat "$LOG" >&2; exit 1; }
  done
  BIN="$(swift build -c release --show-bin-path)"
fi
AGENT="${AGENT_BIN:-$BIN/drover-agent}"

echo "linked libraries of $(basename "$AGENT") (Foundation/ICU would cost ≈ 7 MB RSS):"
ldd "$AGENT" | awk '{print "  " $1}' | grep -E 'swift|Foundation|icu|curl|ssl|crypto' | tr '\n' ' '; echo
if ldd "$AGENT" | grep -qE 'libFoundation\.so|FoundationInternationalization|_FoundationICU|libicu'; then
  echo "  WARNING: full Foundation or ICU is linked"
fi
python3 Benchmarks/agent/footprint.py --agent "$AGENT" --refserver "$BIN/drover-refserver" \
  --rates "$RATES" --seconds "$SECONDS_PER_PHASE" --label="$( [ -n "${AGENT_BIN:-}" ] && echo "$AGENT_BIN" || echo "release, dynamic runtime")"

if [ "${AGENT_STATIC:-$( [ -n "${BENCH_BIN:-}${AGENT_BIN:-}" ] && echo 0 || echo 1)}" = 1 ]; then
  STATIC=${AGENT_STATIC_DIR:-.build/agent-static}
  swift build -c release --product drover-agent --static-swift-stdlib --scratch-path "$STATIC" >"$LOG" 2>&1 \
    || { cat "$LOG" >&2; exit 1; }
  python3 Benchmarks/agent/footprint.py --agent "$(swift build -c release --scratch-path "$STATIC" --show-bin-path)/drover-agent" \
    --refserver "$BIN/drover-refserver" --rates "$RATES" --seconds "$SECONDS_PER_PHASE" --label="static stdlib"
fi
