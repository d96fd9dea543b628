#!/usr/bin/env python3
"""sd_notify, for real: binds an AF_UNIX datagram socket, runs `marsad run` with NOTIFY_SOCKET and
WATCHDOG_USEC set, reloads it with SIGHUP, stops it with SIGTERM, and checks that READY, STATUS, WATCHDOG,
RELOADING and STOPPING arrive, in that order."""
import os, signal, socket, subprocess, sys, tempfile, time

binary = sys.argv[1]
extra = sys.argv[2:]
work = tempfile.mkdtemp(prefix="marsad-notify-")
path = os.path.join(work, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.2)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="2000000")
env.pop("WATCHDOG_PID", None)
env.pop("JOURNAL_STREAM", None)
os.makedirs(os.path.join(work, "inbox"))
proc = subprocess.Popen([binary, "run", "--inbox", os.path.join(work, "inbox"), "--db", os.path.join(work, "m.db"),
                         "--log-target", "console"] + extra, env=env, stderr=subprocess.DEVNULL)
messages = []

def collect(seconds):
    end = time.time() + seconds
    while time.time() < end:
        try:
            data = sock.recv(4096).decode()
            messages.append(data)
        except socket.timeout:
            pass

try:
    collect(2.5)          # READY, STATUS ticks, at least one WATCHDOG (every 1 s)
    proc.send_signal(signal.SIGHUP)
    collect(1.0)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    collect(0.3)
finally:
    if proc.poll() is None:
        proc.kill()

def first(key):
    for i, m in enumerate(messages):
        if key in m.split("\n"):
            return i
        if any(line.startswith(key) for line in m.split("\n")):
            return i
    return None

order = ["READY=1", "STATUS=", "WATCHDOG=1", "RELOADING=1", "STOPPING=1"]
positions = [first(k) for k in order]
failures = []
for key, pos in zip(order, positions):
    if pos is None:
        failures.append(f"{key} never arrived")
if None not in positions and positions != sorted(positions):
    failures.append(f"out of order: {list(zip(order, positions))}")
reload_at = first("RELOADING=1")
if reload_at is not None and not any("READY=1" in m for m in messages[reload_at + 1:]):
    failures.append("no READY=1 after RELOADING=1")
status = [m for m in messages if "STATUS=" in m]
if status and not any("articles · queue" in m for m in status):
    failures.append(f"STATUS lines look wrong: {status[:2]}")
if proc.returncode != 0:
    failures.append(f"exit status {proc.returncode}")
for f in failures:
    print("sd_notify: FAIL:", f)
print(f"sd_notify: {len(messages)} notifications, first: {messages[0].splitlines()[0] if messages else '-'}")
sys.exit(1 if failures else 0)
