#!/usr/bin/env bash
# make demo: a control plane on embedded SQLite (alert rules tuned for a short demo: deploy/demo/controlplane.json),
# a local webhook receiver for its alerts, three reference model servers each with an agent (zones eu-1, eu-2,
# us-1; golden set probed, delayed labels posted) and a traffic generator per server whose mix shifts halfway;
# prints the control plane's URL and an admin token, then fleet status and firing alerts every few seconds.
# Usage: scripts/demo.sh [DURATION_SECONDS]   (0 or none: run until Ctrl-C). Everything runs on 127.0.0.1
# under .demo/ (logs in .demo/logs/); on exit every process started here is stopped and waited for.
set -uo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-0}
BIN=${DROVER_BIN:-$(swift build -c release --show-bin-path 2>/dev/null)}
WORK=.demo
INTERVAL=${DEMO_STATUS_EVERY:-5}
SHIFT_AFTER=$(( DURATION > 0 ? DURATION / 2 : 60 ))

for exe in drover-controlplane drover-agent drover-refserver droverctl; do
  [ -x "$BIN/$exe" ] || { echo "demo: $BIN/$exe is missing — run 'make release' first" >&2; exit 1; }
done

rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/data"
pids=()
names=()

stop_all() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  wait 2>/dev/null
}

fail() {
  echo "demo: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$WORK/logs/$2.log" ]; then
    echo "--- last lines of $WORK/logs/$2.log ---" >&2
    tail -n 20 "$WORK/logs/$2.log" >&2
  fi
  stop_all
  exit 1
}

trap 'echo; echo "demo: interrupted, stopping"; stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

# start NAME CMD...: runs CMD in its own process group with its output in .demo/logs/NAME.log
start() {
  local name=$1; shift
  setsid "$@" >"$WORK/logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_http() {  # URL NAME
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null --noproxy '*' "$1" && return 0
    sleep 0.1
  done
  fail "$2 did not answer at $1 within 10 s" "$2"
}

check_alive() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      case "${names[$i]}" in traffic-*) continue ;; esac  # generators end on their own near the end
      fail "${names[$i]} exited unexpectedly" "${names[$i]}"
    fi
  done
}

CTL="$BIN/droverctl"

# Everything talks to 127.0.0.1 only: keep any configured HTTP proxy out of it.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

# 0. A webhook receiver for the control plane's alerts (Alertmanager JSON; one line per message in webhook.log).
HOOK_PORT=$(free_port)
start webhook python3 -u -c '
import http.server, json, sys
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        for a in body.get("alerts", []):
            print(body.get("status"), a["labels"].get("alertname"), a["labels"].get("feature", ""), a["annotations"].get("summary", ""), flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
' "$HOOK_PORT"

# 1. Control plane on embedded SQLite, with bootstrap admin + enrol tokens written non-interactively, fast alert
#    rules from deploy/demo/controlplane.json and the webhook receiver above.
CP_PORT=$(free_port)
export DROVER_SERVER="http://127.0.0.1:$CP_PORT"
python3 - deploy/demo/controlplane.json "$HOOK_PORT" "$DROVER_SERVER" >"$WORK/controlplane.json" <<'PY' || fail "cannot write $WORK/controlplane.json"
import json, sys
config = json.load(open(sys.argv[1]))
config["alerting"]["receivers"] = [{"name": "demo-webhook", "url": "http://127.0.0.1:%s/hook" % sys.argv[2], "timeout_seconds": 2}]
config["alerting"]["external_url"] = sys.argv[3]
json.dump(config, sys.stdout, indent=2)
PY
start controlplane "$BIN/drover-controlplane" serve --listen "127.0.0.1:$CP_PORT" --data-dir "$WORK/data" \
  --config "$WORK/controlplane.json" --bootstrap-token-file "$WORK/tokens.env"
wait_http "$DROVER_SERVER/healthz" controlplane
for _ in $(seq 1 50); do [ -s "$WORK/tokens.env" ] && break; sleep 0.1; done
[ -s "$WORK/tokens.env" ] || fail "the control plane wrote no bootstrap token file" controlplane
# shellcheck disable=SC1091
. "$WORK/tokens.env"
export DROVER_TOKEN="$DROVER_ADMIN_TOKEN"

echo "Drover demo"
echo "  control plane: $DROVER_SERVER   (data: $WORK/data, logs: $WORK/logs/)"
echo "  admin token:   $DROVER_ADMIN_TOKEN"
echo "  try:           DROVER_SERVER=$DROVER_SERVER DROVER_TOKEN=<admin token> $CTL fleet status"
echo "                 DROVER_SERVER=$DROVER_SERVER DROVER_TOKEN=<admin token> $CTL alerts list"
echo "  alert webhook: http://127.0.0.1:$HOOK_PORT/hook   (messages in $WORK/logs/webhook.log)"
echo

# 2. Versions with lineage (2 = int8 quantize of 1, 3 = prune of 1) and reference profiles from the training sample.
for v in 1 2 3; do
  "$CTL" versions register --file "deploy/demo/version-$v.yaml" >>"$WORK/logs/setup.log" 2>&1 \
    || fail "registering version $v failed" setup
done
"$BIN/drover-refserver" traffic --seed 7 --write-reference "$WORK/reference.csv" --reference-rows 5000 >>"$WORK/logs/setup.log" 2>&1 \
  || fail "writing the training sample failed" setup
# A golden set (queries with known labels and relevance) the agents send through their servers every few seconds.
"$BIN/drover-refserver" traffic --seed 5 --write-golden "$WORK/golden.jsonl" --golden-queries 20 >>"$WORK/logs/setup.log" 2>&1 \
  || fail "writing the golden set failed" setup
for v in 1 2 3; do
  if ! "$CTL" versions profile ranker "$v" --from-csv "$WORK/reference.csv" --outputs score --exclude label >>"$WORK/logs/setup.log" 2>&1; then
    echo "demo: (no reference profile for version $v — see $WORK/logs/setup.log; drift will show as 'no profile')"
  fi
done
"$CTL" versions list
echo

# 3. Three model servers, each with an agent enrolled under its zone, and a traffic generator that shifts halfway.
zones=(eu-1 eu-2 us-1)
served=(1 2 3)
for i in 0 1 2; do
  zone=${zones[$i]}; version=${served[$i]}
  rs_port=$(free_port); agent_port=$(free_port)
  start "refserver-$zone" "$BIN/drover-refserver" serve --port "$rs_port" --default-version "$version" --log-level warning
  agent_id="demo/ranker-$zone"
  "$CTL" agents enroll --agent-id "$agent_id" --model ranker --label "zone=$zone" --label pool=search \
    --enroll-token "$DROVER_ENROLL_TOKEN" >"$WORK/agent-$zone.token" 2>>"$WORK/logs/setup.log" \
    || fail "enrolling $agent_id failed" setup
  mkdir -p "$WORK/agent-$zone"
  wait_http "http://127.0.0.1:$rs_port/v2/health/ready" "refserver-$zone"
  DROVER_AGENT_LABELS="zone=$zone,pool=search" start "agent-$zone" "$BIN/drover-agent" run --config deploy/demo/agent.yaml \
    --agent-id "$agent_id" --server-url "http://127.0.0.1:$rs_port" --control-plane-url "$DROVER_SERVER" \
    --state-dir "$WORK/agent-$zone" --listen-port "$agent_port" \
    --set "control_plane.token_file=$WORK/agent-$zone.token" --set "probes.golden_set=$WORK/golden.jsonl" \
    --set "server.version=$version" --set "server.backup_version=$([ "$version" = 1 ] && echo 2 || echo 1)"
  wait_http "http://127.0.0.1:$agent_port/healthz" "agent-$zone"
  traffic_args=(traffic --server "http://127.0.0.1:$rs_port" --agent "http://127.0.0.1:$agent_port" --seed $((11 + i))
    --rate 20 --label-delay 2s --shift seasonal --shift-after "${SHIFT_AFTER}s" --progress-every 3600s)
  if [ "$DURATION" -gt 0 ]; then traffic_args+=(--duration "${DURATION}s"); fi
  start "traffic-$zone" "$BIN/drover-refserver" "${traffic_args[@]}"
done
echo "started 3 model servers, 3 agents and 3 traffic generators (mix shifts to 'seasonal' after ${SHIFT_AFTER}s)"
echo

# 4. Fleet status and firing alerts every few seconds until the duration is over (or Ctrl-C).
ALERT_TABLE='
import json, sys
alerts = json.load(sys.stdin).get("alerts", [])
print("alerts: %d firing" % len(alerts))
if alerts:
    print("  %-18s %-9s %-16s %-6s %-24s %-9s %s" % ("RULE", "SEVERITY", "FEATURE", "PSI", "SINCE", "VERSIONS", "ZONES"))
for a in alerts[:8]:
    an, lb = a.get("annotations", {}), a.get("labels", {})
    value = an.get("value", "-")
    try: value = "%.2f" % float(value)
    except ValueError: pass
    print("  %-18s %-9s %-16s %-6s %-24s %-9s %s" % (a.get("rule"), a.get("severity"), lb.get("feature", lb.get("run", "-")),
        value, an.get("since", a.get("starts_at", "-")), an.get("versions", lb.get("version", "-")), an.get("zones", lb.get("zone", "-"))))
'
begin=$(date +%s)
alerts_missing=0
while :; do
  sleep "$INTERVAL"
  check_alive
  elapsed=$(( $(date +%s) - begin ))
  echo "=== t+${elapsed}s  $(date -u +%H:%M:%S) ==="
  "$CTL" fleet status --since 30s 2>&1 || true
  if [ "$alerts_missing" = 0 ]; then
    if out=$("$CTL" alerts list --status firing --json 2>&1); then
      echo "$out" | python3 -c "$ALERT_TABLE"
    else
      echo "alerts: unavailable ($out)"
      alerts_missing=1
    fi
  fi
  echo
  if [ "$DURATION" -gt 0 ] && [ "$elapsed" -ge "$DURATION" ]; then break; fi
done

echo "demo: ${DURATION}s done; $(wc -l <"$WORK/logs/webhook.log" 2>/dev/null | tr -d ' ') alert notification(s) reached the webhook; stopping"
stop_all
exit 0
