#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the main job on the
# embedded Kafka broker. Extra arguments are passed to the job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec .build/release/fraudstream roundtrip "$@"
