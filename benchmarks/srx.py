"""How closely an SRX engine with ``aligner srx``'s rules segments as the aligner does.

Usage::

    python benchmarks/srx.py [--out docs/srx.md]

Applies the SRX rules of each language with choppa-srx (a Python port of the Java
``segment`` library; in the ``test`` extra) to the golden splitting tables
(``tests/test_split_it.py``, ``tests/test_split_en.py``: news sentences with their
expected sentences) and to the seed dispatch, and prints per language the share of
examples segmented exactly as expected and the boundary recall and precision,
beside the aligner's own splitter on the same examples.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.split import get_splitter  # noqa: E402
from aligner.srx import srx_document  # noqa: E402


def _cases(lang: str) -> list[tuple[str, list[str]]]:
    import importlib

    table = importlib.import_module(f"tests.test_split_{lang}").CASES
    return [tuple(c.values) if hasattr(c, "values") else c for c in table]


def _boundaries(sentences: Sequence[str], text: str) -> set[int]:
    out, pos = set(), 0
    for s in sentences[:-1]:
        pos = text.index(s, pos) + len(s)
        out.add(pos)
    return out


def _row(name: str, lang: str, cut: object) -> str:
    cases = _cases(lang)
    exact = gold = got = hit = 0
    for text, expected in cases:
        found = cut(text)  # type: ignore[operator]
        exact += found == expected
        g, f = _boundaries(expected, text), _boundaries(found, text)
        gold, got, hit = gold + len(g), got + len(f), hit + len(g & f)
    return (
        f"| {lang} | {name} | {len(cases)} | {exact / len(cases):.3f} | {hit}/{gold} ({hit / gold:.3f}) "
        f"| {hit / got:.3f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    import choppa

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "aligner.srx"
        path.write_text(srx_document(["it", "en"]), encoding="utf-8")
        engine = choppa.SrxDocument(ruleset=str(path), validate_ruleset=str(choppa.SRX_2_XSD))
        lines = [
            "| language | segmenter | examples | exact | boundaries found | boundary precision |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for lang in ("it", "en"):

            def srx(text: str, lang: str = lang) -> list[str]:
                return [s.strip() for s in choppa.SrxTextIterator(engine, lang, text) if s.strip()]

            lines.append(_row("SRX (choppa-srx)", lang, srx))
            lines.append(_row("aligner", lang, get_splitter(lang).split))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
