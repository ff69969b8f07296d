#!/usr/bin/env bash
# Install what the kiosk needs, idempotently: Debian packages, the virtualenv, Python
# packages, compiled translations. Usage: scripts/install.sh run|test
#   run  — what `make run` needs (runtime libraries, fonts, the kiosk and its simulator)
#   test — also what the test suite needs (pcscd + vsmartcard, CUPS, Xvfb, poppler, dev tools)
# Debian packages are installed with apt-get when running as root or with passwordless
# sudo; otherwise the exact command is printed and the install goes on with what works.
set -euo pipefail

purpose="${1:-run}"
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

lists=(scripts/apt-run.txt scripts/apt-build.txt)
[ "$purpose" = test ] && lists+=(scripts/apt-test.txt)

# --- Debian packages -------------------------------------------------------------------
if command -v dpkg-query >/dev/null 2>&1; then
  wanted=$(grep -hv '^\s*#' "${lists[@]}" | awk 'NF {print $1}' | sort -u)
  missing=()
  for package in $wanted; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
    if [ "$sudo" = none ]; then
      echo "install: these Debian packages are missing; as an administrator run:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
      echo "install: going on without them (what needs them will say so)." >&2
    else
      echo "install: apt-get install ${missing[*]}"
      # Package scripts must not start services here (pcscd, cups): tests start their own.
      policy_created=""
      if [ ! -e /usr/sbin/policy-rc.d ] && [ -z "$sudo" ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        policy_created=1
      fi
      $sudo apt-get update -qq
      $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      [ -n "$policy_created" ] && rm -f /usr/sbin/policy-rc.d
    fi
  fi
else
  echo "install: not a Debian system; install the packages in scripts/apt-*.txt yourself." >&2
fi

# --- the virtualenv and Python packages ------------------------------------------------
python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "install: Python 3.11 or newer is needed (found $("$python" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "install: creating .venv"
  "$python" -m venv .venv
fi
extras=portal-sim
[ "$purpose" = test ] && extras=dev
digest=$(sha256sum pyproject.toml | cut -c1-16)
stamp=".venv/.installed-$extras-$digest"
# The dev extra includes portal-sim: after `make test`, `make run` needs nothing more.
if [ ! -e "$stamp" ] && ! { [ "$extras" = portal-sim ] && [ -e ".venv/.installed-dev-$digest" ]; }; then
  echo "install: pip install -e .[$extras] (pyscard is built against libpcsclite here)"
  .venv/bin/python -m pip install -q --upgrade pip wheel setuptools
  .venv/bin/python -m pip install -q -e ".[$extras]"
  rm -f .venv/.installed-"$extras"-*
  touch "$stamp"
fi

# --- compiled translations -------------------------------------------------------------
for source in kiosk/ui/i18n/*.ts; do
  compiled="${source%.ts}.qm"
  if [ ! -e "$compiled" ] || [ "$source" -nt "$compiled" ]; then
    .venv/bin/pyside6-lrelease -silent "$source" -qm "$compiled"
  fi
done
echo "install: ready ($purpose)"
