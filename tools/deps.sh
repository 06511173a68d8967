#!/usr/bin/env bash
# Installs everything the build, the tests and the local stack need. Idempotent: a second
# run on a ready machine only checks and returns in a few seconds.
#
# System packages come from Debian (root needed for apt); the rest lands in ./.deps and in
# the harness folders (t/harness/oidc/node_modules, t/harness/opensearch/target).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
DEPS=$REPO/.deps
mkdir -p "$DEPS/bin"

say() { printf 'deps: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------
APT_PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config clang-format libgtest-dev
  nginx nginx-dev
  libjwt-dev libhiredis-dev libmongoc-dev libbson-dev librabbitmq-dev libldap-dev
  libcurl4-openssl-dev libical-dev libcjson-dev libboost-dev prometheus-cpp-dev
  libsystemd-dev libssl-dev zlib1g-dev systemd
  libfreetype-dev libpng-dev libxml2-dev
  # mail: MIME (libvmime), Mustache templates, dates (ICU); libical is listed above
  libvmime-dev libkainjow-mustache-dev libicu-dev
  # the letter avatars' font
  fonts-dejavu-core
  # servers of the test and demo stack
  redis-server rabbitmq-server slapd ldap-utils radicale python3-aiosmtpd
  # toolchains of the harness
  python3 python3-venv openjdk-17-jdk-headless maven golang-go nodejs npm
  # Debian packages (`make deb`; dh_nginx comes with nginx-dev); adduser for installing them
  debhelper lintian adduser
  # benchmark
  wrk
  # fuzzing (`make fuzz`): clang with libFuzzer and the sanitizers' runtimes
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # A toolchain that is already on PATH (Go, Node) is kept rather than replaced by Debian's.
  case $p in
    golang-go) command -v go >/dev/null && continue ;;
    nodejs|npm) command -v node >/dev/null && command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# --- Python for the harness and the tests -----------------------------------------------
# Debian's interpreter with its site packages (Radicale and aiosmtpd come from Debian);
# the test libraries are pinned in t/requirements.txt.
VENV=$DEPS/venv
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [ ! -f "$VENV/.requirements" ] || ! cmp -s t/requirements.txt "$VENV/.requirements"; then
  say "installing Python test dependencies"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r t/requirements.txt
  cp t/requirements.txt "$VENV/.requirements"
fi

# --- FerretDB 1.24 (MongoDB wire protocol on SQLite) -------------------------------------
if [ ! -x "$DEPS/bin/ferretdb" ] || [ t/harness/ferretdb/go.sum -nt "$DEPS/bin/ferretdb" ] \
   || [ t/harness/ferretdb/main.go -nt "$DEPS/bin/ferretdb" ]; then
  say "building FerretDB"
  (cd t/harness/ferretdb && GOBIN=$DEPS/bin GOFLAGS=-mod=mod go install .)
fi

# --- OpenSearch node launcher (Maven Central jars) ---------------------------------------
if [ -f t/harness/opensearch/pom.xml ]; then
  if ! "$VENV/bin/python" -c 'import sys; sys.path.insert(0, "t"); from harness.opensearch_server import built; sys.exit(0 if built() else 1)'; then
    say "building the OpenSearch launcher"
    "$VENV/bin/python" -c 'import sys, subprocess; sys.path.insert(0, "t"); from harness.opensearch_server import BUILD_COMMAND; subprocess.run(BUILD_COMMAND, check=True)'
  fi
fi

# --- OIDC provider (npm, lock file committed) --------------------------------------------
if [ -f t/harness/oidc/package-lock.json ]; then
  if [ ! -d t/harness/oidc/node_modules ] || [ t/harness/oidc/package-lock.json -nt t/harness/oidc/node_modules ]; then
    say "installing the OIDC provider"
    npm ci --prefix t/harness/oidc --no-audit --no-fund --loglevel=error
    touch t/harness/oidc/node_modules
  fi
fi

say "ready"
