"""Benchmark batch runs: pairing precision and recall, throughput, time and memory.

Usage::

    python benchmarks/batch.py [--eval-dir ../shared/eval] [--pairing] [--throughput]
        [--sizes 1000] [--encoders e5,use] [--workers N,...] [--pairs 300] [--out FILE.md]

With neither ``--pairing`` nor ``--throughput``, both run.

Pairing
-------
A shuffled corpus made from the texts of the public gold sets in
``../shared/eval`` (read where they are, never copied into the repository):
every gold document is cut into "articles" of 8 to 24 source sentences, at
places where no gold link crosses, so each article and its counterpart are
versions of one text. Text+Berg (de-fr), LIMSI (en-fr, en-es, en-el), ParIce
(en-is) and ParTUT (it-en, its 1:1 sentence pairs in order) all give articles;
``--pairs`` of them are drawn at random (all of the small sets, LIMSI for the
rest), and the counterpart of one in ten is left out, so some documents have
none. Each side is written as one document, one sentence per line, under a
random name, all in one folder per language pair; chunks of the same novel are
each other's hardest decoys (same people, places and style).

Then ``aligner run FOLDER --src-lang X --tgt-lang Y`` runs on each folder and
its manifest's pairs are compared with the truth: precision is the share of
the pairs found that are right, recall the share of the true pairs found.

Throughput
----------
Synthetic Italian-English dispatches made from ParTUT's 2,142 1:1 sentence
pairs: each dispatch pair takes 4 to 6 sentence pairs at random, a date line
(the same date on both sides, over two years) and a random name; one Italian
dispatch in twenty has no English version. ``aligner run --quiet --format
links --encoder E`` runs on a corpus of each of ``--sizes`` dispatch pairs with
each of ``--encoders``, with the number of workers the command takes by
default (one per core for ``use``, whose products run on one thread; one for
``e5``, which uses every core itself) and with each of ``--workers``. Wall time
is measured around the process, start-up and model loading included; peak
memory is the largest sum of the resident memory of the process and all its
descendants (the worker processes), sampled from ``/proc`` every 0.1 s (Linux
only; elsewhere n/a). Throughput is sentences per second (every sentence of
every document, as embedded), dispatch pairs per minute and sentence pairs
(aligned links that are not null) per second; each encoder's dispatch pairs per
minute are also given against the first encoder's.

**The embedding floor.** After each run, the sentences it embedded are read
back from its work folder (each document's distinct sentences, sorted, as the
run embeds them), and the encoder alone embeds them again in as many processes
as the run had workers, each with the threads a worker gets and every
``workers``-th document, one call per document: the time from the moment all
are loaded and warmed up to the last one's end is the floor, what the run
would take if embedding were all it did. "wall / floor" is how far above it
the whole run is (start-up, reading, language identification, splitting,
storing, pairing, aligning and writing).

The machine is shared: compare the ratios inside one table, not times across runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alignment import _limsi, _md, _mib, _parice, _textberg, aligner_exe, log, read_gold, read_lines

from aligner import __version__
from aligner.encode import ONE_THREAD_ENCODERS, check_key
from aligner.model import Link, is_null_kind
from aligner.workdir import RunFolder

ROOT = Path(__file__).resolve().parent.parent


# --- material ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One article in two languages, sentences as lists."""

    origin: str  # set and document it was cut from
    src_lang: str
    tgt_lang: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]


def cut(
    links: Sequence[Link], rng: random.Random, low: int = 8, high: int = 24
) -> Iterator[tuple[range, range]]:
    """Source and target sentence ranges of articles, cut where no gold link crosses."""
    s0 = t0 = 0
    max_s = max_t = -1
    want = rng.randint(low, high)
    for k, link in enumerate(links):
        max_s = max([max_s, *link.src])
        max_t = max([max_t, *link.tgt])
        nxt = links[k + 1] if k + 1 < len(links) else None
        clean = nxt is None or (
            min(nxt.src, default=max_s + 1) > max_s and min(nxt.tgt, default=max_t + 1) > max_t
        )
        if clean and max_s + 1 - s0 >= want and max_t + 1 > t0:
            yield range(s0, max_s + 1), range(t0, max_t + 1)
            s0, t0 = max_s + 1, max_t + 1
            want = rng.randint(low, high)


#: Which half of the material a corpus is made from: documents alternate
#: (sorted by name; ParTUT's pairs: first half, second half), so the pairing
#: weights are fitted on one half (benchmarks/fit_pairing.py) and measured on the other.
HALVES = ("dev", "test")


def gold_articles(eval_dir: Path, rng: random.Random, half: str) -> dict[str, list[Article]]:
    """Articles cut from Text+Berg, LIMSI and ParIce documents of ``half``, by set."""
    out: dict[str, list[Article]] = {}
    sets = {
        "textberg": _textberg(eval_dir, ["dev", *(f"test{i}" for i in range(7))]),
        "limsi": _limsi(eval_dir),
        "parice": _parice(eval_dir),
    }
    for key, docs in sets.items():
        for d in docs[HALVES.index(half) :: 2]:
            src, tgt = read_lines(d.src), read_lines(d.tgt)
            for rs, rt in cut(read_gold(d.gold), rng):
                out.setdefault(key, []).append(
                    Article(
                        f"{key}:{d.name}",
                        d.src_lang,
                        d.tgt_lang,
                        tuple(src[i] for i in rs),
                        tuple(tgt[i] for i in rt),
                    )
                )
    return out


def _conll_sentences(data: bytes) -> list[str]:
    """Sentences of a CoNLL file: token forms joined by spaces (a token the
    treebank repeats for its two parts, as Italian "allo", is kept once); token 1 starts a sentence."""
    sentences: list[str] = []
    words: list[str] = []
    for line in data.decode("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if cols[0] == "1" and words:  # token 1 starts a sentence
            sentences.append(" ".join(words))
            words = []
        if not (words and words[-1] == cols[1]):
            words.append(cols[1])
    if words:
        sentences.append(" ".join(words))
    return sentences


def partut_pairs(eval_dir: Path) -> list[tuple[str, str]]:
    """ParTUT's Italian-English 1:1 sentence pairs, in file order."""
    path = eval_dir / "partut-it-en-fr" / "Aligned.zip"
    with zipfile.ZipFile(path) as z:
        it = _conll_sentences(z.read("Aligned/en-it/CoNLL/partut-it-aligned.conll"))
        en = _conll_sentences(z.read("Aligned/en-it/CoNLL/partut-en-aligned.conll"))
    if len(it) != len(en):
        raise SystemExit(
            f"error: {path}: {len(it)} Italian but {len(en)} English sentences in the pair files"
        )
    return list(zip(it, en, strict=True))


def partut_articles(pairs: Sequence[tuple[str, str]], rng: random.Random, half: str) -> list[Article]:
    mid = len(pairs) // 2
    pairs = pairs[:mid] if half == "dev" else pairs[mid:]
    links = [Link((i,), (i,), 1.0) for i in range(len(pairs))]
    return [
        Article("partut", "it", "en", tuple(pairs[i][0] for i in rs), tuple(pairs[i][1] for i in rt))
        for rs, rt in cut(links, rng)
    ]


# --- running -----------------------------------------------------------------------------


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc (KiB)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_kib: int | None
    returncode: int
    stderr: str


def run_measured(cmd: Sequence[str | Path]) -> Measured:
    """Run ``cmd``; wall time and the peak memory of its process tree."""
    can_sample = Path("/proc/self/status").exists()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss_kib(proc.pid))
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        if can_sample:
            sampler.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        stop.set()
        if can_sample:
            sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    return Measured(seconds, peak if can_sample else None, code, stderr)


def _write_doc(path: Path, sentences: Sequence[str], date: str | None = None) -> None:
    head = f"date {date}\n" if date else ""
    path.write_text(head + "\n".join(sentences) + "\n", encoding="utf-8")


# --- pairing -----------------------------------------------------------------------------


def pairing_corpus(
    eval_dir: Path, n_pairs: int, folder: Path, half: str, seed: int
) -> tuple[dict[str, dict[str, str]], dict[str, int], dict[tuple[str, str], str]]:
    """Write the shuffled corpus of ``half`` into ``folder/<src>-<tgt>/``.

    :returns: the true pairs (language pair -> source file -> target file), the
        number of documents per language pair, and each source's origin.
    """
    rng = random.Random(seed)
    by_set = gold_articles(eval_dir, rng, half)
    by_set["partut"] = partut_articles(partut_pairs(eval_dir), rng, half)
    small = [a for key, arts in by_set.items() if key != "limsi" for a in arts]
    chosen = small + rng.sample(by_set["limsi"], max(0, min(len(by_set["limsi"]), n_pairs - len(small))))
    rng.shuffle(chosen)
    truth: dict[str, dict[str, str]] = {}  # language pair -> source file -> target file
    docs: dict[str, int] = {}
    origins: dict[tuple[str, str], str] = {}
    for k, art in enumerate(chosen):
        langs = f"{art.src_lang}-{art.tgt_lang}"
        sub = folder / langs
        sub.mkdir(parents=True, exist_ok=True)
        src_name, tgt_name = f"{rng.getrandbits(48):012x}.txt", f"{rng.getrandbits(48):012x}.txt"
        _write_doc(sub / src_name, art.src)
        docs[langs] = docs.get(langs, 0) + 1
        if k % 10 == 9:
            continue  # no counterpart
        _write_doc(sub / tgt_name, art.tgt)
        docs[langs] += 1
        truth.setdefault(langs, {})[src_name] = tgt_name
        origins[(langs, src_name)] = art.origin
    return truth, docs, origins


def run_pairing(folder: Path, out: Path, langs: str) -> Measured:
    """``aligner run`` on one language pair's folder (links only: alignment is not measured here)."""
    src_lang, tgt_lang = langs.split("-")
    cmd: list[str | Path] = [aligner_exe(), "run", folder, "--out", out, "--quiet", "--format", "links"]
    run = run_measured([*cmd, "--src-lang", src_lang, "--tgt-lang", tgt_lang, "--force"])
    if run.returncode not in (0, 1):
        raise SystemExit(f"error: aligner run failed on {folder}:\n{run.stderr}")
    return run


def pairing(eval_dir: Path, n_pairs: int, work: Path, half: str = "test", seed: int = 7) -> list[str]:
    truth, docs, origins = pairing_corpus(eval_dir, n_pairs, work / "pairing", half, seed)
    rows = []
    tot = {"docs": 0, "gold": 0, "found": 0, "right": 0}
    seconds = 0.0
    for langs in sorted(docs):
        out = work / "pairing-out" / langs
        log(f"pairing: {langs}, {docs[langs]} documents")
        run = run_pairing(work / "pairing" / langs, out, langs)
        seconds += run.seconds
        manifest = RunFolder(out).read_manifest()
        found = {p.source: p.target for p in manifest.pairs}
        gold = truth.get(langs, {})
        right = sum(1 for s, t in found.items() if gold.get(s) == t)
        for s, t in found.items():
            if gold.get(s) != t:
                log(f"  wrong: {origins.get((langs, s), '(no counterpart)')} {s} -> {t}")
        for s in gold:
            if s not in found:
                log(f"  missed: {origins[(langs, s)]} {s}")
        rows.append(
            [
                langs,
                str(docs[langs]),
                str(len(gold)),
                str(len(found)),
                str(right),
                f"{right / len(found):.3f}" if found else "n/a",
                f"{right / len(gold):.3f}" if gold else "n/a",
            ]
        )
        for key, v in (("docs", docs[langs]), ("gold", len(gold)), ("found", len(found)), ("right", right)):
            tot[key] += v
    rows.append(
        [
            "**all**",
            str(tot["docs"]),
            str(tot["gold"]),
            str(tot["found"]),
            str(tot["right"]),
            f"**{tot['right'] / max(1, tot['found']):.3f}**",
            f"**{tot['right'] / max(1, tot['gold']):.3f}**",
        ]
    )
    head = ["language pair", "documents", "true pairs", "pairs found", "right", "precision", "recall"]
    return [
        f"Pairing on a shuffled corpus of {tot['docs']} documents cut from the {half} half of the gold "
        f"sets' texts (seed {seed}; aligner run took {seconds:.0f} s in all):",
        "",
        *_md(head, rows),
    ]


# --- throughput --------------------------------------------------------------------------


def make_dispatches(pairs: Sequence[tuple[str, str]], n: int, folder: Path, seed: int) -> int:
    """``n`` synthetic dispatch pairs (plus one Italian-only in twenty); returns sentences."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    sentences = 0
    for k in range(n + n // 20):
        picks = rng.sample(range(len(pairs)), rng.randint(4, 6))
        day = 739000 + rng.randrange(730)  # two years of dates
        date = time.strftime("%Y-%m-%d", time.gmtime((day - 719163) * 86400))
        _write_doc(folder / f"{rng.getrandbits(48):012x}.txt", [pairs[i][0] for i in picks], date)
        sentences += len(picks)
        if k < n:
            _write_doc(folder / f"{rng.getrandbits(48):012x}.txt", [pairs[i][1] for i in picks], date)
            sentences += len(picks)
    return sentences


def _embed_share(
    encoder: str, threads: int, docs: Sequence[Sequence[str]], ready: Any, times: Any, slot: int
) -> None:
    """A floor process: load ``encoder`` as a run's worker does (``threads`` OpenMP threads),
    embed one text, wait for the others at ``ready``, then embed ``docs`` one document
    per call, as the run does; its start and end (wall clock) go to ``times[slot]``."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    from aligner.encode import get_encoder

    enc = get_encoder(encoder).inner
    enc.encode(["warm up"])
    ready.wait()
    start = time.time()
    for texts in docs:
        enc.encode(list(texts))
    times[2 * slot], times[2 * slot + 1] = start, time.time()


def embedding_floor(encoder: str, workers: int, docs: Sequence[Sequence[str]]) -> float:
    """Seconds the encoder alone takes to embed ``docs`` (each a document's distinct
    sentences, sorted, as a run embeds them) in ``workers`` processes at once, each with
    the threads a run's worker gets and its share of the documents: the embedding of a
    run with nothing else, its floor. Model loading and process start are not counted."""
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(workers)
    times = ctx.Array("d", 2 * workers)
    threads = max(1, (os.cpu_count() or 1) // workers)
    procs = [
        ctx.Process(target=_embed_share, args=(encoder, threads, docs[k::workers], ready, times, k))
        for k in range(workers)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        if proc.exitcode:
            raise SystemExit(f"error: the embedding floor's process failed (exit {proc.exitcode})")
    return float(max(times[1::2]) - min(times[0::2]))


def run_documents(out: Path) -> list[list[str]]:
    """The distinct sentences of each document a run stored (sorted, as it embedded them)."""
    return [sorted({s.text for s in doc.sentences}) for _, doc in RunFolder(out).stored_documents()]


@dataclass(frozen=True)
class Row:
    """One measured run of the throughput table."""

    encoder: str
    workers: int
    n: int
    paired: int
    links: int
    sentences: int
    run: Measured
    floor: float

    def cells(self, base: Row | None) -> list[str]:
        per_min = self.paired / self.run.seconds * 60
        vs = f"{per_min / (base.paired / base.run.seconds * 60):.1f}" if base else ""
        return [
            self.encoder,
            str(self.workers),
            f"{self.n:,}",
            f"{self.paired:,}",
            f"{self.sentences:,}",
            f"{self.sentences / self.floor:,.0f}",
            f"{self.sentences / self.run.seconds:,.0f}",
            f"{self.floor:,.1f}",
            f"{self.run.seconds:,.1f}",
            f"**{self.run.seconds / self.floor:.2f}**",
            f"{per_min:,.0f}",
            vs,
            f"{self.links / self.run.seconds:,.1f}",
            _mib(self.run.peak_kib),
        ]


def throughput(
    eval_dir: Path,
    sizes: Sequence[int],
    encoders: Sequence[str],
    workers: Sequence[int],
    work: Path,
) -> list[str]:
    """The throughput table: each encoder on each size of corpus, with its default number
    of workers (and each of ``workers``), against its embedding floor on the same sentences."""
    pairs = partut_pairs(eval_dir)
    exe = aligner_exe()
    rows: list[Row] = []
    for n in sizes:
        corpus = work / f"corpus-{n}"
        if not corpus.exists():
            make_dispatches(pairs, n, corpus, seed=n)
        for encoder in encoders:
            for w in [0, *workers]:
                out = work / f"out-{n}-{encoder}-{w}"
                shown = default_workers(encoder) if w == 0 else w
                shutil.rmtree(out, ignore_errors=True)  # a run stopped before: start afresh, not resumed
                log(f"throughput: {n} dispatch pairs, encoder {encoder}, {shown} worker(s)")
                cmd: list[str | Path] = [exe, "run", corpus, "--out", out, "--quiet", "--format", "links"]
                cmd += ["--encoder", encoder, *(["--workers", str(w)] if w else [])]
                run = run_measured(cmd)
                if run.returncode not in (0, 1):
                    raise SystemExit(f"error: aligner run failed on {corpus}:\n{run.stderr}")
                manifest = RunFolder(out).read_manifest()
                links = sum(sum(v for k, v in p.links.items() if not is_null_kind(k)) for p in manifest.pairs)
                docs = run_documents(out)
                embedded = sum(map(len, docs))
                log(f"throughput: its embedding floor ({embedded:,} sentences)")
                floor = embedding_floor(encoder, shown, docs)
                rows.append(Row(encoder, shown, n, len(manifest.pairs), links, embedded, run, floor))
                shutil.rmtree(out)
    head = [
        "encoder",
        "workers",
        "dispatch pairs",
        "pairs found",
        "sentences embedded",
        "embedding floor, sentences/s",
        "whole run, sentences/s",
        "floor (s)",
        "wall time (s)",
        "wall / floor",
        "dispatch pairs/min",
        f"pairs/min vs {encoders[0]}",
        "sentence pairs/s",
        "peak memory, MiB (all processes)",
    ]
    body = []
    for r in rows:
        base = next((b for b in rows if b.encoder == encoders[0] and b.n == r.n), None)
        body.append(r.cells(base if base is not r and r.encoder != encoders[0] else None))
    return [
        f"Throughput of `aligner run --format links` on synthetic Italian-English dispatches "
        f"(ParTUT sentences; aligner {__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}):",
        "",
        *_md(head, body, right_from=1),
    ]


def default_workers(encoder: str) -> int:
    """The workers ``aligner run --encoder ENCODER`` takes without ``--workers``."""
    return (os.cpu_count() or 1) if encoder in ONE_THREAD_ENCODERS else 1


def _ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers separated by commas") from None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--pairing", action="store_true", help="Run the pairing benchmark.")
    ap.add_argument("--throughput", action="store_true", help="Run the throughput benchmark.")
    ap.add_argument("--pairs", type=int, default=300, help="Articles in the pairing corpus.")
    ap.add_argument("--sizes", type=_ints, default=[1000], help="Dispatch pairs per corpus (default 1000).")
    ap.add_argument(
        "--encoders", default="e5,use", help="Encoders to compare, the first the baseline (default e5,use)."
    )
    ap.add_argument(
        "--workers",
        type=_ints,
        default=[],
        help="Worker counts to run besides each encoder's default (one per core for use, else 1).",
    )
    ap.add_argument("--out", type=Path, help="Also write the tables to this markdown file.")
    ap.add_argument("--work", type=Path, help="Keep corpora in this folder (and reuse those already there).")
    args = ap.parse_args(argv)
    both = not (args.pairing or args.throughput)
    if not (args.eval_dir / "README.md").exists():
        print(f"error: {args.eval_dir}: the gold sets are not there; give --eval-dir", file=sys.stderr)
        return 3
    lines: list[str] = []
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aligner-batch-") as tmp_dir:
        tmp = args.work or tmp_dir
        if args.pairing or both:
            lines += pairing(args.eval_dir, args.pairs, Path(tmp))
            lines.append("")
            print("\n".join(lines), flush=True)
        if args.throughput or both:
            encoders = [check_key(e) for e in args.encoders.split(",") if e]
            table = throughput(args.eval_dir, args.sizes, encoders, args.workers, Path(tmp))
            print("\n".join(table), flush=True)
            lines += [*table, ""]
    if args.out:
        args.out.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
