#!/usr/bin/env bash
# `npm test`: everything, from a clean checkout: dependencies, the test bed (dockerd, sshd, registry, Chromium),
# lint, typecheck, then unit, integration and end-to-end tests in one vitest run that ends with its summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash test/sandbox/up
echo "› lint";      npx eslint . --max-warnings 0
echo "› typecheck"; npx tsc -p tsconfig.json --noEmit
echo "› build renderer"; npx vite build --logLevel warn
echo "› tests"
npx vitest run
