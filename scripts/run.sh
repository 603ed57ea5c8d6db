#!/usr/bin/env bash
# The README's run command: installs what it needs on a fresh machine (Node 24, pnpm, the
# workspace), then runs the whole product: embedded Postgres, the GPU-cluster simulator, the
# ingester, seeded demo jobs flowing through the real pipeline, and the dashboard.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
# Run the orchestrator as this very process (no pnpm/sh in between), so Ctrl-C reaches it
# directly and it stops its children in order.
cd "$ROOT/tooling/dev-stack"
exec node --import tsx src/run.ts "$@"
