"""The `serve` part of scripts/bench: `marsad serve` under load, beside the same work done in-process.

- search: the benchmark's word queries (1–3 words) through `/api/search` with wrk (16 connections, 2 threads),
  and the same mix in-process (`marsad-bench load`: search + facets, as the route does) on 2 tasks (the
  throughput reference) and on 16 (the latency reference at the same concurrency). Interleaved rounds, medians.
- stream: files dropped one by one into a running `marsad run`; a reader polls the index for each new id every
  millisecond (the commit, as a client of the index sees it) and an `/api/stream` client notes when each
  article's event arrives: the difference, p50 and p99.
- alerts: 1,000 saved searches (the query mix) matched against 2,000 articles of the 100,000 index.
- memory: serve's resident memory with 100 open streams.
- pages: the search page against the API it is built on, and its weight.
- typing: in headless Chromium (scripts/test-browser --typing), from the last keystroke of a query to its
  results on the search page.
"""
import json, os, socket, sqlite3, statistics, subprocess, threading, time, urllib.parse, urllib.request

def start_serve(bin_path, db, log, extra=()):
    proc = subprocess.Popen([bin_path, "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-target", "console",
                             "--log-level", "warning", "--state-dir", db + ".serve-state"] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"serve did not start: {line!r}")
    return proc, int(line.strip().rsplit(":", 1)[1])

def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0

def word_queries(qfile):
    out, group = [], None
    for line in open(qfile, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            group = line[1:].strip()
        elif group == "words" and line:
            out.append(line)
    return out

def wrk_ms(text):
    value, unit = float(text[:-2] if text.endswith(("us", "ms")) else text[:-1]), text[-2:] if text.endswith(("us", "ms")) else text[-1:]
    return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

def run_wrk(port, paths, work, seconds):
    script = os.path.join(work, "paths.lua")
    with open(script, "w", encoding="utf-8") as f:
        f.write("local paths = {\n" + ",\n".join(json.dumps(p) for p in paths) + "}\n")
        f.write("local i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", script, f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    result = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "99%"):
            result["p50_ms" if parts[0] == "50%" else "p99_ms"] = wrk_ms(parts[1])
        if line.startswith("Requests/sec:"):
            result["per_second"] = float(parts[1])
        if "Non-2xx" in line:
            result["non_2xx"] = int(parts[-1])
    return result

def bench_search(bin_path, bench_path, db, qfile, work, runs, log, rows, seconds=10):
    queries = word_queries(qfile)
    paths = ["/api/search?q=" + urllib.parse.quote(q) for q in queries]
    served, in2, in16 = [], [], []
    for r in range(runs):
        for concurrency, into in ((2, in2), (16, in16)):
            out = subprocess.run([bench_path, "load", db, qfile, str(concurrency), str(seconds)], capture_output=True,
                                 text=True, check=True).stdout
            into.append(json.loads(out))
            log(f"in-process, {concurrency} tasks: {into[-1]}")
        proc, port = start_serve(bin_path, db, os.path.join(work, "serve.log"))
        try:
            run_wrk(port, paths, work, 2)  # warm the connections and the page cache
            served.append(run_wrk(port, paths, work, seconds))
            log(f"marsad serve, wrk 16 connections: {served[-1]}")
            if r == 0:
                # The HTTP layer alone: one stored article by id, no search.
                article = run_wrk(port, ["/api/articles/1"], work, 5)
                log(f"marsad serve, /api/articles/1: {article}")
        finally:
            stop(proc)
    rows.append(("/api/articles/{id}, 16 clients (wrk): the HTTP layer without a search",
                 f"{article['per_second']:.0f} req/s · p50 {article['p50_ms']:.2f} ms · p99 {article['p99_ms']:.2f} ms", "one 5 s run"))
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    ratio = med(served, "per_second") / med(in2, "per_second")
    rows.append(("/api/search, 16 clients (wrk), 100,000 articles", f"{med(served, 'per_second'):.0f} req/s · p50 {med(served, 'p50_ms'):.2f} ms · p99 {med(served, 'p99_ms'):.2f} ms",
                 f"{len(queries)} word queries, search + facets; {runs} interleaved rounds, medians"))
    rows.append(("same mix in-process, 2 tasks", f"{med(in2, 'per_second'):.0f} /s · p50 {med(in2, 'p50_ms'):.2f} ms · p99 {med(in2, 'p99_ms'):.2f} ms",
                 f"serve's throughput is {ratio:.0%} of it"))
    rows.append(("same mix in-process, 16 tasks", f"{med(in16, 'per_second'):.0f} /s · p50 {med(in16, 'p50_ms'):.2f} ms · p99 {med(in16, 'p99_ms'):.2f} ms",
                 f"serve's p50 {med(served, 'p50_ms') - med(in16, 'p50_ms'):+.2f} ms, p99 {med(served, 'p99_ms') - med(in16, 'p99_ms'):+.2f} ms from it"))

class SSEReader(threading.Thread):
    """Reads `/api/stream` and notes the arrival time of each event id."""
    def __init__(self, port, path="/api/stream"):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.arrived = {}
        self.buffer = b""

    def run(self):
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                now = time.perf_counter()
                self.buffer += chunk
                while b"\n\n" in self.buffer:
                    event, self.buffer = self.buffer.split(b"\n\n", 1)
                    for line in event.split(b"\n"):
                        if line.startswith(b"id: "):
                            self.arrived.setdefault(int(line[4:]), now)
        except OSError:
            return

def bench_stream(bin_path, work, corpus_dir, log, rows, files=100):
    inbox, db = os.path.join(work, "stream-inbox"), os.path.join(work, "stream.db")
    subprocess.run(["rm", "-rf", inbox, db, db + "-wal", db + "-shm", db + ".lock", db + ".status.json"], check=True)
    os.makedirs(inbox)
    daemon = subprocess.Popen([bin_path, "run", "--inbox", inbox, "--db", db, "--log-level", "warning", "--log-target", "console"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = None
    try:
        end = time.time() + 60
        while time.time() < end and not os.path.exists(db + ".status.json"):
            time.sleep(0.05)
        time.sleep(0.5)
        serve, port = start_serve(bin_path, db, os.path.join(work, "stream-serve.log"))
        reader = SSEReader(port)
        reader.start()
        committed = {}
        stop_polling = threading.Event()
        def poll():
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            while not stop_polling.is_set():
                try:
                    latest = con.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
                except sqlite3.Error:
                    latest = 0
                now = time.perf_counter()
                for i in range(max(committed, default=0) + 1, latest + 1):
                    committed.setdefault(i, now)
                time.sleep(0.001)
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(0.5)
        sources = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus_dir) for f in fs if f.endswith(".txt"))[:files]
        for n, src in enumerate(sources):
            staged = os.path.join(work, "stream-staged.txt")
            subprocess.run(["cp", src, staged], check=True)
            os.rename(staged, os.path.join(inbox, f"{n:04}.txt"))
            time.sleep(0.1)
        time.sleep(2)
        stop_polling.set()
        latencies = sorted((reader.arrived[i] - committed[i]) * 1000 for i in committed if i in reader.arrived)
        missed = len([i for i in committed if i not in reader.arrived])
        pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")
        log(f"stream: {len(latencies)} events, {missed} missed, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms")
        rows.append(("/api/stream: commit to event", f"p50 {pct(0.5):.1f} ms · p99 {pct(0.99):.1f} ms",
                     f"{len(latencies)} files dropped 100 ms apart into marsad run; {missed} missed"))
    finally:
        if serve:
            stop(serve)
        stop(daemon)

def bench_alerts(bench_path, db, qfile, log, rows):
    out = json.loads(subprocess.run([bench_path, "percolate", db, qfile, "1000", "2000"], capture_output=True, text=True,
                                    check=True).stdout)
    log(f"percolate: {out}")
    rows.append(("alerts: 1,000 saved searches against each new article",
                 f"{out['match_us_per_article']:.1f} µs per article to match (+ {out['read_and_analyze_us_per_article']:.0f} µs to read and analyze it)",
                 f"{out['articles']} articles of the 100,000 index, {out['matches']} matches"))

def bench_memory(bin_path, db, work, log, rows, streams=100):
    proc, port = start_serve(bin_path, db, os.path.join(work, "mem-serve.log"))
    try:
        time.sleep(0.5)
        before = rss_mb(proc.pid)
        readers = [SSEReader(port) for _ in range(streams)]
        for r in readers:
            r.start()
        time.sleep(3)
        with_streams = rss_mb(proc.pid)
        for r in readers:
            r.sock.close()
        log(f"serve RSS: {before:.0f} MB idle, {with_streams:.0f} MB with {streams} streams")
        rows.append((f"serve's memory with {streams} open streams", f"{with_streams:.0f} MB resident", f"{before:.0f} MB before they connected (100,000-article index)"))
    finally:
        stop(proc)

def bench_pages(bin_path, db, qfile, work, log, rows, rounds=3):
    """The search page against the API it is built on: the same 200 word queries, 20 results with snippets and
    facets, one client, the two requests of each query interleaved; and the page's weight."""
    import http.client
    queries = word_queries(qfile)
    proc, port = start_serve(bin_path, db, os.path.join(work, "pages-serve.log"))
    api, page, sizes = [], [], []
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        def get(path):
            t0 = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            return (time.perf_counter() - t0) * 1000, len(body), r.status
        for q in queries:  # warm
            get("/?q=" + urllib.parse.quote(q))
        for _ in range(rounds):
            for q in queries:
                encoded = urllib.parse.quote(q)
                t, _, _ = get(f"/api/search?q={encoded}&limit=20")
                api.append(t)
                t, size, status = get(f"/?q={encoded}")
                page.append(t)
                if status == 200:
                    sizes.append(size)
        js = len(urllib.request.urlopen(f"http://127.0.0.1:{port}/static/marsad.js").read())
        css = len(urllib.request.urlopen(f"http://127.0.0.1:{port}/static/marsad.css").read())
    finally:
        stop(proc)
    pct = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]
    diff = sorted(b - a for a, b in zip(api, page))
    log(f"pages: api p50 {pct(api, .5):.2f} p99 {pct(api, .99):.2f}; page p50 {pct(page, .5):.2f} p99 {pct(page, .99):.2f}; "
        f"page − api per query p50 {pct(diff, .5):.2f} p99 {pct(diff, .99):.2f} ms; largest page {max(sizes)} bytes")
    rows.append(("search page vs /api/search (20 results, one client)",
                 f"page p50 {pct(page, .5):.2f} / p99 {pct(page, .99):.2f} ms; API p50 {pct(api, .5):.2f} / p99 {pct(api, .99):.2f} ms",
                 f"page − API, query by query: p50 {pct(diff, .5):.2f} ms, p99 {pct(diff, .99):.2f} ms"))
    rows.append(("page weight", f"largest search page {max(sizes) / 1000:.1f} KB, median {statistics.median(sizes) / 1000:.1f} KB",
                 f"marsad.js {js / 1000:.1f} KB, marsad.css {css / 1000:.1f} KB, uncompressed"))

def bench_typing(bin_path, db, qfile, work, log, rows, count=100):
    """From the last keystroke to the results on the page, in a real browser, for the first `count` word queries
    (the debounce, the request with facets, the swap). Skipped, and said so, without Chromium and Selenium."""
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test-browser")
    if not (os.path.exists("/usr/bin/chromium") and os.path.exists("/usr/bin/chromedriver")):
        log("typing: skipped: no /usr/bin/chromium or chromedriver (scripts/setup --test-tools installs them)")
        return
    words = os.path.join(work, "typing-queries.txt")
    with open(words, "w", encoding="utf-8") as f:
        f.write("\n".join(word_queries(qfile)[:count]) + "\n")
    out = subprocess.run(["/usr/bin/python3", script, "--typing", bin_path, db, words], capture_output=True, text=True)
    if out.returncode != 0:
        log(f"typing: skipped: the browser run failed: {out.stderr.strip().splitlines()[-1:]}")
        return
    times = sorted(json.loads(out.stdout.strip().splitlines()[-1]))
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    log(f"typing: {len(times)} queries, last keystroke to results p50 {pct(.5):.0f} p99 {pct(.99):.0f} worst {times[-1]:.0f} ms")
    rows.append(("typing on the search page (headless Chromium)",
                 f"last keystroke to results: p50 {pct(.5):.0f} ms, p99 {pct(.99):.0f} ms ({len(times)} queries)",
                 f"worst {times[-1]:.0f} ms; debounce 40 ms included"))
