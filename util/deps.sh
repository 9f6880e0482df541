#!/usr/bin/env bash
# Installs, from Debian 12's packages, what building, running and testing
# the module needs.  Does nothing when everything is already there.
# Usage: util/deps.sh [build|test|bench]   (default: test)
set -euo pipefail

what=${1:-test}

pkgs=(build-essential pkg-config nginx nginx-dev
      libjansson-dev libjwt-dev libcurl4-openssl-dev libssl-dev
      libphonenumber-dev libprotobuf-dev libpcre2-dev curl)
case "$what" in
    test|bench)
        pkgs+=(libcmocka-dev libtest-base-perl libcrypt-jwt-perl
               libjson-pp-perl libnginx-mod-http-echo valgrind
               python3) ;;
esac
case "$what" in
    bench) pkgs+=(wrk linux-perf) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
        | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "util/deps.sh: installing ${missing[*]}" >&2
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    # nginx is only a build and test dependency: never start the
    # packaged service on the port 80 of the machine
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod +x /usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
