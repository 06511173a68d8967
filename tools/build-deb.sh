#!/usr/bin/env bash
# Builds the Debian packages libnginx-mod-http-twake-calendar and twake-calendar-worker with
# dpkg-buildpackage from debian/, in a staging copy under build/deb (dpkg-buildpackage writes
# its products next to the source folder and debhelper its work files into debian/: neither
# lands in the repository). The staging copy holds what the packages install and the binaries
# `make build` made, which debian/rules packages as they are (docs/install.md#packages).
# Then lintian checks them: an error fails the build.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
OUT=$REPO/build/deb
VERSION=$(dpkg-parsechangelog -l debian/changelog -S Version)
STAGE=$OUT/twake-calendar-$VERSION

for f in build/ngx_http_twake_calendar_module.so build/twake-calendar-worker; do
  [ -f "$f" ] || { echo "build-deb: $f is missing: run 'make build'" >&2; exit 1; }
done

rm -rf "$OUT"
mkdir -p "$STAGE/build"
cp -a debian conf docs VERSION "$STAGE/"
# Hard links when possible: the worker's unstripped binary is large.
for f in ngx_http_twake_calendar_module.so twake-calendar-worker; do
  ln "build/$f" "$STAGE/build/$f" 2>/dev/null || cp -a "build/$f" "$STAGE/build/$f"
done

start=$(date +%s)
(cd "$STAGE" && dpkg-buildpackage -b -us -uc >"$OUT/dpkg-buildpackage.log" 2>&1) || {
  echo "build-deb: dpkg-buildpackage failed; see $OUT/dpkg-buildpackage.log" >&2
  tail -30 "$OUT/dpkg-buildpackage.log" >&2
  exit 1
}
rm -rf "$STAGE"
echo "build-deb: packages built in $(($(date +%s) - start)) s:"
(cd "$OUT" && ls -l ./*.deb | awk '{print "  " $5 " bytes  " $9}')

# Warnings that remain are explained in docs/install.md.
changes=$(ls "$OUT"/*.changes)
if ! lintian --fail-on error "$changes" >"$OUT/lintian.txt" 2>&1; then
  cat "$OUT/lintian.txt" >&2
  echo "build-deb: lintian found errors" >&2
  exit 1
fi
echo "build-deb: lintian:"
sed 's/^/  /' "$OUT/lintian.txt"
