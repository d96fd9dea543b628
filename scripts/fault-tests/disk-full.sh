#!/usr/bin/env bash
# Disk full is a temporary fault: with the index on a 4 MiB tmpfs (in a private mount namespace, so the
# host's mounts never change) that fills during a burst, the daemon must hold the batch, say
# "degraded: disk full" (status file, journal event index_degraded), record no file as failed for it, and
# catch up by itself once space returns. Run by scripts/test-systemd (needs root for the namespace).
#   scripts/fault-tests/disk-full.sh path/to/marsad WORKDIR
set -euo pipefail
bin=$1
work=$2
if [ "${MARSAD_IN_NAMESPACE:-}" != 1 ]; then
  exec unshare --mount --propagation private env MARSAD_IN_NAMESPACE=1 "$0" "$@"
fi
seeds=$(cd "$(dirname "$0")/../../seeds" && pwd)
small="$work/small"
inbox="$work/inbox"
mkdir -p "$small" "$inbox"
mount -t tmpfs -o size=4m tmpfs "$small"
db="$small/m.db"
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  umount "$small" 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "disk-full: $1" >&2; tail -20 "$work/daemon.log" >&2 || true; exit 1; }
status_field() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))' "$db.status.json" "$1" 2>/dev/null || true
}

"$bin" run --inbox "$inbox" --db "$db" --reconcile-interval 0 --log-level info --log-target console \
  >"$work/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 200); do [ "$(status_field state)" = watching ] && break; sleep 0.05; done
[ "$(status_field state)" = watching ] || fail "the daemon did not start"

# Leave about 300 KB free, then drop 150 distinct articles (about 1 MB of text): the WAL runs out of room.
avail=$(df --output=avail -k "$small" | tail -1)
dd if=/dev/zero of="$small/filler" bs=1k count=$((avail - 300)) status=none 2>/dev/null || true
for i in $(seq 150); do
  { echo "عنوان رقم $i"; cat "$seeds/00$((i % 5))_"*.txt; echo "سطر فريد رقم $i"; } > "$work/stage.txt"
  mv "$work/stage.txt" "$inbox/a$i.txt"
done

degraded=
for _ in $(seq 300); do
  degraded=$(status_field index_degraded)
  [ -n "$degraded" ] && [ "$degraded" != None ] && break
  sleep 0.05
done
case "$degraded" in "disk full"*) ;; *) fail "no 'disk full' in the status file (index_degraded: '$degraded')" ;; esac
grep -q "event=index_degraded\|cannot write to the index (disk full" "$work/daemon.log" || fail "no index_degraded log entry"
kill -0 "$pid" 2>/dev/null || fail "the daemon exited on a full disk"
failed=$(sqlite3 -readonly "$db" "SELECT count(*) FROM files WHERE status = 'failed'" 2>/dev/null || echo "?")
[ "$failed" = 0 ] || fail "$failed files recorded as failed while the disk was full"

# Space returns: the daemon catches up by itself, no restart.
rm -f "$small/filler"
"$bin" wait --db "$db" --timeout 60 "$inbox"/a*.txt >"$work/wait.log" || fail "marsad wait after space returned: $(grep -v searchable "$work/wait.log" | head -3)"
files=$(sqlite3 -readonly "$db" "SELECT count(*) FROM files WHERE status <> 'failed'")
failed=$(sqlite3 -readonly "$db" "SELECT count(*) FROM files WHERE status = 'failed'")
[ "$files" = 150 ] && [ "$failed" = 0 ] || fail "after recovery: $files files indexed, $failed failed (want 150, 0)"
for _ in $(seq 100); do [ "$(status_field index_degraded)" = None ] && break; sleep 0.05; done
[ "$(status_field index_degraded)" = None ] || fail "the status file still says degraded"
grep -q "accepts writes again" "$work/daemon.log" || fail "no index_recovered log entry"
kill -TERM "$pid"
wait "$pid" || fail "the daemon did not stop cleanly"
pid=
echo "disk-full: ok (held the burst while the disk was full, recorded no failure, caught up when space returned)"
