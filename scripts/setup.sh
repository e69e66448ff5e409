#!/usr/bin/env bash
# Installs what FraudStream needs and is missing: librdkafka (headers, pkg-config file,
# mock cluster) and kcat. Safe to run again: it does nothing when all is present.
set -euo pipefail

need_packages=()
if ! pkg-config --exists rdkafka 2>/dev/null || [ ! -f /usr/include/librdkafka/rdkafka_mock.h ]; then
    need_packages+=(librdkafka-dev)
fi
command -v pkg-config >/dev/null 2>&1 || need_packages+=(pkg-config)
command -v kcat >/dev/null 2>&1 || need_packages+=(kcat)

if [ ${#need_packages[@]} -gt 0 ]; then
    echo "setup: installing ${need_packages[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "setup: need root (or sudo) to install: ${need_packages[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: the Swift toolchain (6.0 or newer) is required and was not found on PATH" >&2
    exit 1
fi
echo "setup: librdkafka $(pkg-config --modversion rdkafka), $(kcat -V 2>&1 | head -n 1), $(swift --version 2>&1 | head -n 1)" >&2
