#!/usr/bin/env bash
# Runs every test: installs what is missing (Debian packages), builds the
# module, runs the cmocka unit tests, the demo check, and the
# Test::Nginx::Socket suites in t/ with prove.
#
#   util/test.sh                  everything
#   util/test.sh t/bulk-*.t       only these suites (after the unit tests)
#   TEST_NGINX_USE_VALGRIND=1 util/test.sh t/...
#                                 nginx under valgrind memcheck
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

util/deps.sh test
util/build.sh

echo "== build against a full nginx source tree"
util/build-fullsrc.sh

echo "== unit tests (cmocka)"
make -s -C t/unit

echo "== demo configuration, 1000 contacts"
util/demo.sh --check

export TEST_NGINX_BINARY=${TEST_NGINX_BINARY:-/usr/sbin/nginx}
export TEST_NGINX_LOAD_MODULES="$repo/build/ngx_http_levers_bulk_module.so"

# the real Test::Nginx when it is installed, else the project's runner
inc=()
if ! perl -MTest::Nginx::Socket -e1 2>/dev/null; then
    inc=(-I "$repo/t/lib")
fi

echo "== Test::Nginx suites"
if [ $# -gt 0 ]; then
    exec prove "${inc[@]}" "$@"
fi
exec prove "${inc[@]}" -r t
