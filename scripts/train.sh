#!/usr/bin/env bash
# Train the Rasa model, but only when the config, domain or training data changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

model=models/traeningsguiden.tar.gz
# The lock's pins count, not its hashes or comments: the same versions train the same model.
fingerprint=$( (cat config.yml bot/domain.yml; grep -oE '^[A-Za-z0-9._-]+==[^ ;\\]+' requirements/lock.txt; find bot/data -type f -name '*.yml' | sort | xargs cat) | sha256sum | cut -c1-16)
if [ -f "$model" ] && [ "$(cat models/.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "train: model is up to date ($model)"
  exit 0
fi
echo "train: training the model (about 1-2 minutes)"
start=$(date +%s)
.venv/bin/rasa train --config config.yml --domain bot/domain.yml --data bot/data \
  --out models --fixed-model-name traeningsguiden > models.train.log 2>&1 || {
  tail -n 40 models.train.log >&2; echo "train: failed, see models.train.log" >&2; exit 1; }
mkdir -p models && echo "$fingerprint" > models/.fingerprint
echo "$(( $(date +%s) - start ))" > models/.train-seconds
rm -f models.train.log
echo "train: done in $(cat models/.train-seconds) s ($model)"
