"""Bilingual dictionaries as a lexical signal (FreeDict, in the dictd format Debian installs).

Debian packages FreeDict's dictionaries as ``dict-freedict-<src>-<tgt>``
(``apt install dict-freedict-ita-eng dict-freedict-eng-ita``), which put
``freedict-ita-eng.index`` and ``freedict-ita-eng.dict.dz`` in
``/usr/share/dictd``. The index lists each headword with the base64 offset and
length of its entry in the ``.dict.dz`` file, a dictzip file that gzip reads
whole. An entry is the headword line (``casa /kˈaza/``) and then the
translations, one sense per line, numbered when there are several
(``1. house``, ``2. home``); the larger WikDict-based dictionaries put a
definition in the source language under each sense, which is skipped.

For a language pair both directions are used when installed: the
``src``-``tgt`` dictionary as it is and the ``tgt``-``src`` one inverted.
Only single-word headwords and single-word translations are kept.

The signal works like the learned word translations (:mod:`aligner.lexicon`):
each source sentence is projected into the target vocabulary (each word
replaced by its translations) and compared with the target sentence's words.
Dictionaries list lemmas and texts are inflected, so words are compared by
their first :data:`STEM` letters, and a source word that is not a headword is
looked up by its stem. Weighted by ``AlignConfig.dictionary_weight`` (off by
default: on Text+Berg it helped the dev document and hurt the test set, see the
README's Accuracy section).
"""

from __future__ import annotations

import functools
import gzip
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from . import lexicon
from .errors import AlignerError
from .model import AlignConfig

Vectors = npt.NDArray[np.float32]

#: Where Debian's dict-freedict-* packages install their files.
DEFAULT_FOLDER = AlignConfig.dictionary_dir
#: Letters a word is compared by (lemma and inflected forms share them).
STEM = 4
#: ISO 639-1 codes (what the aligner uses) to FreeDict's ISO 639-3 names.
ISO3 = {
    "ar": "ara", "bg": "bul", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell",
    "en": "eng", "eo": "epo", "es": "spa", "fi": "fin", "fr": "fra", "ga": "gle", "hr": "hrv",
    "hu": "hun", "is": "isl", "it": "ita", "ja": "jpn", "la": "lat", "lt": "lit", "nl": "nld",
    "no": "nor", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv",
    "sr": "srp", "sv": "swe", "tr": "tur", "uk": "ukr",
}  # fmt: skip

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NUMBERED = re.compile(r"^\s*\d+\.\s*(.*)$")
_TRAILING_NUMBER = re.compile(r"\s\d+\.\s*$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>")

#: Source word -> its target words.
Entries = dict[str, frozenset[str]]


@dataclass(frozen=True)
class Dictionary:
    """A bilingual dictionary: its entries, the same merged by the headwords' stems,
    and which files it was read from (``identity``: see :func:`load`)."""

    words: Entries
    stems: Entries
    identity: str = ""

    @classmethod
    def of(cls, words: Entries, identity: str = "") -> Dictionary:
        by_stem: dict[str, set[str]] = {}
        for head, found in words.items():
            by_stem.setdefault(head[:STEM], set()).update(found)
        return cls(words, {k: frozenset(v) for k, v in by_stem.items()}, identity)

    def lookup(self, word: str) -> frozenset[str]:
        """The translations of ``word`` (lower case), or those of the headwords sharing its stem."""
        return self.words.get(word) or self.stems.get(word[:STEM]) or frozenset()


class DictionaryError(AlignerError):
    """A dictionary that cannot be found or read; the message names the file and the fix."""


def _b64(text: str, path: Path, line: int) -> int:
    value = 0
    for ch in text:
        digit = _B64.find(ch)
        if digit < 0:
            raise DictionaryError(f"{path}:{line}: {text!r} is not a dictd base64 number; not a dictd index?")
        value = value * 64 + digit
    return value


def translations(entry: str) -> list[str]:
    """The single-word translations in the text of one dictd entry.

    >>> translations("casa /kˈaza/\\n1. house\\n2. home\\n")
    ['house', 'home']
    >>> translations("Aufstieg /ˈaʊ̯fˌʃtiːk/ <n, masc>\\nascension\\ndas Emporsteigen, Hinaufsteigen\\n")
    ['ascension']
    """
    out: list[str] = []
    for k, line in enumerate(entry.split("\n")[1:]):
        numbered = _NUMBERED.match(line)
        if numbered:
            body = numbered.group(1)
        elif k == 0:
            body = line  # one unnumbered sense; later unnumbered lines are definitions
        else:
            continue
        body = _BRACKETS.sub(" ", _TRAILING_NUMBER.sub("", body))
        for sense in re.split(r"[,;]", body):
            words = lexicon.words(sense)
            if len(words) == 1 and words[0] not in out:
                out.append(words[0])
    return out


def _data_file(index: Path) -> Path | None:
    """The ``.dict.dz`` (or plain ``.dict``) file beside ``index``, if there is one."""
    stem = index.name.removesuffix(".index")
    candidates = [index.with_name(stem + ".dict.dz"), index.with_name(stem + ".dict")]
    return next((p for p in candidates if p.exists()), None)


def read_dictd(index: Path) -> tuple[Entries, str]:
    """Read a dictd dictionary (``index`` and the ``.dict.dz`` or ``.dict`` beside it).

    :returns: its entries, and its identity: the name with a checksum of the
        bytes of both files (``freedict-ita-eng@a6eaf78b``).
    """
    data_path = _data_file(index)
    if data_path is None:
        stem = index.name.removesuffix(".index")
        raise DictionaryError(f"{index}: no {stem}.dict.dz or {stem}.dict beside it; reinstall it")
    try:
        index_bytes = index.read_bytes()
        raw = data_path.read_bytes()
        data = gzip.decompress(raw) if data_path.suffix == ".dz" else raw
        lines = index_bytes.decode("utf-8").splitlines()
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile, zlib.error) as exc:
        raise DictionaryError(f"{data_path}: cannot read it ({exc}); reinstall the dictionary") from exc
    crc = zlib.crc32(raw, zlib.crc32(index_bytes))
    identity = f"{index.name.removesuffix('.index')}@{crc:08x}"
    out: dict[str, set[str]] = {}
    for number, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) < 3:
            raise DictionaryError(f"{index}:{number}: expected 'headword<TAB>offset<TAB>length'")
        head = parts[0].strip().lower()
        if head.startswith("00database") or lexicon.words(head) != [head]:  # one word, nothing else
            continue
        start, size = _b64(parts[1], index, number), _b64(parts[2], index, number)
        entry = data[start : start + size].decode("utf-8", "replace")
        found = translations(entry)
        if found:
            out.setdefault(head, set()).update(found)
    return {w: frozenset(ts) for w, ts in out.items()}, identity


def files_for(src_lang: str, tgt_lang: str, folder: str | Path = DEFAULT_FOLDER) -> list[tuple[Path, bool]]:
    """The FreeDict index files installed in ``folder`` for the pair, each with
    whether it must be inverted (a ``tgt``-``src`` dictionary)."""
    forward, backward = _names(src_lang, tgt_lang)
    found = []
    for name, inverted in ((forward, False), (backward, True)):
        path = Path(folder) / f"{name}.index"
        if path.exists():
            found.append((path, inverted))
    return found


def _names(src_lang: str, tgt_lang: str) -> tuple[str, str]:
    """FreeDict's names of the pair's two dictionaries: ``freedict-ita-eng``, ``freedict-eng-ita``."""
    s, t = ISO3.get(src_lang, src_lang), ISO3.get(tgt_lang, tgt_lang)
    return f"freedict-{s}-{t}", f"freedict-{t}-{s}"


@functools.lru_cache(maxsize=8)
def load(src_lang: str, tgt_lang: str, folder: str = DEFAULT_FOLDER) -> Dictionary:
    """Both directions' dictionaries for the pair, merged into one ``src`` -> ``tgt`` dictionary.

    Its ``identity`` names the files read, each with a checksum of the bytes
    read (``freedict-ita-eng@a6eaf78b+freedict-eng-ita@b97b6096``), for the
    job signature: the same weight with another release of a dictionary gives
    other links. Cached: each process reads a pair's files once.

    :raises DictionaryError: when none is installed, saying which package to install.
    """
    files = files_for(src_lang, tgt_lang, folder)
    if not files:
        forward, backward = _names(src_lang, tgt_lang)
        raise DictionaryError(
            f"{folder}: no FreeDict dictionary for {src_lang}-{tgt_lang} ({forward}.index or "
            f"{backward}.index); install one (apt install dict-{forward}), "
            "point --dictionary-dir at the folder holding it, or leave --dictionary-weight at 0"
        )
    merged: dict[str, set[str]] = {}
    names = []
    for path, inverted in files:
        entries, name = read_dictd(path)
        names.append(name)
        for head, found in entries.items():
            if inverted:
                for word in found:
                    merged.setdefault(word, set()).add(head)
            else:
                merged.setdefault(head, set()).update(found)
    return Dictionary.of({w: frozenset(ts) for w, ts in merged.items()}, "+".join(names))


def dictionary_vectors(
    dictionary: Dictionary, src_texts: Sequence[str], tgt_texts: Sequence[str]
) -> tuple[Vectors, Vectors]:
    """Source sentences projected through ``dictionary`` into the target
    vocabulary, and the target sentences' words, both by stem (each of a
    word's translated stems weighing 1 / their number), as
    :func:`aligner.lexicon.projected_vectors` makes them."""

    def translate(word: str) -> list[tuple[str, float]]:
        # Sorted: a set's order follows PYTHONHASHSEED, and so would the float sums.
        stems = sorted({t[:STEM] for t in dictionary.lookup(word)})
        return [(stem, 1.0 / len(stems)) for stem in stems]

    return lexicon.projected_vectors(translate, src_texts, tgt_texts, key=lambda w: w[:STEM])
