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
from batch import ROOT, log, pairing_corpus, run_pairing

from aligner.model import PairConfig
from aligner.pair import FEATURES, score_candidates
from aligner.pipeline import stored_documents

L2 = 1e-2
#: Not fitted: the gold texts carry no dates (the evidence is 0 on every candidate),
#: so the date weight keeps its hand-set value.
FIXED = {"date": 1.0}
FITTED = tuple(k for k in FEATURES if k not in FIXED)
#: Share of the counterparts taken out of the training corpus (on top of the 1 in 10 left out).
DROP = 0.2


def fit(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; the last column of ``x`` is the bias."""
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ (p - y) + L2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + L2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def greedy(scored: list[tuple[float, str, str]], threshold: float) -> dict[str, str]:
    taken: dict[str, str] = {}
    found = {}
    for score, s, t in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        if score < threshold:
            break
        if s in taken or t in taken:
            continue
        taken[s], taken[t] = t, s
        found[s] = t
    return found


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
        truth, _, _ = (
            pairing_corpus(args.eval_dir, args.pairs, work / "corpus", "dev", args.seed)
            if not (work / "corpus").exists()
            else (json.loads((work / "truth.json").read_text()), {}, {})
        )
        (work / "truth.json").write_text(json.dumps(truth))
        rng = np.random.default_rng(args.seed)
        rows: list[list[float]] = []
        labels: list[float] = []
        eval_rows: list[list[float]] = []
        eval_labels: list[float] = []
        groups: list[tuple[str, str, str]] = []
        for langs in sorted(truth):
            out = work / "out" / langs
            if not (out / "manifest.json").exists():
                log(f"fit: running aligner on {langs}")
                run_pairing(work / "corpus" / langs, out, langs)
            src_lang, tgt_lang = langs.split("-")
            stored = list(stored_documents(out))
            vecs = {sc.file: v for sc, v in stored}
            sources = [sc.profile for sc, _ in stored if sc.profile and sc.lang == src_lang]
            targets = [sc.profile for sc, _ in stored if sc.profile and sc.lang == tgt_lang]
            cfg = PairConfig(src_lang=src_lang, tgt_lang=tgt_lang)
            true = truth[langs]
            by_id = {t.id: t for t in targets}

            def add(ev: dict[str, float], label: float, into: list[list[float]], marks: list[float]) -> None:
                if any(ev[k] for k in FIXED):
                    raise SystemExit("error: the corpus has dates; fit the date weight too")
                into.append([ev[k] for k in FITTED] + [1.0])
                marks.append(label)

            # The corpus as the benchmark pairs it: scored with the fitted weights below.
            hardest: dict[str, tuple[float, str]] = {}
            for i, j, ev in score_candidates(sources, targets, cfg, vecs.__getitem__):
                s_id, t_id = sources[i].id, targets[j].id
                add(ev, float(true.get(s_id) == t_id), eval_rows, eval_labels)
                groups.append((langs, s_id, t_id))
                if true.get(s_id) != t_id and ev["embedding"] >= hardest.get(s_id, (-1.0, ""))[0]:
                    hardest[s_id] = (ev["embedding"], t_id)
            # Training: the same corpus with a further fifth of the counterparts taken
            # out (documents without one are the hard case), plus each source alone
            # with its counterpart and alone with its closest impostor, as a folder of
            # two files would be: there the candidate has no rival.
            drop = {t for t in true.values() if rng.random() < DROP}
            kept = [t for t in targets if t.id not in drop]
            for i, j, ev in score_candidates(sources, kept, cfg, vecs.__getitem__):
                add(ev, float(true.get(sources[i].id) == kept[j].id), rows, labels)
            for s in sources:
                pairs_alone = [(true[s.id], 1.0)] if s.id in true else []
                if s.id in hardest:
                    pairs_alone.append((hardest[s.id][1], 0.0))
                for t_id, label in pairs_alone:
                    for _, _, ev in score_candidates([s], [by_id[t_id]], cfg, vecs.__getitem__):
                        add(ev, label, rows, labels)
        x, y = np.array(rows), np.array(labels)
        # Every piece of evidence can only speak for a pair: a weight the fit makes
        # negative (an accident of this corpus, such as chapter numbers shared by
        # chunks of one novel) is set to 0 and the rest refitted.
        cols = list(range(len(FITTED)))
        while True:
            w_sub = fit(x[:, [*cols, len(FITTED)]], y)
            negative = [c for c, v in zip(cols, w_sub[:-1], strict=True) if v < 0]
            if not negative:
                break
            cols.remove(min(negative, key=lambda c: w_sub[cols.index(c)]))
        w = np.zeros(len(FITTED) + 1)
        w[[*cols, len(FITTED)]] = w_sub
        weights = {k: round(float(v), 4) for k, v in zip(FITTED, w[:-1], strict=True)} | FIXED
        weights = {k: weights[k] for k in FEATURES}
        bias = round(float(w[-1]), 4)
        print(f"{len(y)} candidates, {int(y.sum())} true; weights {weights}, bias {bias}")
        probs = 1 / (1 + np.exp(-(np.array(eval_rows) @ w)))
        right = found_n = 0
        gold_n = sum(len(v) for v in truth.values())
        for langs in sorted(truth):
            scored = [(float(p), s, t) for p, (lp, s, t) in zip(probs, groups, strict=True) if lp == langs]
            found = greedy(scored, PairConfig.threshold)
            found_n += len(found)
            right += sum(1 for s, t in found.items() if truth[langs].get(s) == t)
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
