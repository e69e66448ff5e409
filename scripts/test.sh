#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run the whole test suite
# (unit tests and integration tests against the embedded Kafka broker, kcat interop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
