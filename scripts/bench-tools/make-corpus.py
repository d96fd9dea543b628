#!/usr/bin/env python3
"""Builds N synthetic Arabic news articles (about 5 KB each) from the sentences of seeds/, deterministically.

Each article has the structures of the seeds: a headline, sometimes an outlet and "تم النشر" date lines, photo
captions with a credit, related-link bullets, an embedded tweet line, and trailing boilerplate. The vocabulary
grows with N: words from Debian's hunspell-ar dictionary are mixed in, so term statistics look like a real
archive rather than five articles repeated.

    make-corpus.py SEEDS_DIR OUT_DIR N [--seed 42]
"""
import os, random, re, sys

def main():
    seeds, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 42
    rng = random.Random(seed)
    sentences = []
    for name in sorted(os.listdir(seeds)):
        text = open(os.path.join(seeds, name), encoding="utf-8").read()
        for line in text.splitlines():
            for s in re.split(r"(?<=[.،؟!])\s+", line.strip()):
                if len(s) > 40:
                    sentences.append(s)
    words = []
    dic = "/usr/share/hunspell/ar.dic"
    if os.path.exists(dic):
        for line in open(dic, encoding="utf-8", errors="ignore"):
            w = line.split("/")[0].strip()
            if w and re.fullmatch(r"[\u0621-\u064A]{3,}", w):
                words.append(w)
    if not words:
        words = sorted({w for s in sentences for w in s.split() if len(w) > 3})
    outlets = ["عربي بوست", "الجزيرة نت", "بي بي سي عربي", "سكاي نيوز عربية", "العربية نت", "الشرق الأوسط"]
    months = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(n):
        def sentence():
            s = rng.choice(sentences).split()
            # Mix in dictionary words: about one in six, so the vocabulary grows with the corpus.
            for k in range(len(s)):
                if rng.random() < 0.17:
                    s[k] = rng.choice(words)
            return " ".join(s)
        lines = [" ".join(sentence().split()[:rng.randint(6, 12)])]
        if rng.random() < 0.5:
            y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
            lines += ["", rng.choice(outlets),
                      f"تم النشر: {y}/{m:02d}/{d:02d} الساعة {rng.randint(0,23):02d}:{rng.randint(0,59):02d} بتوقيت غرينتش", ""]
        size = 0
        target = rng.randint(4200, 5800)
        while size < target:
            r = rng.random()
            if r < 0.06:
                line = sentence()[:90] + "/ رويترز"
            elif r < 0.10:
                line = "- «" + " ".join(sentence().split()[:8]) + "»"
            elif r < 0.12:
                line = f"— {rng.choice(words)} {rng.choice(words)} (@user{rng.randint(1, 9999)}) December {rng.randint(1, 28)}, 2021"
            else:
                line = " ".join(sentence() for _ in range(rng.randint(2, 4)))
                if rng.random() < 0.2:
                    line += f" في {rng.randint(1, 28)} {rng.choice(months)} {rng.randint(2015, 2025)}"
            lines.append(line)
            size += len(line.encode()) + 1
        if rng.random() < 0.3:
            lines.append("تحميل المزيد")
        body = "\n".join(lines) + "\n"
        # A unique token per article, so latency and correctness checks can find exactly this one.
        body = body.replace("\n", f" مرجع{i:07d}\n", 1)
        path = os.path.join(out, f"{i // 1000:03d}", f"a{i:07d}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        total += len(body.encode())
    print(f"{n} articles, {total / 1e6:.1f} MB in {out}", file=sys.stderr)

main()
