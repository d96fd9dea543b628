#!/usr/bin/env python3
"""The `peers` part of scripts/bench: tantivy and Lucene's ArabicAnalyzer beside Marsad and the FTS5 floor.

Same corpus, same word queries (the `# words` group: 1–3 words, every word required, top 10 with the total
count, warm: each query once before the timed pass), interleaved rounds (floor, `marsad ingest`, tantivy,
Lucene) × RUNS, medians. Benchmarks only: scripts/test never runs this.

- tantivy: PyPI `tantivy` (pinned below) in a venv under the bench folder; title and body text fields, stored,
  default tokenizer (no Arabic analysis), writer with 2 threads (128 MB heap in all); the timed process reads
  the .txt files itself, like the floor and `marsad ingest`. Queries: `parse_query(q, ["title", "body"],
  conjunction_by_default=True)`, `searcher.search(query, 10)` (which counts every hit).
- Lucene: the Anserini fat jar carried by PyPI's `pyserini==0.25.0` wheel (Lucene 9.9.1), run on Java 17
  (`scripts/setup --bench-tools` installs Debian's JDK). `IndexCollection -collection JsonCollection -threads 2
  -language ar -storePositions -storeContents` (ArabicAnalyzer, default stop words, BM25): the corpus is first
  converted once into one JSONL file per folder ({"id", "contents": title + body}), not timed. Queries through
  a small Java program (LuceneQueries.java, compiled with javac): each query analyzed with ArabicAnalyzer, a
  BooleanQuery of MUST term clauses on `contents`, top 10 with an exact total count; queries left with no term
  (stop words only) are skipped, as Marsad's benchmark skips them.
- ingest is the wall clock of the whole process (the JVM's and Python's start included); peak RSS is the
  process's maximum resident set (wait4's ru_maxrss); index size is the index folder or database.

As a script (run by the part, with the venv's Python for tantivy):
    peers.py tantivy-index DIR INDEX        peers.py tantivy-query INDEX QUERIES      peers.py fts5-query DB QUERIES
each prints one JSON line.
"""
import json, os, shutil, subprocess, sys, time

TANTIVY = "tantivy==0.27.0"
PYSERINI = "pyserini==0.25.0"
JAR_IN_WHEEL = "pyserini/resources/jars/anserini-0.25.0-fatjar.jar"

class Skip(Exception):
    pass

def articles(root):
    """(title, body) of every .txt file under root, in the floor's order: first line the title, the rest the body."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".txt"):
                with open(os.path.join(dirpath, name), "rb") as f:
                    title, _, body = f.read().decode("utf-8", errors="replace").partition("\n")
                yield title, body

def word_queries(path):
    out, group = [], None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("#"):
            group = line[1:].strip()
        elif line and group == "words":
            out.append(line)
    return out

def pct(times, p):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * p))] if times else 0.0  # as marsad-bench query

def latency_json(times, hits, skipped=0):
    return {"queries": len(times), "p50_ms": round(pct(times, 0.5), 3), "p99_ms": round(pct(times, 0.99), 3),
            "max_ms": round(max(times, default=0), 3), "mean_hits": hits // max(1, len(times)), "skipped": skipped}

# --- run as a script ---------------------------------------------------------------------------------------

def tantivy_index(root, idx):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    schema = sb.build()
    os.makedirs(idx)
    index = tantivy.Index(schema, path=idx)
    writer = index.writer(128_000_000, 2)
    n = 0
    for title, body in articles(root):
        writer.add_document(tantivy.Document(title=title, body=body))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    print(json.dumps({"articles": n}))

def timed(queries, run):
    """Each query once to warm up, then once timed: the latency JSON of the timed pass (`run` returns the hits)."""
    for q in queries:
        run(q)
    times, hits = [], 0
    for q in queries:
        t0 = time.perf_counter()
        hits += run(q)
        times.append((time.perf_counter() - t0) * 1000)
    return latency_json(times, hits)

def tantivy_query(idx, qfile):
    import tantivy
    index = tantivy.Index.open(idx)
    index.reload()
    searcher = index.searcher()
    queries = word_queries(qfile)
    run = lambda q: searcher.search(index.parse_query(q, ["title", "body"], conjunction_by_default=True), 10).count
    print(json.dumps(timed(queries, run)))

def fts5_query(db, qfile):
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    queries = word_queries(qfile)
    def run(q):
        match = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())  # implicit AND
        con.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (match,)).fetchall()
        return con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
    print(json.dumps(timed(queries, run)))

# --- the part, imported by run-bench.py ---------------------------------------------------------------------

LUCENE_QUERIES = r"""
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/** LuceneQueries INDEX QUERIES: the `# words` group, every word required, top 10 with an exact count, warm. */
public class LuceneQueries {
    static Query parse(Analyzer analyzer, String text) throws Exception {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int n = 0;
        try (TokenStream ts = analyzer.tokenStream("contents", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) { b.add(new TermQuery(new Term("contents", term.toString())), BooleanClause.Occur.MUST); n++; }
            ts.end();
        }
        return n == 0 ? null : b.build();
    }
    static long run(IndexSearcher s, Analyzer a, String q) throws Exception {
        Query query = parse(a, q);
        if (query == null) return -1;
        TopScoreDocCollector c = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
        s.search(query, c);
        return c.topDocs().totalHits.value;
    }
    public static void main(String[] args) throws Exception {
        List<String> queries = new ArrayList<>();
        String group = null;
        for (String line : Files.readAllLines(Paths.get(args[1]))) {
            line = line.strip();
            if (line.startsWith("#")) group = line.substring(1).strip();
            else if (!line.isEmpty() && "words".equals(group)) queries.add(line);
        }
        Analyzer analyzer = new ArabicAnalyzer();
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(args[0])))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));  // Anserini's defaults
            for (String q : queries) run(searcher, analyzer, q);
            List<Double> times = new ArrayList<>();
            long hits = 0;
            int skipped = 0;
            for (String q : queries) {
                long t0 = System.nanoTime();
                long h = run(searcher, analyzer, q);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (h < 0) { skipped++; continue; }
                hits += h;
                times.add(ms);
            }
            Collections.sort(times);
            int n = times.size();
            double p50 = n == 0 ? 0 : times.get(Math.min(n - 1, (int) (n * 0.5)));
            double p99 = n == 0 ? 0 : times.get(Math.min(n - 1, (int) (n * 0.99)));
            System.out.printf(Locale.ROOT, "{\"queries\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"mean_hits\": %d, \"skipped\": %d, \"lucene\": \"%s\", \"docs\": %d}%n",
                n, p50, p99, n == 0 ? 0 : times.get(n - 1), n == 0 ? 0 : hits / n, skipped, org.apache.lucene.util.Version.LATEST, reader.numDocs());
        }
    }
}
"""

def run_timed(cmd):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout). Raises on a non-zero exit."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the process's own ru_maxrss, not the largest child's so far
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {proc.returncode}: {stderr.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, stdout

def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)

def prepare(work, log):
    """Installs the peers into the bench folder (once). Returns {python, jar, classes}; raises Skip."""
    home = os.path.join(work, "peers")
    wheels = os.path.join(home, "wheels")
    venv = os.path.join(work, "peers-venv")
    py = os.path.join(venv, "bin", "python")
    jar = os.path.join(home, os.path.basename(JAR_IN_WHEEL))
    classes = os.path.join(home, "classes")
    os.makedirs(wheels, exist_ok=True)
    for tool in ("java", "javac"):
        if not shutil.which(tool):
            raise Skip(f"no `{tool}` on PATH (a Java 17 JDK: `scripts/setup --bench-tools` installs Debian's)")
    version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    try:
        major = int(version.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        raise Skip(f"cannot read the Java version from {version.strip()!r}")
    if major < 11:
        raise Skip(f"Java {major} is too old for Lucene 9 (Java 17: `scripts/setup --bench-tools`)")
    def fetch(spec):
        name = spec.split("==")[0]
        have = [f for f in os.listdir(wheels) if f.startswith(name + "-" + spec.split("==")[1]) and f.endswith(".whl")]
        if have:
            return os.path.join(wheels, have[0])
        log(f"peers: downloading {spec} (PyPI)")
        r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
                            "-d", wheels, spec], capture_output=True, text=True)
        have = [f for f in os.listdir(wheels) if f.startswith(name + "-") and f.endswith(".whl")]
        if r.returncode != 0 or not have:
            raise Skip(f"cannot download {spec}: {r.stderr.strip()[-300:]}")
        return os.path.join(wheels, have[0])
    if not os.path.exists(py) or subprocess.run([py, "-c", "import tantivy"], capture_output=True).returncode != 0:
        wheel = fetch(TANTIVY)
        log("peers: installing tantivy into", venv)
        shutil.rmtree(venv, ignore_errors=True)
        r = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True)
        if r.returncode == 0:
            r = subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", wheel],
                               capture_output=True, text=True)
        if r.returncode != 0 or subprocess.run([py, "-c", "import tantivy"], capture_output=True).returncode != 0:
            raise Skip(f"cannot install tantivy: {r.stderr.strip()[-300:]}")
    if not os.path.exists(jar):
        import zipfile
        wheel = fetch(PYSERINI)
        try:
            with zipfile.ZipFile(wheel) as z, z.open(JAR_IN_WHEEL) as src, open(jar + ".part", "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (KeyError, zipfile.BadZipFile) as e:
            raise Skip(f"no Anserini jar in {os.path.basename(wheel)}: {e}")
        os.rename(jar + ".part", jar)
    if not os.path.exists(os.path.join(classes, "LuceneQueries.class")):
        os.makedirs(classes, exist_ok=True)
        source = os.path.join(home, "LuceneQueries.java")
        with open(source, "w") as f:
            f.write(LUCENE_QUERIES)
        r = subprocess.run(["javac", "-nowarn", "-cp", jar, "-d", classes, source], capture_output=True, text=True)
        if r.returncode != 0:
            raise Skip(f"cannot compile LuceneQueries.java: {r.stderr.strip()[-300:]}")
    return {"python": py, "jar": jar, "classes": classes, "java": major}

def anserini_json(src, dest):
    """One JSONL file per corpus folder (JsonCollection hands files to the threads), once; not timed."""
    if os.path.exists(os.path.join(dest, ".done")):
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        names = sorted(f for f in filenames if f.endswith(".txt"))
        if not names:
            continue
        rel = os.path.relpath(dirpath, src).replace(os.sep, "_")
        with open(os.path.join(dest, f"{rel}.jsonl"), "w", encoding="utf-8") as out:
            for name in names:
                with open(os.path.join(dirpath, name), "rb") as f:
                    text = f.read().decode("utf-8", errors="replace")
                out.write(json.dumps({"id": f"{rel}/{name}", "contents": text}, ensure_ascii=False) + "\n")
    open(os.path.join(dest, ".done"), "w").close()
    return dest

def bench(n, src, size, qfile_all, bin_path, bench_path, work, tools, runs, fresh, log, median):
    """Returns the rows of the peers table: (system, ingest × floor, peak RSS, index / corpus, query p50 / p99)."""
    tools_ = prepare(work, log)
    home = os.path.join(work, "peers")
    qfile = os.path.join(home, "queries-words.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("# words\n" + "".join(q + "\n" for q in word_queries(qfile_all)))
    jsonl = anserini_json(src, os.path.join(home, f"anserini-{n}"))
    floor_db, marsad_db = os.path.join(home, "floor.db"), os.path.join(home, "marsad.db")
    tantivy_idx, lucene_idx = os.path.join(home, "tantivy-idx"), os.path.join(home, "lucene-idx")
    java = ["java", "-cp", tools_["jar"]]
    systems = {
        "floor": (lambda: fresh(floor_db), [sys.executable, os.path.join(tools, "fts5-floor.py"), src, floor_db], floor_db),
        "marsad": (lambda: fresh(marsad_db), [bin_path, "ingest", "--db", marsad_db, src], marsad_db),
        "tantivy": (lambda: fresh(tantivy_idx), [tools_["python"], os.path.join(tools, "peers.py"), "tantivy-index", src, tantivy_idx], tantivy_idx),
        "lucene": (lambda: fresh(lucene_idx), java + ["io.anserini.index.IndexCollection", "-collection", "JsonCollection",
                   "-input", jsonl, "-index", lucene_idx, "-generator", "DefaultLuceneDocumentGenerator", "-threads", "2",
                   "-language", "ar", "-storePositions", "-storeContents", "-quiet"], lucene_idx),
    }
    walls = {k: [] for k in systems}
    rss = {k: 0.0 for k in systems}
    sizes = {k: [] for k in systems}
    for r in range(runs):
        for name, (clear, cmd, out) in systems.items():
            clear()
            wall, peak, _ = run_timed(cmd)
            walls[name].append(wall)
            rss[name] = max(rss[name], peak)
            sizes[name].append(dir_size(out) if name != "marsad" else sum(os.path.getsize(out + s) for s in ("", "-wal") if os.path.exists(out + s)))
            log(f"peers round {r + 1}: {name} ingest {wall:.2f} s ({n / wall:.0f} articles/s), peak RSS {peak:.0f} MB, index {sizes[name][-1] / 1e6:.1f} MB")
    queriers = {
        "floor": [sys.executable, os.path.join(tools, "peers.py"), "fts5-query", floor_db, qfile],
        "marsad": [bench_path, "query", marsad_db, qfile, "all"],
        "tantivy": [tools_["python"], os.path.join(tools, "peers.py"), "tantivy-query", tantivy_idx, qfile],
        "lucene": ["java", "-cp", tools_["jar"] + os.pathsep + tools_["classes"], "LuceneQueries", lucene_idx, qfile],
    }
    lat = {k: [] for k in queriers}
    for r in range(runs):
        for name, cmd in queriers.items():
            _, _, out = run_timed(cmd)
            res = next(json.loads(l) for l in out.splitlines() if l.strip() and json.loads(l).get("group", "words") == "words")
            lat[name].append(res)
            log(f"peers round {r + 1}: {name} query {res}")
    fl = median(walls["floor"])
    label = {"floor": "FTS5 floor (Python sqlite3, unicode61; one thread)",
             "marsad": "`marsad ingest` (Arabic analysis)",
             "tantivy": f"tantivy {TANTIVY.split('==')[1]}, 2 threads (default tokenizer, no Arabic analysis)",
             "lucene": f"Lucene {lat['lucene'][0].get('lucene', '?')} ArabicAnalyzer, 2 threads (Anserini 0.25.0 `-language ar`, Java {tools_['java']})"}
    out_rows = []
    for name in systems:
        w = median(walls[name])
        p50 = median([x["p50_ms"] for x in lat[name]])
        p99 = median([x["p99_ms"] for x in lat[name]])
        q = lat[name][0]
        out_rows.append((label[name], f"{fl / w:.2f}× ({n / w:,.0f} articles/s)", f"{rss[name]:.0f} MB",
                         f"{median(sizes[name]) / size:.2f}× ({median(sizes[name]) / 1e6:.0f} MB)",
                         f"{p50:.2f} / {p99:.2f} ms ({q['queries']} queries, {q['mean_hits']:,} hits on average)"))
    return out_rows

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"tantivy-index": tantivy_index, "tantivy-query": tantivy_query, "fts5-query": fts5_query}[cmd](*args)
