#!/usr/bin/env bash
# Builds the release `fraudstream` binary into .build/release/fraudstream.
# The Dockerfile runs this same script.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fraudstream "$@"
