#!/usr/bin/env bash
# `npm run bench [-- NAME...]`: brings the test bed up like `npm test`, then runs bench/NAME.ts (all when none is
# named). Each benchmark prints name=value lines, its baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash test/sandbox/up >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*.ts; do names+=("$(basename "$f" .ts)"); done
fi
for name in "${names[@]}"; do
  [ -f "bench/$name.ts" ] || { echo "no benchmark named $name (have: $(ls bench | sed 's/\.ts$//' | tr '\n' ' '))" >&2; exit 2; }
  echo "# bench $name"
  npx tsx "bench/$name.ts"
done
