#!/bin/sh
# validate-golden.sh — every golden domain XML against libvirt's RelaxNG schema.
#
# SPDX-License-Identifier: GPL-3.0-or-later
validate="$1"
dir="$2"

set -- "$dir"/*.xml
if [ ! -e "$1" ]; then
  echo "1..0 # SKIP no golden files in $dir"
  exit 0
fi

echo "1..$#"
n=0
status=0
for f in "$@"; do
  n=$((n + 1))
  if out=$("$validate" "$f" domain 2>&1); then
    echo "ok $n - $(basename "$f")"
  else
    echo "not ok $n - $(basename "$f")"
    echo "$out" | sed 's/^/# /'
    status=1
  fi
done
exit $status
