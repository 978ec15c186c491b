#!/usr/bin/env bash
# Layering check: the agent and the CLI stay lean and never import server frameworks, SwiftNIO or databases
# (the agent's listener is its own, on plain sockets: docs/decisions/0002-agent-footprint.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '^\s*(@preconcurrency\s+)?(public\s+|internal\s+|package\s+)?import\s+(Hummingbird[A-Za-z]*|GRDB|PostgresNIO|Vapor|NIO[A-Za-z0-9]*)\b' \
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
    if re.search(r'"(Hummingbird[A-Za-z]*|GRDB|PostgresNIO|NIO[A-Za-z0-9]*)"', m.group(0)):
        bad.append(name)
if bad:
    print("check-imports: lean targets depend on server frameworks: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
print("check-imports: ok (agent, droverctl and shared modules are free of Hummingbird, SwiftNIO, GRDB, PostgresNIO)")
PY
# The agent stays off full Foundation (it loads ICU: ≈ 7 MB RSS): agent code and the modules it links import
# FoundationEssentials, with `import Foundation` only as the fallback of `#if canImport(FoundationEssentials)`.
python3 - <<'PY'
import os, re, sys
roots = ["agent", "Sources/DroverAPI", "Sources/DroverStats", "Sources/CurlTransport", "Sources/DroverYAML"]
bad = []
for root in roots:
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            lines = open(path, encoding="utf-8").read().splitlines()
            for i, line in enumerate(lines):
                if re.match(r'^\s*(@preconcurrency\s+)?(public\s+|internal\s+|package\s+)?import\s+(Yams|FoundationNetworking|FoundationInternationalization)\b', line):
                    bad.append(f"{path}:{i + 1}: {line.strip()}")
                elif re.match(r'^\s*(@preconcurrency\s+)?(public\s+|internal\s+|package\s+)?import\s+Foundation\s*$', line):
                    guarded = i >= 2 and lines[i - 1].strip() == "#else" and "FoundationEssentials" in lines[i - 2]
                    if not guarded:
                        bad.append(f"{path}:{i + 1}: {line.strip()} (use FoundationEssentials)")
if bad:
    print("check-imports: the agent must not link full Foundation:\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(1)
print("check-imports: ok (agent modules import FoundationEssentials only)")
PY
