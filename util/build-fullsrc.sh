#!/usr/bin/env bash
# Builds the module the way module users do, against a full nginx source
# tree: Debian's nginx 1.22.1 upstream tarball (from the Debian mirror's
# source package), ./configure --with-compat --add-dynamic-module=REPO,
# make modules; then checks that Debian's /usr/sbin/nginx loads the result.
#
#   util/build-fullsrc.sh [WORKDIR]      (default: build/fullsrc)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$repo/build/fullsrc}
mkdir -p "$work/lists/partial"

cat > "$work/src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC

apt_src=(-o Dir::Etc::sourcelist="$work/src.sources"
         -o Dir::Etc::sourceparts=/dev/null
         -o Dir::State::Lists="$work/lists")

cd "$work"
if ! ls nginx_1.22.1.orig.tar.gz >/dev/null 2>&1; then
    apt-get "${apt_src[@]}" update -qq
    apt-get "${apt_src[@]}" source --download-only -qq nginx 2>/dev/null
fi

rm -rf nginx-1.22.1
tar xzf nginx_1.22.1.orig.tar.gz
cd nginx-1.22.1

./configure --with-compat --with-threads --add-dynamic-module="$repo" \
    > "$work/configure.log" 2>&1 || { tail -20 "$work/configure.log"; exit 1; }
make -j"$(nproc)" modules > "$work/make.log" 2>&1 \
    || { tail -30 "$work/make.log"; exit 1; }

so=$PWD/objs/ngx_http_levers_bulk_module.so
mkdir -p "$work/run/logs"
cat > "$work/run/nginx.conf" <<CONF
load_module $so;
error_log logs/error.log;
pid logs/nginx.pid;
events {}
http {
    client_body_temp_path logs/cb;
    proxy_temp_path logs/p;
    fastcgi_temp_path logs/f;
    uwsgi_temp_path logs/u;
    scgi_temp_path logs/s;
    server {
        listen 127.0.0.1:39999;
        location = /bulk { levers_bulk; levers_bulk_gateway /gw; }
        location = /gw { internal; return 202; }
    }
}
CONF
/usr/sbin/nginx -q -t -p "$work/run" -c "$work/run/nginx.conf"
echo "full-source build: $so (loads into /usr/sbin/nginx)"
