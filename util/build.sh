#!/usr/bin/env bash
# Builds build/ngx_http_levers_bulk_module.so against Debian's nginx-dev
# (/usr/share/nginx/src), with the flags the packaged nginx was built with,
# so /usr/sbin/nginx loads it with load_module.
#
#   util/build.sh            build (installs build dependencies if missing)
#   NGX_SRC=/path/to/nginx util/build.sh
#                            build against another nginx source tree
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/util/deps.sh" build

ngx_src=${NGX_SRC:-/usr/share/nginx/src}
build=${BUILD_DIR:-$repo/build}

NGX_CONF_FLAGS=()
if [ -f "$ngx_src/conf_flags" ]; then
    # shellcheck disable=SC1091
    . "$ngx_src/conf_flags"
fi

# configure again only when the addon script or the flags changed
stamp="$build/.configured"
want=$(cat "$repo/config"; printf '%s\n' "${NGX_CONF_FLAGS[@]}" "$ngx_src")
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    mkdir -p "$build"
    (cd "$ngx_src" && ./configure "${NGX_CONF_FLAGS[@]}" \
        --with-cc-opt="-g -O2 -fPIC -Wextra -Wno-unused-parameter ${LEVERS_CC_OPT:-}" \
        --add-dynamic-module="$repo" --builddir="$build") > "$build/configure.log" 2>&1 \
        || { tail -30 "$build/configure.log"; exit 1; }
    printf '%s' "$want" > "$stamp"
fi

make -s -f "$build/Makefile" -C "$ngx_src" modules -j"$(nproc)"
ls -l "$build/ngx_http_levers_bulk_module.so"
