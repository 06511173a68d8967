#!/usr/bin/env bash
# Builds the nginx module as a dynamic module against Debian's nginx, from the nginx build
# sources nginx-dev installs: a private copy of that tree in build/nginx, configured once
# with --with-compat --add-dynamic-module=<repository>, then `make modules`.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SRC=/usr/share/nginx/src
OUT=$REPO/build/nginx

if [ ! -x "$SRC/configure" ]; then
  echo "build-module: $SRC/configure is missing; run 'make deps' (Debian package nginx-dev)" >&2
  exit 1
fi

# Reconfigure when nginx-dev changed (new Debian nginx) or the addon scripts did.
stamp="$OUT/.configured"
want="$(dpkg-query -W -f='${Version}' nginx-dev) $(cat config config.make ngx_module/CMakeLists.txt shared/CMakeLists.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  rm -rf "$OUT"
  mkdir -p "$OUT"
  cp -a "$SRC/." "$OUT/"
  (cd "$OUT" && ./configure --with-compat --add-dynamic-module="$REPO" >configure.log 2>&1) || {
    echo "build-module: nginx configure failed; see $OUT/configure.log" >&2
    tail -20 "$OUT/configure.log" >&2
    exit 1
  }
  echo "$want" >"$stamp"
fi

make -s -C "$OUT" -f objs/Makefile modules
# Copy then rename: a running nginx has the old file mapped, and overwriting it in place
# would crash it. Unchanged: keep the file (and its time) as it is.
target="$REPO/build/ngx_http_twake_calendar_module.so"
if ! cmp -s "$OUT/objs/ngx_http_twake_calendar_module.so" "$target"; then
  cp "$OUT/objs/ngx_http_twake_calendar_module.so" "$target.new"
  mv -f "$target.new" "$target"
fi
