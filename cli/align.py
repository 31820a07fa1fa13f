"""``aligner align``: align one pair of documents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from aligner.align import align, fidelity_warnings
from aligner.encode import check_languages, get_encoder
from aligner.errors import OutputExistsError
from aligner.export import render_alignment
from aligner.load import load_document, load_presplit, loading_notes, usable_date
from aligner.model import AlignConfig, PairInfo
from aligner.signature import signature
from aligner.split import split
from aligner.write import write_text_atomic

from .common import (
    Format,
    MinScore,
    SrcLang,
    TgtLang,
    handle_errors,
    load_dictionary,
    warn,
    with_align_options,
)


@handle_errors
@with_align_options
def align_command(
    src: Annotated[Path, typer.Argument(help="Source document.")],
    tgt: Annotated[Path, typer.Argument(help="Target document.")],
    config: AlignConfig,
    device: str | None,
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
) -> None:
    """Align the sentences of SRC and TGT and print (or write) the alignment.

    Any pair of languages the embedding model covers works; --src-lang and
    --tgt-lang choose the splitter and the TMX language codes.
    """
    config = replace(config, max_src=max_link, max_tgt=max_link)
    bilingual = load_dictionary(config, src_lang, tgt_lang)
    if output is not None and output.exists() and not force:
        raise OutputExistsError(output)
    enc = get_encoder(config.encoder, device)
    check_languages(enc, (src_lang, tgt_lang))
    date = None
    if presplit:
        source, target = load_presplit(src), load_presplit(tgt)
    else:
        sdoc, tdoc = load_document(src), load_document(tgt)
        source, target = split(sdoc, src_lang), split(tdoc, tgt_lang)
        for path, doc in ((src, sdoc), (tgt, tdoc)):
            for line, message in loading_notes(doc):
                warn(f"{path}, line {line}: {message}")
        date = usable_date(sdoc) or usable_date(tdoc)
    sig = signature(config, enc.name, presplit=presplit, bilingual=bilingual)
    info = PairInfo(src_lang, tgt_lang, src.name, tgt.name, date, sig)
    alignment = align(source, target, enc, config, info, bilingual)
    for message in fidelity_warnings(alignment):
        warn(f"{src} and {tgt}: {message}")
    text = render_alignment(alignment, fmt.value, min_score)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text, force=force)
