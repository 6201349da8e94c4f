#!/usr/bin/env bash
# Installs the Debian packages the full test suite uses (as root): iptables and nftables for the
# generated-rules load checks and the network-namespace data-plane test, iproute2 for the
# namespaces, chromium for the webview tests, neovim as a second LSP client (test/nvim/).
# Idempotent; prints what it installs.
set -euo pipefail
packages=(iptables nftables ipset nfacct iproute2 util-linux neovim)
[ -n "${KUBEGLASS_SKIP_BROWSER:-}" ] || packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-system: ok"
