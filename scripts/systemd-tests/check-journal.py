#!/usr/bin/env python3
"""Checks the journal entries the daemon wrote (journalctl -D DIR -o json on stdin)."""
import json, sys

inbox = sys.argv[1]
entries = [json.loads(line) for line in sys.stdin if line.strip()]
mine = [e for e in entries if e.get("SYSLOG_IDENTIFIER") == "marsad"]
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)

check(mine, "no entries with SYSLOG_IDENTIFIER=marsad")
ids = {
    "started": "bb727c51aa1842ad8a0d44334a626ab0",
    "indexed": "7cb60a7047434a76acb73d518e79d883",
    "failed": "e362f50e809f4fb9925d959939cf3ed4",
    "stopping": "0ee6afd1d3c0429fa568347ce8a99f3f",
}
for event, mid in ids.items():
    check(any(e.get("MESSAGE_ID") == mid for e in mine), f"no {event} entry (MESSAGE_ID={mid})")
indexed = [e for e in mine if e.get("MESSAGE_ID") == ids["indexed"]]
if indexed:
    e = indexed[0]
    check(e.get("ARTICLE_PATH", "").endswith("/inbox/good.txt"), f"ARTICLE_PATH is {e.get('ARTICLE_PATH')}")
    check(e.get("ARTICLE_ID", "").isdigit(), "ARTICLE_ID missing")
    check(len(e.get("CONTENT_SHA256", "")) == 64, "CONTENT_SHA256 missing")
    check("DURATION_MS" in e, "DURATION_MS missing")
    check(e.get("PRIORITY") == "6", f"PRIORITY is {e.get('PRIORITY')}")
    check(e.get("MESSAGE", "").startswith("indexed "), f"MESSAGE is {e.get('MESSAGE')}")
    for f in ("CODE_FILE", "CODE_LINE", "CODE_FUNC"):
        check(f in e, f"{f} missing")
failed = [e for e in mine if e.get("MESSAGE_ID") == ids["failed"]]
if failed:
    check(failed[0].get("PRIORITY") == "4", "failures are not at warning priority")
    check(failed[0].get("ERROR") == "the file is empty", f"ERROR is {failed[0].get('ERROR')}")
for e in mine:
    for key in e:
        if not key.startswith("_") and not key.startswith("__"):
            check(all(c.isupper() or c.isdigit() or c == "_" for c in key), f"bad field name {key}")

for f in failures:
    print("journald: FAIL:", f)
print(f"journald: {len(mine)} entries checked")
sys.exit(1 if failures else 0)
