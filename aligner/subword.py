"""A joint SentencePiece model of a corpus's two languages, trained on its train split.

SentencePiece (Google's, the subword tokenizer Marian, fairseq and NLLB use)
trains one model on both sides' sentences, ``unigram`` by default or ``bpe``.
Training is made reproducible: the sentences are used in the order given (no
sampling, no shuffling) on one thread, so the same corpus gives the same model. It
reads the first :data:`MAX_SENTENCES` of them, as recipes for large corpora do
(SentencePiece holds all it trains on in memory), streamed from the caller.
A vocabulary larger than the text allows is refused with the largest size that fits.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

#: The model and vocabulary files written beside the corpus.
MODEL_FILE, VOCAB_FILE = "spm.model", "spm.vocab"
MODEL_TYPES = ("unigram", "bpe")
#: The most sentences (texts of either side) a model is trained on: the first ones.
MAX_SENTENCES = 1_000_000
_TOO_HIGH = re.compile(r"Vocabulary size (?:is )?too high \((\d+)\)\. Please set it to a value <= (\d+)")


@dataclass(frozen=True)
class Model:
    """A trained model: the loaded processor, and the contents of its two files."""

    processor: Any
    model: bytes  # MODEL_FILE
    vocab: str  # VOCAB_FILE
    sentences: int = 0  # how many it was trained on


def train(texts: Iterable[str], vocab_size: int, model_type: str = "unigram") -> Model:
    """Train a SentencePiece model on ``texts`` (in memory: the caller writes
    :data:`MODEL_FILE` and :data:`VOCAB_FILE` with its other files).

    :raises ConfigError: an unknown model type, no text, or a vocabulary too large for it.
    """
    import sentencepiece as spm

    if model_type not in MODEL_TYPES:
        raise ConfigError(f"--spm-type {model_type!r}: choose {' or '.join(MODEL_TYPES)}")
    used = 0

    def sentences() -> Iterator[str]:
        nonlocal used
        for text in texts:
            if text.strip():
                used += 1
                yield text
                if used == MAX_SENTENCES:
                    return

    stream = sentences()
    first = next(stream, None)
    if first is None:
        raise ConfigError("the train split has no sentence to train a SentencePiece model on")
    model = io.BytesIO()
    try:
        # Written to a stream, not a file prefix: the model then records no path, so the same
        # text gives the same bytes wherever it is trained.
        spm.SentencePieceTrainer.train(
            sentence_iterator=itertools.chain([first], stream),
            model_writer=model,
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=1.0,
            input_sentence_size=0,  # every sentence, none sampled
            shuffle_input_sentence=False,
            num_threads=1,
            minloglevel=2,
        )
    except RuntimeError as err:
        m = _TOO_HIGH.search(str(err))
        if m is None:
            raise ConfigError(f"SentencePiece could not train on the train split: {err}") from None
        raise ConfigError(
            f"--spm-vocab-size {vocab_size} is too large for the train split's text "
            f"({used:,} sentences): the largest that fits is {m.group(2)}; "
            "give that or less, or a larger corpus"
        ) from None
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    # The .vocab file as SentencePiece writes it: each piece and its score, in id order.
    vocab = "".join(
        f"{processor.id_to_piece(i)}\t{processor.get_score(i):g}\n" for i in range(processor.get_piece_size())
    )
    return Model(processor, model.getvalue(), vocab, used)


def pieces(processor: Any, text: str) -> int:
    """How many subword pieces ``text`` is under the model."""
    return len(processor.encode(text))
