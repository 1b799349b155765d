#!/usr/bin/env bash
# Idempotent machine setup for SecureCodeRL: Debian packages and pinned Go
# tools. Fast when everything is installed already (it only checks).
set -euo pipefail

export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.4}"
GONB_VERSION=v0.11.5
TOOLS_VERSION=v0.52.0
GOBIN_DIR="$(go env GOPATH)/bin"

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# python3-jsonschema validates scrl scan's SARIF; chromium-headless-shell renders the
# notebooks' HTML export in stdlib/display's browser test.
for pkg in python3 python3-numpy python3-jsonschema jupyter-nbconvert jupyter-client jupyter-notebook bandit chromium-headless-shell; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Go tools, pinned. The proxy refuses version lists for some modules, so
# `go install pkg@version` can fail: install from a throwaway module.
install_tool() { # name module version package (module kept for the record)
  local name=$1 mod=$2 ver=$3 pkg=$4
  if [ -x "$GOBIN_DIR/$name" ] && [ -f "$GOBIN_DIR/.$name.version" ] && [ "$(cat "$GOBIN_DIR/.$name.version")" = "$ver" ]; then
    return
  fi
  echo "setup: installing $name $ver"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && go mod init setuptools >/dev/null 2>&1 && go get "$pkg@$ver" && go install "$pkg") >/dev/null 2>&1 || { echo "setup: could not install $name $ver ($pkg)" >&2; rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
  mkdir -p "$GOBIN_DIR"
  echo "$ver" > "$GOBIN_DIR/.$name.version"
}
install_tool gonb github.com/janpfeifer/gonb "$GONB_VERSION" github.com/janpfeifer/gonb
install_tool goimports golang.org/x/tools "$TOOLS_VERSION" golang.org/x/tools/cmd/goimports

# Go modules of the project (so later steps and notebooks work offline).
go mod download
echo "setup: ok (python $(/usr/bin/python3 -c 'import sys; print(sys.version.split()[0])'), bandit $(/usr/bin/python3 -c 'import bandit; print(bandit.__version__)' 2>/dev/null || echo '?'), gonb $GONB_VERSION, goimports $TOOLS_VERSION)"
