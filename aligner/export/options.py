"""What an export writes beyond the alignment: locales, a CAT tool's profile, the file's date."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import ConfigError

#: A locale as TMX and XLIFF take it (BCP 47): ``it``, ``it-IT``, ``en-GB``, ``pt-BR``, ``zh-Hant-TW``.
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?")


@dataclass(frozen=True)
class ExportOptions:
    """``--tmx-profile``, ``--src-locale``/``--tgt-locale`` and the files' creation date
    (``created``, TMX's ``YYYYMMDDThhmmssZ``: from ``SOURCE_DATE_EPOCH`` when set)."""

    profile: str = "generic"
    src_locale: str | None = None
    tgt_locale: str | None = None
    created: str | None = None

    def identity(self) -> str:
        """The options as a run's job record keeps them ("" for the defaults)."""
        if self == ExportOptions():
            return ""
        locales = f"src={self.src_locale or ''};tgt={self.tgt_locale or ''}"
        return f"profile={self.profile};{locales};created={self.created or ''}"


def check_locale(value: str | None, option: str) -> str | None:
    """``value`` if it is a locale (``it``, ``en-GB``); else a :class:`ConfigError` naming ``option``."""
    if value is None:
        return None
    if not _LOCALE.fullmatch(value):
        raise ConfigError(
            f"{option} {value!r} is not a locale; give a language code and, if you like, a region, "
            "as CAT tools write them: it, it-IT, en-GB, pt-BR"
        )
    return value


def created_from_environment(environ: dict[str, str] | None = None) -> str | None:
    """The creation date of exported files: ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC)
    as ``YYYYMMDDThhmmssZ``, or None when it is not set."""
    value = (environ if environ is not None else dict(os.environ)).get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():
        return None
    try:
        stamp = datetime.fromtimestamp(int(value.strip()), UTC)
    except (ValueError, OverflowError, OSError):
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01; "
            "set it to one (e.g. $(date +%s)) or unset it"
        ) from None
    return stamp.strftime("%Y%m%dT%H%M%SZ")
