"""Text normalisation shared by the exporters."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse every run of white space (tabs and newlines included) to one space."""
    return _SPACE.sub(" ", _XML_FORBIDDEN.sub("", text)).strip()
