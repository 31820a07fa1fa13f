"""A dataset card (``README.md``) beside an exported corpus, as the Hugging Face Hub reads one.

Its YAML header gives the languages, the task, the size category and one config
per format with its files per split (``load_dataset("parquet", data_files=...)``
reads the same names); the body the filters with their counts, the splits, the
SentencePiece model, the aligner's signature, and a licence line left for the
user: the texts' rights are theirs to state, so ``license`` says ``unknown``
until they do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

#: Card name: the file the Hub shows.
CARD = "README.md"
#: Hugging Face's size categories, as (upper bound, name).
_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))
#: Formats the Hub's loaders read, with the loader's name.
_LOADERS = {"parquet": "parquet", "jsonl": "json", "tsv": "csv"}


def size_category(n: int) -> str:
    """``n`` pairs as Hugging Face's size category: ``n<1K``, ``1K<n<10K``..."""
    for bound, name in _SIZES:
        if n < bound:
            return name
    return "1M<n<10M" if n < 10_000_000 else "n>10M"


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def dataset_card(
    languages: tuple[str, str],
    files: Sequence[str],
    splits: Mapping[str, int],
    record: Mapping[str, object],
    signature: str,
) -> str:
    """The card of a corpus whose ``files`` were written, ``splits`` its pairs per split
    (``{"corpus": n}`` when not split) and ``record`` what ``export-summary.json`` says."""
    src, tgt = languages
    total = sum(splits.values())
    lines = [
        "---",
        "language:",
        f"- {src}",
        f"- {tgt}",
        "task_categories:",
        "- translation",
        "size_categories:",
        f"- {size_category(total)}",
        "license: unknown  # the texts' licence is yours to state: set it before publishing",
        "configs:",
    ]
    for fmt, ext in (("parquet", "parquet"), ("jsonl", "jsonl"), ("tsv", "tsv")):
        paths = [(name, f"{name}.{ext}") for name in splits if f"{name}.{ext}" in files]
        if not paths:
            continue
        lines += [f"- config_name: {fmt}", "  data_files:"]
        for name, path in paths:
            split = "train" if name == "corpus" else name
            lines += [f"  - split: {split}", f"    path: {_yaml_str(path)}"]
        if fmt == "tsv":
            # pandas.read_csv's keys, which the csv loader's CsvConfig passes on: no quoting
            # (QUOTE_NONE, 3; a text starting with '"' would take the tab after it for text)
            # and no default missing values (a text "NA" or "null" is text)
            lines += ['  sep: "\\t"', "  header: null", "  column_names: [source, target, score]"]
            lines += ["  quoting: 3", "  keep_default_na: false"]
        if fmt == "parquet":
            lines.append("  default: true")
    lines += ["---", "", f"# Parallel corpus, {src}-{tgt}", ""]
    lines += [
        f"Sentence pairs aligned from news dispatches by the aligner ({total:,} pairs), "
        "filtered and deduplicated as below.",
        "",
        "**Licence**: not set. The texts' rights belong to their publishers; state the licence "
        "under which you may share them in the `license` field above before publishing.",
        "",
        "## Files",
        "",
        *[f"- `{name}`" for name in files],
        "",
        "## Splits",
        "",
        "| split | pairs |",
        "| --- | ---: |",
        *[f"| {name} | {n:,} |" for name, n in splits.items()],
        "",
    ]
    split_record = record.get("splits")
    if isinstance(split_record, Mapping) and split_record.get("by") == "unit":
        lines += [
            "The pairs come from one file (one document): each unit is assigned to a split by a "
            "hash of its place in the file, so the same unit lands in the same split on a rerun.",
            "",
        ]
    elif split_record is not None:
        lines += [
            "Whole documents are assigned to a split by a hash of their name (near copies of a "
            "dispatch follow the first of their group), so no story is in two splits.",
            "",
        ]
    dropped = record.get("dropped", {})
    lines += ["## Filters", "", "| filter | pairs dropped |", "| --- | ---: |"]
    if isinstance(dropped, Mapping):
        lines += [f"| {name} | {n:,} |" for name, n in dropped.items()]
    lines += [
        "",
        f"{record.get('input_pairs', 0):,} pairs read, {record.get('kept', 0):,} kept; settings: "
        f"`{json.dumps(record.get('settings', {}), ensure_ascii=False)}`. A sample of what each filter "
        "dropped is in `dropped/`.",
        "",
    ]
    spm = record.get("sentencepiece")
    if isinstance(spm, Mapping):
        lines += [
            "## Subwords",
            "",
            f"`spm.model`: a joint SentencePiece {spm.get('type')} model of {spm.get('vocab_size')} pieces, "
            f"trained on the {spm.get('trained_on')} split only.",
            "",
        ]
    lines += [
        "## Provenance",
        "",
        "Made by `aligner export`; the aligner's signature:",
        "",
        f"`{signature or '-'}`",
        "",
    ]
    return "\n".join(lines)
