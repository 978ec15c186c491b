#!/usr/bin/env bash
# Report-ingest load: a release drover-controlplane on a temporary SQLite directory, N simulated agents.
# Usage: run.sh [AGENTS] [INTERVAL_S] [DURATION_S] [drover-bench load options, e.g. --batch 10 --connections 64]
set -uo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-5000}; INTERVAL=${2:-10}; DURATION=${3:-30}
shift $(( $# < 3 ? $# : 3 ))
BIN=${DROVER_BIN:-$(swift build -c release --show-bin-path 2>/dev/null)}
WORK=$(mktemp -d -t drover-load-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
setsid "$BIN/drover-controlplane" serve --listen "127.0.0.1:$PORT" --data-dir "$WORK/data" \
  --bootstrap-token-file "$WORK/tokens.env" >"$WORK/controlplane.log" 2>&1 &
CP=$!
trap 'kill -TERM -- -$CP 2>/dev/null; wait $CP 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM
for _ in $(seq 1 100); do [ -s "$WORK/tokens.env" ] && break; sleep 0.1; done
# shellcheck disable=SC1091
. "$WORK/tokens.env"
"$BIN/drover-bench" load --server "http://127.0.0.1:$PORT" --enroll-token "$DROVER_ENROLL_TOKEN" \
  --agents "$AGENTS" --interval "$INTERVAL" --duration "$DURATION" --server-pid "$CP" "$@"
