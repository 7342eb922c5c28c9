#!/usr/bin/env bash
# Runs the portal (release build) at http://127.0.0.1:3000 on an embedded SQLite
# file in ./data, created, migrated and filled with the demo dataset on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --no-browser
source scripts/env.sh
export CAREPORT_DEMO_DATA="${CAREPORT_DEMO_DATA:-true}"
export CAREPORT_LOG="${CAREPORT_LOG:-info}"
exec cargo leptos serve --release
