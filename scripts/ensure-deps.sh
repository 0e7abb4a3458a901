#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lock file.
# The Electron binary is not needed for tests (and cannot be fetched offline), so its download is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› npm ci"
  npm ci --no-audit --no-fund
fi
