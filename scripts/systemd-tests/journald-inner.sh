#!/usr/bin/env bash
# Runs inside a private mount namespace (see scripts/test-systemd): a private systemd-journald on a tmpfs
# /run, the daemon logging to it, then the entries read back with journalctl -D. The host journal is never
# touched: /run here is a fresh tmpfs, and the journal files land in the test's own folder.
set -euo pipefail
work=$1
bin=$2
shift 2
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/journal /run/log/journal
mount --bind "$work/journal" /run/log/journal
/lib/systemd/systemd-journald &
journald=$!
trap 'kill $journald 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
[ -S /run/systemd/journal/socket ] || { echo "journald did not start" >&2; exit 1; }

mkdir -p "$work/inbox"
"$bin" run --inbox "$work/inbox" --db "$work/m.db" --log-target journald "$@" 2>"$work/daemon.stderr" &
daemon=$!
# Stop whatever this script started, whichever way it ends.
trap 'kill $daemon 2>/dev/null || true; kill $journald 2>/dev/null || true' EXIT
for _ in $(seq 200); do [ -e "$work/m.db.status.json" ] && grep -q '"watching"\|"polling"' "$work/m.db.status.json" && break; sleep 0.05; done
cp "$work/seeds/000_0bc6245a09814656.txt" "$work/inbox/good.txt"
: > "$work/inbox/empty.txt"
"$bin" wait --db "$work/m.db" --timeout 20 "$work/inbox/good.txt" || { echo "good.txt never became searchable"; tail -20 "$work/daemon.stderr"; exit 1; }
"$bin" wait --db "$work/m.db" --timeout 20 "$work/inbox/empty.txt" >/dev/null || true
kill -TERM $daemon
wait $daemon
trap 'kill $journald 2>/dev/null || true' EXIT
sleep 0.3
kill $journald
wait $journald 2>/dev/null || true
trap - EXIT
