"""Text normalisation shared by the exporters."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (most C0 controls, lone surrogates,
    U+FFFE and U+FFFF), which no XML file may hold (``../shared/FACTS.md`` section 6)."""
    return _XML_FORBIDDEN.sub("", text)


def one_line(text: str) -> str:
    """Collapse every run of white space (tabs and newlines included) to one space."""
    return _SPACE.sub(" ", xml_safe(text)).strip()
