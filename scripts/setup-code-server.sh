#!/usr/bin/env bash
# Installs code-server (VS Code in a browser, from the npm registry) into a cache folder outside the
# repository, for the end-to-end tests in test/e2e/. It is deliberately not a project dependency:
# `npm ci` stays fast and the .vsix stays small.
#
# What a plain `npm install code-server` needs on a fresh Debian machine, worked out here:
# - as root, npm refuses to run its postinstall without `unsafe-perm`, and the nested installs it
#   starts ask for confirmation without `yes`;
# - the `kerberos` native module builds against GSSAPI headers (Debian's libkrb5-dev);
# - `@vscode/ripgrep` downloads a prebuilt `rg` tarball from the network at install time. This
#   machine reaches only package registries, so Debian's ripgrep is packed as that tarball and put
#   in the download cache the package looks in first (os.tmpdir()/vscode-ripgrep-cache-<version>).
#
# Idempotent: a complete install is detected by a stamp file and reused. Prints where it installed.
# Environment: KUBEGLASS_E2E_CACHE (default $HOME/.cache/kubeglass-e2e), KUBEGLASS_SKIP_E2E=1 skips.
set -euo pipefail

version=4.100.3
cache="${KUBEGLASS_E2E_CACHE:-$HOME/.cache/kubeglass-e2e}"
prefix="$cache/code-server-$version"
stamp="$prefix/.installed"

if [ -n "${KUBEGLASS_SKIP_E2E:-}" ]; then
  echo "setup-code-server: skipped (KUBEGLASS_SKIP_E2E is set)"
  exit 0
fi
if [ -f "$stamp" ] && [ -x "$prefix/node_modules/.bin/code-server" ]; then
  echo "setup-code-server: ok ($prefix)"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "setup-code-server: code-server $version needs Node 20, found $(node --version); e2e tests will skip" >&2
  exit 0
fi

# System packages: GSSAPI headers for kerberos, ripgrep for the search service, a compiler for the
# other native modules (node-pty, spdlog, native-watchdog, deviceid), which npm builds against the
# Node headers it is configured with.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in libkrb5-dev ripgrep python3 make g++; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup-code-server: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
command -v rg >/dev/null || { echo "setup-code-server: ripgrep (rg) is missing" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The code-server package pins the @vscode/ripgrep version in lib/vscode/npm-shrinkwrap.json, and
# that package names the ripgrep release it downloads in lib/postinstall.js: read both rather than
# guess them, so a version bump here cannot silently fall back to the network.
echo "setup-code-server: fetching code-server@$version"
(cd "$work" && npm pack --silent "code-server@$version" >/dev/null)
tar -xzf "$work/code-server-$version.tgz" -C "$work" package/lib/vscode/npm-shrinkwrap.json
rg_pkg_version="$(node -p 'require(process.argv[1]).packages["node_modules/@vscode/ripgrep"].version' "$work/package/lib/vscode/npm-shrinkwrap.json")"
(cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_pkg_version" >/dev/null)
mkdir -p "$work/ripgrep"
tar -xzf "$work/vscode-ripgrep-$rg_pkg_version.tgz" -C "$work/ripgrep"
rg_release="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$work/ripgrep/package/lib/postinstall.js")"
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "setup-code-server: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
[ -n "$rg_release" ] || { echo "setup-code-server: could not read the ripgrep release of @vscode/ripgrep@$rg_pkg_version" >&2; exit 1; }
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$rg_pkg_version"
mkdir -p "$rg_cache" "$work/rg-bin"
cp "$(command -v rg)" "$work/rg-bin/rg"
tar -czf "$rg_cache/ripgrep-$rg_release-$rg_target.tar.gz" -C "$work/rg-bin" rg
echo "setup-code-server: ripgrep $(rg --version | head -1 | cut -d' ' -f2) packed as $rg_cache/ripgrep-$rg_release-$rg_target.tar.gz"

rm -rf "$prefix"
mkdir -p "$prefix"
echo '{"name":"kubeglass-e2e-code-server","private":true}' >"$prefix/package.json"
echo "setup-code-server: installing code-server@$version into $prefix (builds native modules, a few minutes)"
start=$SECONDS
if ! npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
  "$work/code-server-$version.tgz" >"$work/npm.log" 2>&1; then
  tail -n 60 "$work/npm.log" >&2
  echo "setup-code-server: npm install failed" >&2
  exit 1
fi
# A config and log folder of its own, so that not even this check writes to the home folder.
XDG_CONFIG_HOME="$work/xdg-config" XDG_DATA_HOME="$work/xdg-data" "$prefix/node_modules/.bin/code-server" --version >/dev/null
touch "$stamp"
echo "setup-code-server: ok ($prefix, $((SECONDS - start)) s)"
