#!/usr/bin/env bash
# The crash test, longer than the bounded run in the test suite: `fraudstream run` with
# checkpoints (once as a group member, once with --assignment all_partitions) is killed with SIGKILL at random moments while a simulated stream arrives
# on the embedded broker (1,000 transactions per second), restarted each time, and a
# checker then reads the topics and reports transactions without a decision (must be 0),
# certain alerts missing (must be 0), duplicates and whether each repeats its alert id.
#
# Usage: scripts/crash-test.sh [SECONDS_OF_INPUT] [KILLS]    (defaults: 300 s, 20 kills)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CRASH_TEST_SECONDS="${1:-300}" CRASH_TEST_KILLS="${2:-20}"
swift build --build-tests
swift test --skip-build --filter CrashRecoveryTests 2>&1 | grep -E "crash test:|✔|✘|passed|failed"
