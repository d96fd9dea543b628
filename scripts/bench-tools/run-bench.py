#!/usr/bin/env python3
"""The benchmark suite behind scripts/bench. See README.md, "Benchmarks"."""
import json, os, platform, shutil, signal, sqlite3, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "scripts", "bench-tools")
sys.path.insert(0, TOOLS)
BIN = os.path.join(ROOT, ".build", "release", "marsad")
BENCH = os.path.join(ROOT, ".build", "release", "marsad-bench")
WORK = os.environ.get("BENCH_DIR", "/tmp/marsad-bench")
TRASH = os.path.join(WORK, "trash")
QUICK = "--quick" in sys.argv
RUNS = int(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--runs=")), 1 if QUICK else 3))
# --only burst,latency,big,micro,serve,stories,peers: run just those parts (for profiling one of them).
ONLY = next((a.split("=", 1)[1].split(",") for a in sys.argv if a.startswith("--only=")), None)
rows = []
peer_rows = []  # the peers part's own table: system | ingest × floor | peak RSS | index / corpus | query p50 / p99

def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)

def corpus(n):
    path = os.path.join(WORK, f"corpus-{n}")
    if not os.path.exists(os.path.join(path, ".done")):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(TOOLS, "make-corpus.py"), os.path.join(ROOT, "seeds"), path, str(n)], check=True)
        open(os.path.join(path, ".done"), "w").close()
    return path

def corpus_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs if f.endswith(".txt"))

def indexed(db):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        n = con.execute("SELECT count(*) FROM files WHERE status = 'indexed'").fetchone()[0]
        con.close()
        return n
    except sqlite3.Error:
        return 0

def peak_rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None

def db_size(db):
    return sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))

def start_daemon(inbox, db, extra=()):
    proc = subprocess.Popen([BIN, "run", "--inbox", inbox, "--db", db, "--reconcile-interval", "0", "--log-level", "warning",
                             "--log-target", "console"] + list(extra), stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return proc

def wait_state(db, states=("watching", "polling"), timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if json.load(open(db + ".status.json")).get("state") in states:
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    return False

def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

def fresh(*paths):
    # Folders are moved aside, not deleted, until the end of the run: ext4 skips inodes freed in the last
    # minutes when it allocates new ones, so deleting a 20,000-file inbox made the next timed `cp -r` of
    # 20,000 files several times slower (ext4's find_inode_bit/recently_deleted in `perf`).
    for p in paths:
        if os.path.isdir(p):
            os.makedirs(TRASH, exist_ok=True)
            os.rename(p, os.path.join(TRASH, f"{len(os.listdir(TRASH))}-{os.path.basename(p)}"))
        else:
            [os.remove(p + s) for s in ("", "-wal", "-shm", ".lock", ".status.json") if os.path.exists(p + s)]

def wait_count(db, n, proc, timeout=1200):
    end = time.time() + timeout
    rss = 0
    while time.time() < end:
        rss = max(rss, peak_rss_mb(proc.pid) or 0)
        if indexed(db) >= n:
            return True, rss
        time.sleep(0.02)
    return False, rss

def floor(path):
    out = subprocess.run([sys.executable, os.path.join(TOOLS, "fts5-floor.py"), path, os.path.join(WORK, "floor.db")],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)

def median(xs):
    return statistics.median(xs) if xs else float("nan")

def bench_micro():
    seeds = [os.path.join(ROOT, "seeds", f) for f in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    for kind in ("analyze", "parse"):
        runs = [json.loads(subprocess.run([BENCH, kind] + seeds, capture_output=True, text=True, check=True).stdout)["mb_per_s"] for _ in range(3)]
        rows.append((f"{kind} (one core, seeds)", f"{median(runs):.1f} MB/s", "median of 3"))
        log(kind, runs)

def bench_burst(n):
    src = corpus(n)
    size = corpus_bytes(src)
    inbox, db = os.path.join(WORK, "inbox"), os.path.join(WORK, "burst.db")
    stopped, running, moved, ingest, floors, rss_all, sizes, copies = [], [], [], [], [], [], [], []
    for run in range(RUNS):
        # The floor, interleaved with Marsad's runs.
        f = floor(src)
        floors.append(f["articles_per_s"])
        log("floor", f)
        # 1. Placed while the daemon is stopped, then the daemon started.
        fresh(inbox, db)
        shutil.copytree(src, inbox)
        t0 = time.perf_counter()
        proc = start_daemon(inbox, db)
        ok, rss = wait_count(db, n, proc)
        t = time.perf_counter() - t0
        rss = max(rss, peak_rss_mb(proc.pid) or 0)
        stop(proc)
        sizes.append(db_size(db))
        stopped.append(n / t)
        rss_all.append(rss)
        log(f"stopped-then-started: {n / t:.0f} articles/s, peak RSS {rss:.0f} MB, ok={ok}")
        # 2. Dropped into a running daemon (cp -r of the whole corpus).
        def drop_into_running(drop):
            """Starts the daemon on an empty inbox, runs drop(), returns (articles/s from the start of drop, ok)."""
            os.makedirs(inbox)
            proc = start_daemon(inbox, db)
            wait_state(db)
            t0 = time.perf_counter()
            drop()
            ok, rss = wait_count(db, n, proc)
            t = time.perf_counter() - t0
            rss_all.append(max(rss, peak_rss_mb(proc.pid) or 0))
            stop(proc)
            return n / t, ok
        fresh(inbox, db)
        def copy():
            t0 = time.perf_counter()
            subprocess.run(["cp", "-r", src + "/.", inbox], check=True)
            copies.append(time.perf_counter() - t0)
        rate, ok = drop_into_running(copy)
        running.append(rate)
        log(f"dropped into running: {rate:.0f} articles/s (the cp -r took {copies[-1]:.1f} s), ok={ok}")
        # 2b. Dropped at once: a folder of 20,000 moved into the running daemon's inbox (one rename on the same
        # file system; the daemon watches the new folder, then scans it). On some ext4 machines the `cp -r` of
        # case 2 alone takes 5-11 s (inode allocation next to recently deleted ones), which bounds its figure.
        staging = os.path.join(WORK, "staging")
        fresh(inbox, db, staging)
        shutil.copytree(src, staging)
        rate, ok = drop_into_running(lambda: os.rename(staging, os.path.join(inbox, "batch")))
        moved.append(rate)
        log(f"moved into running: {rate:.0f} articles/s, ok={ok}")
        # 3. marsad ingest of the folder.
        fresh(db)
        t0 = time.perf_counter()
        subprocess.run([BIN, "ingest", "--db", db, src], check=True, capture_output=True)
        t = time.perf_counter() - t0
        ingest.append(n / t)
        log(f"ingest: {n / t:.0f} articles/s")
    fl = median(floors)
    mb = size / n / 1e6
    rows.append((f"floor: Python sqlite3 FTS5 unicode61, {n:,} articles", f"{fl:.0f} articles/s ({fl * mb:.1f} MB/s)", "no parsing, no Arabic analysis"))
    for name, xs in (("burst, placed while stopped, then started", stopped), ("burst, dropped into the running daemon", running),
                     ("burst, a folder moved (`mv`) into the running daemon", moved), ("`marsad ingest` of the folder", ingest)):
        m = median(xs)
        note = f"{m / fl:.2f}× the floor"
        if xs is running:
            note += f"; timed from the start of the `cp -r`, which itself took {median(copies):.1f} s (median)"
        rows.append((f"{name}, {n:,} articles", f"{m:.0f} articles/s ({m * mb:.1f} MB/s)", note))
    rows.append((f"peak RSS during the {n:,}-article bursts", f"{max(rss_all):.0f} MB", "max over runs"))
    rows.append((f"index size, {n:,} articles", f"{median(sizes) / 1e6:.1f} MB", f"{median(sizes) / size:.2f}× the articles' {size / 1e6:.1f} MB"))

def bench_latency():
    src = corpus(2000)
    inbox, db = os.path.join(WORK, "lat-inbox"), os.path.join(WORK, "lat.db")
    fresh(inbox, db)
    os.makedirs(inbox)
    proc = start_daemon(inbox, db)
    wait_state(db)
    for rate in (10, 50, 200):
        for method in ("mv", "cp"):
            count = {10: 50, 50: 250, 200: 1000}[rate] if not QUICK else {10: 20, 50: 100, 200: 400}[rate]
            out = json.loads(subprocess.run([sys.executable, os.path.join(TOOLS, "latency.py"), db, inbox, src, str(rate), method, str(count)],
                                            capture_output=True, text=True, check=True).stdout)
            log(out)
            rows.append((f"drop-to-searchable at {rate} files/s by {method}", f"p50 {out['p50_ms']} ms · p95 {out['p95_ms']} · p99 {out['p99_ms']} · max {out['max_ms']}",
                         f"{out['files']} files" + (f", {out['missing']} never seen" if out['missing'] else "")))
    stop(proc)

def make_queries(src):
    """The benchmark's queries, drawn from the corpus: 1–3 words, plus phrases and prefixes."""
    import random
    rng = random.Random(7)
    words = []
    for d, _, fs in os.walk(src):
        for f in sorted(fs)[:3]:
            words += [w for w in open(os.path.join(d, f), encoding="utf-8").read().split() if len(w) > 3 and w.isalpha()]
        if len(words) > 20000:
            break
    qfile = os.path.join(WORK, "queries.txt")
    with open(qfile, "w", encoding="utf-8") as q:
        q.write("# words\n")
        for _ in range(200):
            q.write(" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) + "\n")
        q.write("# phrase\n")
        for _ in range(50):
            i = rng.randrange(len(words) - 2)
            q.write(f'"{words[i]} {words[i + 1]}"\n')
        q.write("# prefix\n")
        for _ in range(50):
            q.write(rng.choice(words)[:4] + "*\n")
    return qfile

def bench_serve():
    import serve_bench
    n = 100_000
    src = corpus(n)
    db = os.path.join(WORK, "big.db")
    if not os.path.exists(db) or not os.path.exists(os.path.join(WORK, "queries.txt")):
        fresh(db)
        subprocess.run([BIN, "ingest", "--db", db, src], check=True, capture_output=True)
        make_queries(src)
    qfile = os.path.join(WORK, "queries.txt")
    serve_bench.bench_search(BIN, BENCH, db, qfile, WORK, RUNS, log, rows)
    serve_bench.bench_alerts(BENCH, db, qfile, log, rows)
    serve_bench.bench_memory(BIN, db, WORK, log, rows)
    serve_bench.bench_stream(BIN, WORK, src, log, rows)
    serve_bench.bench_pages(BIN, db, qfile, WORK, log, rows)
    serve_bench.bench_typing(BIN, db, qfile, WORK, log, rows)

def bench_big():
    n = 100_000
    src = corpus(n)
    # The daemon started on the 100,000-article folder (mirror mode: the files are only read): memory must
    # not grow with the burst, since the queue holds paths, not contents.
    db = os.path.join(WORK, "burst-100k.db")
    fresh(db)
    t0 = time.perf_counter()
    proc = start_daemon(src, db)
    ok, rss = wait_count(db, n, proc, timeout=3600)
    t = time.perf_counter() - t0
    rss = max(rss, peak_rss_mb(proc.pid) or 0)
    stop(proc)
    fresh(db)
    log(f"100,000 placed while stopped, then started: {n / t:.0f} articles/s, peak RSS {rss:.0f} MB, ok={ok}")
    rows.append((f"burst, {n:,} placed while stopped, then started", f"{n / t:.0f} articles/s, peak RSS {rss:.0f} MB", "one run"))
    db = os.path.join(WORK, "big.db")
    fresh(db)
    t0 = time.perf_counter()
    subprocess.run([BIN, "ingest", "--db", db, src], check=True, capture_output=True)
    log(f"ingested {n} in {time.perf_counter() - t0:.0f} s")
    qfile = make_queries(src)
    # Every word required (`--match all`), then the CLI's and the API's default (`best`), interleaved by round
    # (the word group is the only one best match changes: phrases and prefixes are one piece).
    runs = {"all": [], "best": []}
    for _ in range(RUNS):
        for mode in runs:
            result = subprocess.run([BENCH, "query", db, qfile, mode], capture_output=True, text=True, check=True)
            for line in result.stderr.splitlines():
                log(f"{mode}: {line}")  # the slowest queries of each group
            runs[mode].append([json.loads(line) for line in result.stdout.splitlines()])
    for mode, rounds in runs.items():
        for i, r in enumerate(rounds[0]):
            if mode == "best" and r["group"] != "words":
                continue
            p50 = statistics.median(round_[i]["p50_ms"] for round_ in rounds)
            p99 = statistics.median(round_[i]["p99_ms"] for round_ in rounds)
            log({**r, "p50_ms": p50, "p99_ms": p99, "rounds": len(rounds)})
            label = "" if mode == "all" else ", best match (the default)"
            rows.append((f"query latency, {r['group']}{label}, {n:,} articles (warm)",
                         f"p50 {p50:.2f} ms · p99 {p99:.2f} ms",
                         f"{r['queries']} queries, {r['mean_hits']} hits on average; median of {len(rounds)} rounds"))
    # Restart: reconcile of 100,000 unchanged files (the daemon's start-up, nothing to do).
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        proc = start_daemon(src, db)
        wait_state(db)
        times.append(time.perf_counter() - t0)
        stop(proc)
    rows.append((f"restart: start-up reconcile of {n:,} unchanged files", f"{median(times):.2f} s", "until watching again"))

def unassigned(db):
    """Articles of the index that have no story (0 once every commit has found its stories)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    n = con.execute("""SELECT count(*) FROM articles a LEFT JOIN article_stories s ON s.article_id = a.id
                       WHERE s.story_id IS NULL""").fetchone()[0]
    con.close()
    return n

def stories_off(db):
    subprocess.run([BIN, "stories", "--off", "--db", db], check=True, capture_output=True)

def story_assign(db, sample=1000):
    out = json.loads(subprocess.run([BENCH, "story-assign", db, str(sample)], capture_output=True, text=True,
                                    check=True).stdout)
    log(out)
    return out

def bench_stories(n):
    """What stories and near-duplicate fingerprints cost: the burst with them on and off, interleaved; the time to
    find one article's story at 10,000 and at 100,000 articles; 2,000 wire copies of one text."""
    src = corpus(n)
    size = corpus_bytes(src)
    inbox, db = os.path.join(WORK, "st-inbox"), os.path.join(WORK, "stories.db")
    rates = {"on": [], "off": []}
    ingest = {"on": [], "off": []}
    rss = {"on": [], "off": []}
    sizes = {"on": [], "off": []}
    left = []
    for run in range(RUNS):
        for mode in (("on", "off") if run % 2 == 0 else ("off", "on")):
            fresh(inbox, db)
            shutil.copytree(src, inbox)
            if mode == "off":
                stories_off(db)
            t0 = time.perf_counter()
            proc = start_daemon(inbox, db)
            ok, peak = wait_count(db, n, proc)
            t = time.perf_counter() - t0
            rss[mode].append(max(peak, peak_rss_mb(proc.pid) or 0))
            stop(proc)
            rates[mode].append(n / t)
            sizes[mode].append(db_size(db))
            if mode == "on":
                left.append(unassigned(db))
            log(f"stories {mode}: daemon burst {n / t:.0f} articles/s, peak RSS {rss[mode][-1]:.0f} MB, ok={ok}")
            fresh(db)
            if mode == "off":
                stories_off(db)
            t0 = time.perf_counter()
            subprocess.run([BIN, "ingest", "--db", db, src], check=True, capture_output=True)
            ingest[mode].append(n / (time.perf_counter() - t0))
            log(f"stories {mode}: ingest {ingest[mode][-1]:.0f} articles/s")
    for name, xs in (("daemon burst, placed while stopped, then started", rates), ("`marsad ingest` of the folder", ingest)):
        on, off = median(xs["on"]), median(xs["off"])
        rows.append((f"stories on / off: {name}, {n:,} articles", f"{on:.0f} / {off:.0f} articles/s",
                     f"stories cost {100 * (1 - on / off):.1f}% (median of {RUNS} interleaved rounds)"))
    rows.append((f"stories on / off: peak RSS of the daemon burst", f"{max(rss['on']):.0f} / {max(rss['off']):.0f} MB", "max over runs"))
    rows.append((f"stories on / off: index size, {n:,} articles",
                 f"{median(sizes['on']) / 1e6:.1f} / {median(sizes['off']) / 1e6:.1f} MB",
                 f"{median(sizes['on']) / size:.2f}× / {median(sizes['off']) / size:.2f}× the articles"))
    rows.append((f"articles without a story when the burst is indexed", f"{max(left)}", "the story is found in the commit that stores the article"))
    # One article's story, at two sizes of the index (re-assigned and rolled back).
    small = os.path.join(WORK, "stories-10k.db")
    fresh(small)
    subprocess.run([BIN, "ingest", "--db", small, corpus(10_000)], check=True, capture_output=True)
    big = os.path.join(WORK, "big.db")
    if not os.path.exists(big) or indexed(big) < 100_000:
        fresh(big)
        subprocess.run([BIN, "ingest", "--db", big, corpus(100_000)], check=True, capture_output=True)
    for label, path in (("10,000", small), ("100,000", big)):
        times = [story_assign(path) for _ in range(RUNS)]
        rows.append((f"finding one article's story, {label} articles", f"p50 {median([t['p50_us'] for t in times]):.0f} µs · "
                     f"p99 {median([t['p99_us'] for t in times]):.0f} µs", f"1,000 articles re-assigned; median of {RUNS} rounds"))
    fresh(small)
    # 2,000 copies of one wire text, each with another header: as fast as 2,000 articles, one story, one original.
    wires = os.path.join(WORK, "wire-copies")
    fresh(wires, db)
    os.makedirs(wires)
    text = open(os.path.join(ROOT, "seeds", sorted(f for f in os.listdir(os.path.join(ROOT, "seeds")) if f.endswith(".txt"))[3]),
                encoding="utf-8").read().split("\n")
    outlets = ["رويترز", "وكالات", "أ ف ب", "الأناضول", "مرصد"]
    for i in range(2000):
        with open(os.path.join(wires, f"wire-{i:04d}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join([text[0] + f" ({i})", f"بغداد - {outlets[i % 5]}"] + text[1:]))
    t0 = time.perf_counter()
    subprocess.run([BIN, "ingest", "--db", db, wires], check=True, capture_output=True)
    t = time.perf_counter() - t0
    con = sqlite3.connect(db)
    stories, originals = con.execute("SELECT count(*) FROM stories").fetchone()[0], \
        con.execute("SELECT count(*) FROM article_stories WHERE near_duplicate_of IS NULL").fetchone()[0]
    con.close()
    rows.append(("2,000 wire copies of one text (other headers), `marsad ingest`", f"{2000 / t:.0f} articles/s",
                 f"{stories} story, {originals} original"))
    fresh(wires, db)

def bench_peers(n):
    """tantivy and Lucene's ArabicAnalyzer beside the floor and `marsad ingest` (peers.py says how)."""
    import peers
    src = corpus(n)
    qfile = os.path.join(WORK, "queries.txt")
    if not os.path.exists(qfile):
        make_queries(src)
    try:
        peer_rows.extend(peers.bench(n, src, corpus_bytes(src), qfile, BIN, BENCH, WORK, TOOLS, RUNS, fresh, log, median))
    except peers.Skip as e:
        log(f"peers: skipped: {e}")
        rows.append(("peers (tantivy, Lucene ArabicAnalyzer)", "skipped", str(e)))
    except (RuntimeError, OSError, ValueError, StopIteration) as e:  # a peer that ran and failed: said, not fatal (the part runs last)
        log(f"peers: failed: {e}")
        rows.append(("peers (tantivy, Lucene ArabicAnalyzer)", "failed", str(e)))

def main():
    os.makedirs(WORK, exist_ok=True)
    shutil.rmtree(TRASH, ignore_errors=True)  # left by an interrupted run
    want = lambda part: ONLY is None or part in ONLY
    if want("micro"):
        bench_micro()
    if want("burst"):
        bench_burst(20_000 if not QUICK else 2_000)
    if want("latency"):
        bench_latency()
    if want("big") and not QUICK:
        bench_big()
    if want("serve") and not QUICK:
        bench_serve()
    if want("stories"):
        bench_stories(20_000 if not QUICK else 2_000)
    if want("peers"):
        bench_peers(20_000 if not QUICK else 2_000)
    shutil.rmtree(TRASH, ignore_errors=True)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    if rows or not peer_rows:
        print(f"\n| measure | result | note |\n| --- | --- | --- |")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} |")
    if peer_rows:
        n = 20_000 if not QUICK else 2_000
        print(f"\nPeers, {n:,} articles, the word queries of 1–3 words (every word required, top 10 and the total count, warm), "
              f"medians of {RUNS} interleaved rounds:\n")
        print("| system | ingest × floor | peak RSS | index / corpus | query p50 / p99 |\n| --- | --- | --- | --- | --- |")
        for r in peer_rows:
            print("| " + " | ".join(r) + " |")
    print(f"\nMachine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.platform()}. "
          f"Command: `scripts/bench{' --quick' if QUICK else ''}`.")

main()
