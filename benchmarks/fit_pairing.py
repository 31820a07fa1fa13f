"""Fit the weights of document pairing on the dev half of the gold sets' texts.

Usage::

    python benchmarks/fit_pairing.py [--eval-dir ../shared/eval] [--pairs 300] [--write]

Builds the shuffled pairing corpus of ``benchmarks/batch.py`` from the *dev*
half of the material (every other gold document, the first half of ParTUT's
pairs; the benchmark measures on the other half), runs ``aligner run`` on it to
store every document's profile and sentence vectors, then scores every
candidate exactly as :func:`aligner.pair.score_candidates` does and fits a
logistic regression (Newton's method, a small L2 penalty) of "is the true
counterpart" on the evidence. The training rows are the corpus with a further
fifth of the counterparts taken out, plus every source alone with its
counterpart and alone with its closest impostor (a folder of two files, where a
candidate has no rival); the dev precision and recall are measured on the
corpus as it is. It prints the weights and the dev precision and
recall of one-to-one assignment with them; ``--write`` stores them in
``aligner/pairing.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from alignment import log
from batch import ROOT, pairing_corpus, run_pairing
from fit_calibration import fit_logistic

from aligner.encode import Vectors
from aligner.model import PairConfig
from aligner.pair import FEATURES, assign, score_candidates
from aligner.tasks import Scanned
from aligner.workdir import RunFolder

L2 = 1e-2
#: Not fitted: the gold texts carry no dates (the evidence is 0 on every candidate),
#: so the date weight keeps its hand-set value.
FIXED = {"date": 1.0}
FITTED = tuple(k for k in FEATURES if k not in FIXED)
#: Share of the counterparts taken out of the training corpus (on top of the 1 in 10 left out).
DROP = 0.2


#: One candidate's row: 1 (the bias) then the FITTED evidence.
Row = list[float]


def _row(ev: dict[str, float]) -> Row:
    if any(ev[k] for k in FIXED):
        raise SystemExit("error: the corpus has dates; fit the date weight too")
    return [1.0, *(ev[k] for k in FITTED)]


def language_rows(
    out: Path, langs: str, true: dict[str, str], rng: np.random.Generator
) -> tuple[list[tuple[Row, float]], list[tuple[Row, str, str]]]:
    """Training rows (with labels) and dev rows (with source and target ids) of one language pair.

    Dev rows are the corpus as the benchmark pairs it. Training rows are the same
    corpus with a further fifth of the counterparts taken out (documents without
    one are the hard case), plus each source alone with its counterpart and alone
    with its closest impostor, as a folder of two files would be: there the
    candidate has no rival.
    """
    src_lang, tgt_lang = langs.split("-")
    stored: list[tuple[Scanned, Vectors]] = []
    for key, doc in RunFolder(out).stored_documents():
        assert doc.vectors is not None  # stored_documents reads them
        stored.append((Scanned.of(key, doc, doc.vectors), doc.vectors))
    vectors = {sc.file: v for sc, v in stored}.__getitem__
    sources = [sc.profile for sc, _ in stored if sc.profile and sc.lang == src_lang]
    targets = [sc.profile for sc, _ in stored if sc.profile and sc.lang == tgt_lang]
    by_id = {t.id: t for t in targets}
    cfg = PairConfig(src_lang=src_lang, tgt_lang=tgt_lang)
    dev: list[tuple[Row, str, str]] = []
    hardest: dict[str, tuple[float, str]] = {}
    for i, j, ev in score_candidates(sources, targets, cfg, vectors):
        s_id, t_id = sources[i].id, targets[j].id
        dev.append((_row(ev), s_id, t_id))
        if true.get(s_id) != t_id and ev["embedding"] >= hardest.get(s_id, (-1.0, ""))[0]:
            hardest[s_id] = (ev["embedding"], t_id)
    drop = {t for t in true.values() if rng.random() < DROP}
    kept = [t for t in targets if t.id not in drop]
    train = [
        (_row(ev), float(true.get(sources[i].id) == kept[j].id))
        for i, j, ev in score_candidates(sources, kept, cfg, vectors)
    ]
    for s in sources:
        alone = [(true[s.id], 1.0)] if s.id in true else []
        if s.id in hardest:
            alone.append((hardest[s.id][1], 0.0))
        for t_id, label in alone:
            train += [(_row(ev), label) for _, _, ev in score_candidates([s], [by_id[t_id]], cfg, vectors)]
    return train, dev


def fit_nonnegative(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bias first, then one weight per FITTED evidence, none negative.

    Every piece of evidence can only speak for a pair: a weight the fit makes
    negative (an accident of this corpus, such as chapter numbers shared by
    chunks of one novel) is set to 0 and the rest refitted.
    """
    cols = list(range(1, x.shape[1]))
    while True:
        w_sub = fit_logistic(x[:, [0, *cols]], y, L2, penalise_bias=True)
        negative = [c for c, v in zip(cols, w_sub[1:], strict=True) if v < 0]
        if not negative:
            break
        cols.remove(min(negative, key=lambda c: w_sub[1 + cols.index(c)]))
    w = np.zeros(x.shape[1])
    w[[0, *cols]] = w_sub
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--work", type=Path, help="Keep the corpus and outputs here (reused if present).")
    ap.add_argument("--write", action="store_true", help="Store the weights in aligner/pairing.json.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aligner-fit-pairing-") as tmp_dir:
        work = args.work or Path(tmp_dir)
        if (work / "corpus").exists():
            truth = json.loads((work / "truth.json").read_text())
        else:
            truth, _, _ = pairing_corpus(args.eval_dir, args.pairs, work / "corpus", "dev", args.seed)
            (work / "truth.json").write_text(json.dumps(truth))
        rng = np.random.default_rng(args.seed)
        train: list[tuple[Row, float]] = []
        dev: dict[str, list[tuple[Row, str, str]]] = {}
        for langs in sorted(truth):
            out = work / "out" / langs
            if not RunFolder(out).is_run():
                log(f"fit: running aligner on {langs}")
                run_pairing(work / "corpus" / langs, out, langs)
            rows, dev[langs] = language_rows(out, langs, truth[langs], rng)
            train += rows
        x, y = np.array([r for r, _ in train]), np.array([label for _, label in train])
        w = fit_nonnegative(x, y)
        weights = {k: round(float(v), 4) for k, v in zip(FITTED, w[1:], strict=True)} | FIXED
        weights = {k: weights[k] for k in FEATURES}
        bias = round(float(w[0]), 4)
        print(f"{len(y)} candidates, {int(y.sum())} true; weights {weights}, bias {bias}")
        right = found_n = 0
        for langs, rows_ids in dev.items():
            probs = 1 / (1 + np.exp(-(np.array([r for r, _, _ in rows_ids]) @ w)))
            scored = [
                (float(p), s, t, k) for k, (p, (_, s, t)) in enumerate(zip(probs, rows_ids, strict=True))
            ]
            found = {s: t for _, s, t, _ in assign(scored, PairConfig.threshold)}
            found_n += len(found)
            right += sum(1 for s, t in found.items() if truth[langs].get(s) == t)
        gold_n = sum(len(v) for v in truth.values())
        print(f"dev: precision {right / max(1, found_n):.3f}, recall {right / max(1, gold_n):.3f}")
        if args.write:
            data = {
                "source": f"benchmarks/fit_pairing.py --pairs {args.pairs} --seed {args.seed} (dev half); "
                f"not fitted (hand-set): {', '.join(FIXED)}",
                "weights": weights,
                "bias": bias,
            }
            path = ROOT / "aligner" / "pairing.json"
            path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
