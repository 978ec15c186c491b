#!/usr/bin/env bash
# Installs Seldon MLServer (scikit-learn runtime) into a virtualenv under .build/ and trains the two tiny models the
# MLServer integration tests serve. Idempotent: a re-run with everything in place takes about a second.
#
#   scripts/setup-mlserver.sh            # venv: .build/mlserver-venv, models: .build/mlserver-models
#
# Environment: DROVER_MLSERVER_VENV / DROVER_MLSERVER_MODELS override the two directories (they must stay inside the
# project's build area in CI); PYTHON picks the interpreter (default python3, 3.9 or newer).
#
# Model repository written (MLServer reads every model-settings.json under it):
#   ranker-v1/  model "ranker", parameters.version "1" — the backup: a depth-4 decision tree on price, discount and
#               category; its metadata declares FP32 but it answers FP64 (tree probabilities are float64)
#   ranker-v2/  model "ranker", parameters.version "2" — the primary: LogisticRegression on all 7 features (answers FP32
#               for FP32 input)
# Both versions share one model NAME: MLServer's repository load/unload act on the name and (un)load every version.
#   golden.jsonl  200 held-out GoldenRecords (features by name, categoricals as strings, binary label)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${DROVER_MLSERVER_VENV:-$root/.build/mlserver-venv}"
models="${DROVER_MLSERVER_MODELS:-$root/.build/mlserver-models}"
python="${PYTHON:-python3}"

# uvloop is pinned: newer releases crash MLServer's inference worker (SeldonIO/MLServer issue 2286).
# scikit-learn is pinned so the pickled models always load in the runtime that trained them.
requirements=(mlserver==1.7.1 mlserver-sklearn==1.7.1 uvloop==0.21.0 scikit-learn==1.9.1)

if ! command -v "$python" >/dev/null; then
  echo "setup-mlserver: $python is not on PATH; install Python 3.9+ with venv and pip (Debian: sudo apt-get install -y python3 python3-venv python3-pip)" >&2
  exit 1
fi
if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo "setup-mlserver: $python is older than 3.9 or lacks venv/ensurepip; install them (Debian: sudo apt-get install -y python3-venv python3-pip)" >&2
  exit 1
fi

stamp="$venv/.drover-requirements"
if [ ! -x "$venv/bin/mlserver" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${requirements[*]}" ]; then
  started=$(date +%s)
  echo "setup-mlserver: installing ${requirements[*]} into $venv (about 1–2 minutes)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "${requirements[@]}"; then
    echo "setup-mlserver: pip could not install ${requirements[*]} (is PyPI reachable? see the pip output above)" >&2
    rm -rf "$venv"
    exit 1
  fi
  echo "${requirements[*]}" >"$stamp"
  echo "setup-mlserver: installed in $(($(date +%s) - started)) s"
fi

# The training program: deterministic synthetic click data over the reference server's 7-feature schema.
train=$(cat <<'PY'
import json, os, sys
import numpy as np
import joblib
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

out = sys.argv[1]
categories = ["electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery", "garden",
              "automotive", "health", "pets"]
devices = ["web", "ios", "android"]
schema = ["price", "discount", "category", "popularity", "text_similarity", "user_activity", "device"]

def sample(rng, n):
    category = rng.integers(0, len(categories), n)
    price = np.exp(rng.normal(np.log(8 + 10 * category), 0.6))
    discount = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.05, 0.6, n))
    popularity = rng.random(n) ** 2
    relevant = rng.random(n) < 0.3
    similarity = np.clip(np.where(relevant, 0.7, 0.3) + rng.normal(0, 0.12, n), 0, 1)
    activity = np.exp(rng.normal(np.log(8), 0.5, n))
    device = rng.integers(0, len(devices), n)
    x = np.column_stack([price, discount, category, popularity, similarity, activity, device]).astype(np.float32)
    logit = -2.2 + 4.0 * similarity + 1.6 * popularity + 2.0 * discount - 0.4 * np.log(price) + 0.3 * (device == 1)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return x, y

x, y = sample(np.random.default_rng(2026), 4000)
tensor = {"name": "features", "datatype": "FP32", "shape": [-1, 7]}
for version in ("1", "2"):
    if version == "1":
        mask = np.array([1, 1, 1, 0, 0, 0, 0], dtype=np.float32)  # price, discount, category only: it ranks worse
        model = DecisionTreeClassifier(max_depth=4, random_state=0).fit(x * mask, y)
    else:
        model = LogisticRegression(max_iter=1000).fit(x, y)
    folder = os.path.join(out, f"ranker-v{version}")
    os.makedirs(folder, exist_ok=True)
    joblib.dump(model, os.path.join(folder, "model.joblib"))
    settings = {
        "name": "ranker",
        "implementation": "mlserver_sklearn.SKLearnModel",
        "parameters": {"uri": "./model.joblib", "version": version},
        # Declared FP32; version 1 really answers FP64 (numpy float64) — a quirk the agent handles.
        "inputs": [tensor],
        "outputs": [{"name": "predict_proba", "datatype": "FP32", "shape": [-1, 2]}],
    }
    with open(os.path.join(folder, "model-settings.json"), "w") as f:
        json.dump(settings, f, indent=2)

gx, gy = sample(np.random.default_rng(7), 200)
with open(os.path.join(out, "golden.jsonl"), "w") as f:
    for i, (row, label) in enumerate(zip(gx, gy)):
        features = {}
        for name, value in zip(schema, row.tolist()):
            if name == "category":
                features[name] = categories[int(value)]
            elif name == "device":
                features[name] = devices[int(value)]
            else:
                features[name] = round(float(value), 6)
        f.write(json.dumps({"id": f"g{i:03d}", "features": features, "label": float(label)}) + "\n")
print(f"setup-mlserver: trained ranker versions 1 and 2 into {out}")
PY
)

digest=$(printf '%s\n%s' "${requirements[*]}" "$train" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$models/.drover-digest" 2>/dev/null)" != "$digest" ]; then
  rm -rf "$models"
  mkdir -p "$models"
  "$venv/bin/python" -c "$train" "$models"
  echo "$digest" >"$models/.drover-digest"
fi
echo "setup-mlserver: ready ($venv/bin/mlserver, models in $models)"
