"""``aligner align``: align one pair of documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.align import align
from aligner.encode import get_encoder
from aligner.errors import AlignerError, OutputExistsError
from aligner.load import date_problem, load_document, load_presplit, loading_notes
from aligner.model import AlignConfig
from aligner.pipeline import render_alignment
from aligner.signature import signature
from aligner.split import split
from aligner.write import write_text_atomic

from .common import (
    BAD_INPUT,
    EXISTS,
    DictionaryDir,
    DictionaryWeight,
    EncoderName,
    Format,
    JoinedWeight,
    LearnedWeight,
    LexicalWeight,
    MinScore,
    SrcLang,
    TgtLang,
    check_dictionary,
    error,
    warn,
)


def align_command(
    src: Annotated[Path, typer.Argument(help="Source document.")],
    tgt: Annotated[Path, typer.Argument(help="Target document.")],
    src_lang: SrcLang = "it",
    tgt_lang: TgtLang = "en",
    presplit: Annotated[
        bool, typer.Option("--presplit", help="The files hold one sentence per line: split nothing.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.tmx,  # type: ignore[attr-defined]
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output file (default: stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
    min_score: MinScore = 0.0,
    max_link: Annotated[
        int, typer.Option("--max-link", min=1, max=6, help="Most sentences on one side of a link.")
    ] = AlignConfig.max_src,
    encoder: EncoderName = "e5-small",
    joined_weight: JoinedWeight = AlignConfig.joined_weight,
    learned_weight: LearnedWeight = AlignConfig.learned_weight,
    lexical_weight: LexicalWeight = AlignConfig.lexical_weight,
    dictionary_weight: DictionaryWeight = AlignConfig.dictionary_weight,
    dictionary_dir: DictionaryDir = AlignConfig.dictionary_dir,
) -> None:
    """Align the sentences of SRC and TGT and print (or write) the alignment.

    Any pair of languages the embedding model covers works; --src-lang and
    --tgt-lang choose the splitter and the TMX language codes.
    """
    config = AlignConfig(
        max_src=max_link,
        max_tgt=max_link,
        encoder=encoder,
        joined_weight=joined_weight,
        learned_weight=learned_weight,
        lexical_weight=lexical_weight,
        dictionary_weight=dictionary_weight,
        dictionary_dir=dictionary_dir,
    )
    check_dictionary(config, src_lang, tgt_lang)
    try:
        if output is not None and output.exists() and not force:
            raise OutputExistsError(output)
        enc = get_encoder(encoder)
        if presplit:
            source, target = load_presplit(src), load_presplit(tgt)
            date = None
        else:
            sdoc, tdoc = load_document(src), load_document(tgt)
            source, target = split(sdoc, src_lang), split(tdoc, tgt_lang)
            date = None
            for path, doc in ((src, sdoc), (tgt, tdoc)):
                for line, message in loading_notes(doc):
                    warn(f"{path}, line {line}: {message}")
                if not date_problem(doc):
                    date = date or doc.date
        sig = signature(config, enc.name, presplit=presplit, langs=(src_lang, tgt_lang))
        al = align(source, target, enc, config, src_lang, tgt_lang, sig, src.name, tgt.name, date)
        text = render_alignment(al, fmt.value, min_score)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_text_atomic(output, text, force=force)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    except AlignerError as err:
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
