#!/usr/bin/env bash
# Layering check: the agent and the CLI stay lean and never import server frameworks or databases.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '^\s*(@preconcurrency\s+)?(public\s+|internal\s+|package\s+)?import\s+(Hummingbird[A-Za-z]*|GRDB|PostgresNIO|Vapor)\b' \
        agent controlplane/DroverCLI controlplane/droverctl Sources || true)
if [ -n "$bad" ]; then
  echo "check-imports: forbidden import in a lean module:" >&2
  echo "$bad" >&2
  exit 1
fi
# Package.swift: the lean targets must not depend on those products either.
python3 - <<'PY'
import re, sys
src = open("Package.swift").read()
lean = ["AgentCore", "drover-agent", "DroverCLI", "droverctl", "DroverAPI", "DroverStats", "CurlTransport"]
bad = []
for name in lean:
    m = re.search(r'\.(?:target|executableTarget)\(\s*name:\s*"%s".*?\n        \),' % re.escape(name), src, re.S)
    if not m:
        continue
    if re.search(r'"(Hummingbird[A-Za-z]*|GRDB|PostgresNIO)"', m.group(0)):
        bad.append(name)
if bad:
    print("check-imports: lean targets depend on server frameworks: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
print("check-imports: ok (agent, droverctl and shared modules are free of Hummingbird, GRDB, PostgresNIO)")
PY
