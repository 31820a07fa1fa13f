"""A web page's main text, with trafilatura.

trafilatura (the library news crawlers use for this) keeps the article and
drops the page chrome: menus, cookie notices, related-article lists, footers,
scripts. What it dropped is counted (the characters of the page's visible
text that are not in the extracted text); our boilerplate flags still apply to
what it kept. Paragraphs are its block elements (paragraphs, headings, list
items, table cells, quotes); a ``<br>`` inside one is a space, two in a row
part it. The date is the page's publication date from its metadata
(``article:published_time``, JSON-LD, ``<time>``...), as trafilatura reads it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import Extracted, paragraph_lines

#: trafilatura's block elements (its XML): each is a paragraph of ours.
_BLOCKS = frozenset({"p", "head", "item", "cell", "quote", "code"})


def _inline(element: Any) -> str:
    """An element's text, a ``<lb/>`` (a ``<br>`` of the page) as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(element: Any) -> list[str]:
    """The paragraphs under trafilatura's main-text element, in order: each block
    element that holds no other, as lines (:func:`aligner.formats.paragraph_lines`);
    text loose between blocks is a paragraph of its own."""
    inner = [c for c in element if c.tag in _BLOCKS or any(d.tag in _BLOCKS for d in c.iter())]
    if element.tag in _BLOCKS and not inner:
        return paragraph_lines(_inline(element))
    out = paragraph_lines(element.text or "") if (element.text or "").strip() else []
    for child in element:
        if child.tag in _BLOCKS or child in inner:
            out.extend(_blocks(child))
        elif child.tag != "lb":
            out.extend(paragraph_lines(_inline(child)))
        if (child.tail or "").strip():
            out.extend(paragraph_lines(child.tail or ""))
    return out


#: Elements whose text a reader never sees.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe")


def _visible_characters(data: bytes) -> int:
    """How many characters of text (white space runs counted as one) the page shows."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError):
        return 0
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:  # not the root itself
            element.drop_tree()
    return len(" ".join(root.text_content().split()))


def extract_html(data: bytes, path: Path) -> Extracted:
    """The main text of a web page, one paragraph per line (see the module's docstring)."""
    import trafilatura

    # It logs what it discards as warnings; our problems say what matters, once.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    # Without an article, trafilatura's default falls back to whatever text the page has
    # (menus, notices); its precise mode without fallbacks tells that there is none.
    article = trafilatura.bare_extraction(data, fast=True, favor_precision=True, with_metadata=False)
    result = (
        None
        if article is None
        else trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    )
    if isinstance(result, dict):  # only with as_dict=True, which we never pass
        raise TypeError("trafilatura gave a dict")
    lines = [] if result is None or result.body is None else _blocks(result.body)
    text = "\n".join(line for line in lines if line)
    date = None if result is None else result.date
    if not text.strip():
        raise InputError(
            path,
            "has no main text that could be found (the page seems to hold only menus, links and "
            "notices, or to be built by JavaScript)",
            "Save the article's text from the browser as .txt and align that.",
        )
    page = _visible_characters(data)
    kept = len(" ".join(text.split()))
    counts = {"page_characters": page, "removed_characters": max(0, page - kept)}
    return Extracted(text, "html", {}, date[:10] if date else None, counts)
