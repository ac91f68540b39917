#!/usr/bin/env bash
# The last two parts of `npm test`, side by side: the fault run spends most of its two minutes waiting on
# retries, timeouts and restarts of the killed bot (about a quarter of it is CPU), which leaves room for
# Chromium. Each keeps its own config (one file at a time inside each). The browser's lines are prefixed.
set -uo pipefail
cd "$(dirname "$0")/.."

npx vitest run --config vitest.browser.config.ts 2>&1 | sed -u 's/^/[browser] /' &
browser=$!
npx vitest run --config vitest.faults.config.ts
faults=$?
wait "$browser"
browser_status=$?
if [ "$faults" -ne 0 ] || [ "$browser_status" -ne 0 ]; then
  echo "browser test exit $browser_status, fault run exit $faults" >&2
  exit 1
fi
