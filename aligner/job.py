"""What a run makes: the settings that decide every output byte, and their signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .dictionary import Dictionary
from .export import DEFAULT_FORMATS, ExportOptions
from .model import AlignConfig, PairConfig
from .signature import document_signature, signature
from .workdir import JobIdentity


@dataclass(frozen=True)
class Job:
    """A run's settings, with the signature they give."""

    align: AlignConfig
    pair: PairConfig
    formats: tuple[str, ...]
    min_score: float
    signature: str
    input_name: str
    doc_signature: str  # what a stored document depends on (signature.document_signature)
    device: str | None = None  # where an st:MODEL encoder runs (no output byte depends on it)
    export: ExportOptions = field(default_factory=ExportOptions)  # locales, TMX profile, files' date
    #: What a .txt document that is not UTF-8 is read as (--encoding; a canonical codec name).
    #: Not in the signature: like an edited file, a document it reads otherwise gets another
    #: key, so it is read again and its pairs aligned again.
    encoding: str | None = None

    def identity(self) -> JobIdentity:
        """What ``.aligner/job.json`` holds; a rerun resumes only if it is equal."""
        return JobIdentity(
            self.signature, self.formats, self.min_score, self.input_name, self.export.identity()
        )


def make_job(
    encoder_name: str,
    align_config: AlignConfig | None = None,
    pair_config: PairConfig | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    min_score: float = 0.0,
    input_name: str = "",
    bilingual: Dictionary | None = None,
    device: str | None = None,
    export: ExportOptions | None = None,
    encoding: str | None = None,
) -> Job:
    """A :class:`Job` with its signature; ``encoder_name`` is the encoder's full name and
    ``bilingual`` the dictionary loaded for ``align_config.dictionary_weight``, if set."""
    acfg = align_config or AlignConfig()
    pcfg = pair_config or PairConfig()
    return Job(
        acfg,
        pcfg,
        tuple(formats),
        min_score,
        signature(acfg, encoder_name, pcfg, bilingual=bilingual),
        input_name,
        document_signature(encoder_name, pcfg),
        device,
        export or ExportOptions(),
        encoding,
    )
