#!/usr/bin/env bash
# End to end under real systemd as PID 1: boots the host's /usr in a container with a volatile (tmpfs) root
# (systemd-nspawn --volatile=yes: the host's root is never written, its /tmp never cleaned), with Marsad's
# unit, sysusers, tmpfiles, catalog and config bound in read-only, and checks: the unit reaches active
# (running) with its STATUS line; a dropped file is indexed and appears in journalctl -u marsad; reload and
# stop work; a daemon that stops sending WATCHDOG=1 is restarted.
#   nspawn-test.sh BINARY WORKDIR
set -euo pipefail
bin=$1
work=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "nspawn: $*"; }

mkdir -p "$work/srv" "$work/dropins"
# A short watchdog so the test need not wait 30 s. /usr is the host's, read-only, and has no marsad, so the
# binary is bound at /opt/marsad/marsad and ExecStart points there; the unit is otherwise the shipped one.
cat > "$work/dropins/test.conf" <<CONF
[Service]
WatchdogSec=3
RestartSec=1
ExecStart=
ExecStart=/opt/marsad/marsad run --config /etc/marsad/marsad.toml
CONF
cp "$here/deploy/marsad.toml" "$work/marsad.toml"
sed -i 's|^reconcile_interval = .*|reconcile_interval = 0|' "$work/marsad.toml"
if [ "${MARSAD_TEST_FORCE_POLLING:-0}" = 1 ]; then
  sed -i 's|^force_polling = .*|force_polling = true|; s|^poll_interval = .*|poll_interval = 0.2|' "$work/marsad.toml"
fi

systemd-nspawn -q -D / --volatile=yes --register=no --keep-unit --private-network --console=passive \
  --bind-ro="$bin:/opt/marsad/marsad" \
  --bind-ro="$here/deploy/marsad.service:/etc/systemd/system/marsad.service" \
  --bind-ro="$work/dropins/test.conf:/etc/systemd/system/marsad.service.d/test.conf" \
  --bind-ro="$here/deploy/sysusers.d/marsad.conf:/etc/sysusers.d/marsad.conf" \
  --bind-ro="$here/deploy/tmpfiles.d/marsad.conf:/etc/tmpfiles.d/marsad.conf" \
  --bind-ro="$here/deploy/marsad.catalog:/etc/systemd/catalog/marsad.catalog" \
  --bind-ro="$work/marsad.toml:/etc/marsad/marsad.toml" \
  --bind="$work/srv:/srv" \
  -b systemd.firstboot=off systemd.wants=marsad.service >"$work/nspawn.log" 2>&1 &
nspawn=$!
cleanup() {
  kill -TERM "$nspawn" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$nspawn" 2>/dev/null || true
}
trap cleanup EXIT

# The container's PID 1, to run commands inside it with nsenter.
leader=""
for _ in $(seq 100); do
  # nspawn forks short-lived helpers first: wait for the child that is systemd itself.
  leader=$(pgrep -P "$nspawn" -x systemd | head -1 || true)
  [ -n "$leader" ] && [ -e "/proc/$leader/ns/ipc" ] && break
  sleep 0.1
done
[ -n "$leader" ] || { say "the container did not start"; grep -v cgroup "$work/nspawn.log" | head -20; exit 1; }
inside() { nsenter -t "$leader" -m -u -i -n -p -- "$@"; }

fail() { say "FAIL: $*"; inside systemctl status marsad --no-pager 2>&1 | head -20 || true; inside journalctl -u marsad --no-pager 2>&1 | tail -20 || true; exit 1; }

state=""
for _ in $(seq 300); do
  state=$(inside systemctl is-active marsad 2>/dev/null || true)
  [ "$state" = active ] && break
  sleep 0.1
done
[ "$state" = active ] || fail "marsad is '$state', not active"
status=$(inside systemctl show marsad -p StatusText --value)
case "$status" in *"/srv/marsad/inbox"*"articles · queue"*) say "active (running): $status" ;; *) fail "STATUS is '$status'" ;; esac

# Drop a file the way a user in the marsad group would, and find it in the index and in the journal.
cp "$here/seeds/003_931eb2a5a6a3a8f9.txt" "$work/srv/marsad/inbox/x.txt"
inside env MARSAD_DB=/var/lib/marsad/marsad.db /opt/marsad/marsad wait --timeout 20 /srv/marsad/inbox/x.txt >/dev/null \
  || fail "x.txt was not indexed"
hits=$(inside /opt/marsad/marsad search --db /var/lib/marsad/marsad.db --json رومانوسكي | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$hits" = 1 ] || fail "search found $hits"
for _ in $(seq 50); do
  inside journalctl -u marsad --no-pager -o cat 2>/dev/null | grep -q "indexed /srv/marsad/inbox/x.txt" && break
  sleep 0.1
done
inside journalctl -u marsad --no-pager -o cat | grep -q "indexed /srv/marsad/inbox/x.txt" || fail "no 'indexed' line in journalctl -u marsad"
inside journalctl -u marsad --no-pager ARTICLE_PATH=/srv/marsad/inbox/x.txt -o cat | grep -q indexed \
  || fail "journalctl ARTICLE_PATH=… finds nothing"
say "dropped file indexed, searchable, and in journalctl -u marsad"

# Reload.
inside systemctl reload marsad || fail "systemctl reload failed"
sleep 0.5
[ "$(inside systemctl is-active marsad)" = active ] || fail "not active after reload"
inside journalctl -u marsad --no-pager -o cat | grep -q "reloaded the configuration" || fail "no reload line"
say "reload works"

# The watchdog: freeze the daemon; systemd must kill and restart it.
pid=$(inside systemctl show marsad -p MainPID --value)
inside kill -STOP "$pid"
restarted=""
for _ in $(seq 150); do
  now=$(inside systemctl show marsad -p MainPID --value)
  if [ "$now" != "$pid" ] && [ "$now" != 0 ] && [ "$(inside systemctl is-active marsad)" = active ]; then restarted=$now; break; fi
  sleep 0.1
done
[ -n "$restarted" ] || fail "a frozen daemon was not restarted by the watchdog"
say "watchdog restarted a frozen daemon (pid $pid → $restarted)"

# Stop.
inside systemctl stop marsad || fail "systemctl stop failed"
[ "$(inside systemctl is-active marsad || true)" = inactive ] || fail "not inactive after stop"
inside journalctl -u marsad --no-pager -o cat | grep -q "^stopped" || fail "no 'stopped' line"
say "stop works"
