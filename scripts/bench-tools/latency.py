#!/usr/bin/env python3
"""Drop-to-searchable latency against a running `marsad run`.

Drops files from CORPUS into INBOX at RATE files/s, by `mv` (written beside the inbox, then renamed in) or
`cp` (written in place), and measures, for each, the time from the end of the write until its row is in the
index (the ledger row and the article's full-text rows are committed in one transaction, so a visible row
means a searchable article). Polls the SQLite database read-only every 0.2 ms. Prints one JSON line with
p50/p95/p99/max in ms.

    latency.py DB INBOX CORPUS_DIR RATE METHOD COUNT
"""
import json, os, shutil, sqlite3, sys, threading, time

db, inbox, corpus, rate, method, count = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], int(sys.argv[6])
sources = []
for dirpath, _, files in os.walk(corpus):
    for f in sorted(files):
        if f.endswith(".txt"):
            sources.append(os.path.join(dirpath, f))
        if len(sources) >= count:
            break
    if len(sources) >= count:
        break
stage = os.path.join(os.path.dirname(os.path.abspath(inbox)), ".latency-stage")
os.makedirs(stage, exist_ok=True)
real_inbox = os.path.realpath(inbox)
tag = f"lat-{method}-{int(rate)}-{int(time.time())}"
written = {}
seen = {}
done = threading.Event()

def poll():
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("PRAGMA query_only = 1")
    while not done.is_set() or len(seen) < len(written):
        rows = con.execute("SELECT path FROM files WHERE path LIKE ? AND status <> 'failed'", (f"%/{tag}-%",)).fetchall()
        now = time.perf_counter()
        for (path,) in rows:
            if path not in seen:
                seen[path] = now
        if done.is_set() and time.perf_counter() - done_at[0] > 10:
            break
        time.sleep(0.0002)
    con.close()

done_at = [0.0]
poller = threading.Thread(target=poll)
poller.start()
interval = 1.0 / rate
start = time.perf_counter()
for i, src in enumerate(sources[:count]):
    due = start + i * interval
    delay = due - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    name = f"{tag}-{i:05d}.txt"
    target = os.path.join(real_inbox, name)
    if method == "mv":
        tmp = os.path.join(stage, name)
        shutil.copyfile(src, tmp)
        os.rename(tmp, target)
    else:
        shutil.copyfile(src, target)
    written[target] = time.perf_counter()
done_at[0] = time.perf_counter()
done.set()
poller.join()
lat = sorted((seen[p] - t) * 1000 for p, t in written.items() if p in seen)
missing = len(written) - len(lat)
def pct(p):
    return round(lat[min(len(lat) - 1, int(len(lat) * p))], 2) if lat else None
print(json.dumps({"bench": "latency", "method": method, "rate": rate, "files": len(written), "missing": missing,
                  "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": round(lat[-1], 2) if lat else None}))
shutil.rmtree(stage, ignore_errors=True)
