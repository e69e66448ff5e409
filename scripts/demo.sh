#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the main job on the
# embedded Kafka broker: `fraudstream demo` (simulated payments at a steady rate through
# the live processor, with a console view). Ctrl-C stops it cleanly. Extra arguments are
# passed to the demo, e.g. `scripts/demo.sh --duration 60 --rate 2000`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec .build/release/fraudstream demo "$@"
