"""Text normalisation shared by the exporters."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What breaks a line or a TSV field: tabs, line ends and every character Python's (and
# others') line splitting takes for one: VT, FF, FS, GS, RS, NEL, U+2028, U+2029.
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: A run of them: what :func:`aligner.export.training.marian_safe` makes one space.
BREAK_RUNS = re.compile(_BREAKS.pattern + "+")
_SPACES = re.compile(" {2,}")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (most C0 controls, lone surrogates,
    U+FFFE and U+FFFF), which no XML file may hold (``../shared/FACTS.md`` section 6)."""
    return _XML_FORBIDDEN.sub("", text)


def one_line(text: str) -> str:
    """``text`` on one line and XML-safe (:func:`xml_safe`): every tab and line-breaking
    character a space, runs of spaces one space, trimmed. Other spaces are text and stay:
    a no-break space (U+00A0) or narrow no-break space (U+202F) in ``10 000`` or
    ``« oui »`` is kept, as are thin and ideographic spaces."""
    return _SPACES.sub(" ", xml_safe(_BREAKS.sub(" ", text))).strip(" ")
