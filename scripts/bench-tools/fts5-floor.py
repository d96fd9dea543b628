#!/usr/bin/env python3
"""The floor Marsad is measured against: plain SQLite FTS5, no parsing, no Arabic analysis.

Reads every .txt file under DIR, takes the first line as the title and the rest as the body, and inserts them
into an FTS5 table (tokenize='unicode61 remove_diacritics 2') in one transaction. Prints one JSON line:
articles, bytes, seconds, articles_per_s, mb_per_s.

    fts5-floor.py DIR DB
"""
import json, os, sqlite3, sys, time

root, db = sys.argv[1], sys.argv[2]
if os.path.exists(db):
    os.remove(db)
start = time.perf_counter()
con = sqlite3.connect(db)
con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
count = size = 0
with con:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(dirpath, name), "rb") as f:
                data = f.read()
            text = data.decode("utf-8", errors="replace")
            title, _, body = text.partition("\n")
            con.execute("INSERT INTO docs (title, body) VALUES (?, ?)", (title, body))
            count += 1
            size += len(data)
con.close()
seconds = time.perf_counter() - start
print(json.dumps({"articles": count, "bytes": size, "seconds": round(seconds, 3),
                  "articles_per_s": round(count / seconds, 1), "mb_per_s": round(size / seconds / 1e6, 2)}))
