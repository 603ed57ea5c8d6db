#!/usr/bin/env bash
# The README's test command: on a fresh machine (Node 20 + npm only) installs everything the
# tests need — Node 24, pnpm, the workspace, Debian's Chromium, PgBouncer and unzip — then
# runs typecheck, lint, unit, database, pipeline and browser tests against real parts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"

# Debian packages the tests run for real: Chromium (browser tests), PgBouncer (the poolers of a
# Supabase deployment, in front of the embedded Postgres), unzip (the model bundle is checked with
# `unzip -t`, as users would).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test: installing ${missing[*]} from Debian's packages"
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$ROOT"
# Two cores: more parallel packages only fight over them (each test run has its own Postgres).
pnpm exec prettier --check --log-level=warn .
# First prove that a failing test fails its run (vitest in every package, turbo, Ctrl-C cleanup):
# until that holds, a green run below would prove nothing.
pnpm --filter @mad/test-guard check
pnpm exec turbo run typecheck lint test --concurrency=2 --output-logs=errors-only
pnpm exec turbo run build --filter=@mad/web --filter=@mad/cli --output-logs=errors-only
# The same for the Playwright runner and its global setup (it needs the build above).
pnpm --filter @mad/test-guard check --e2e
E2E_SKIP_BUILD=1 pnpm --filter @mad/web test:e2e
echo "all tests passed"
