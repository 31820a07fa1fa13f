"""Flag web boilerplate lines: menus, related-headline lists, prompts, colophons.

Pure functions over the lines of a document. A line is flagged with a short
reason; flagged lines are kept in the document and listed in the report, but
left out of sentence splitting and alignment.

Three kinds of evidence:

1. a line that matches a prompt or colophon pattern (newsletter, donation,
   "read more", "potrebbe anche interessarti", copyright, cookie notice...);
2. a line that repeats an earlier one, or that is a headline written twice
   ("Titolo di Autore Titolo", as related-article lists are scraped), or a bare
   counter such as "1678";
3. the tail: once a flagged line starts a stretch of the document's end in which
   flagged lines hold most of the characters, the whole stretch is boilerplate
   (an appeal between two prompts is part of the same footer);
4. menus: a line of three or more short labels between separators ("Home |
   Politica | Esteri", a breadcrumb "News › World › Europe"), a line that is
   only a navigation or sharing label ("Menu", "Torna su", "Tweet", "Commenti
   (3)"), a tag list ("Tag: governo, manovra"), and a run of four or more
   short labels at the document's head, as vertical menus are scraped;
5. code and markup a scraper kept (:func:`looks_like_code`): script, style and
   frame elements, CSS rules, JSON, JavaScript statements, and lines made
   mostly of code's symbols.
"""

from __future__ import annotations

import re

#: Prompts and colophons, in lower case: searched in the lower-cased line (with
#: ``re.IGNORECASE`` this alternation of literals took 130 µs a line, a sixth without).
_PROMPTS = re.compile(
    r"""
    newsletter | iscriviti | registrati\b | abbonati | sostienici | sostieni\ il | fai\ una\ donazione
    | potrebbe\ anche\ interessarti | potrebbero\ interessarti | leggi\ anche | leggi\ di\ più
    | articoli\ correlati | ti\ potrebbe\ interessare | più\ letti | seguici
    | tutti\ i\ diritti\ riservati | riproduzione\ riservata | testata\ registrata | registro\ di\ stampa
    | partita\ iva | p\.\ ?iva | privacy\ policy | cookie\ policy | (?:usa|utilizza)(?:no)?\ (?:i\ )?cookie
    | uses?\ cookies | subscribe | read\ more | related\ (?:articles|stories|news) | you\ may\ also\ like
    | recommended\ for\ you | follow\ us | share\ (?:this|on) | support\ us
    | all\ rights\ reserved | terms\ of\ (?:use|service)
    | ©
    """,
    re.VERBOSE,
)
#: Words of prompts and notices that news also uses ("il canone di abbonamento", "la
#: donazione di sangue", "un'informativa del ministro"): they flag a short line only.
_PROMPT_WORDS = re.compile(
    r"""
    abbonamento | donazion | \bdona\b | condividi | cookie | informativa | pubblicità
    | sign\ up | donate | advertisement
    """,
    re.VERBOSE,
)
#: The most words a line flagged by :data:`_PROMPT_WORDS` alone may have.
PROMPT_WORDS_MAX = 6
#: A whole line that is only a navigation, account or sharing label.
_LABEL = re.compile(
    r"""^\W*(?:
    home | menu | cerca | search | login | log\ in | accedi | esci | logout | registrazione
    | torna\ su | torna\ all'inizio | back\ to\ top | skip\ to\ (?:main\ )?content | vai\ al\ contenuto
    | ultime\ notizie | latest\ news | breaking\ news | most\ read | trending | in\ evidenza
    | (?:commenti|comments) (?:\ \(\d+\))? | commenta | comment\ \(\d+\)  # not "Comment !" (French)
    | accedi\ per\ commentare | log\ in\ to\ comment
    | tweet | stampa | print | e-?mail | whatsapp | facebook | twitter | linkedin | telegram | x
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_TAGS = re.compile(r"^\s*(?:tags?|argomenti|topics?|parole\ chiave|keywords)\s*:", re.IGNORECASE | re.VERBOSE)
#: Separators of a horizontal menu or breadcrumb (with spaces around them).
_MENU_SEPARATOR = re.compile(r"\s+[|·•›»>~]\s+")
#: A menu label: at most three words, no digits, no sentence punctuation at the end.
MAX_LABEL_WORDS = 3
MAX_LABEL_CHARS = 30
#: A run of at least this many short labels at the head of a document is a vertical menu.
MIN_MENU_RUN = 4
_SHOUT = re.compile(r"^[^a-zà-ÿ]*[A-ZÀ-Þ]{4,}[^a-zà-ÿ]*$")  # "ATTENZIONE!"
_COUNTER = re.compile(r"^[\s\d.,:/|()-]+$")  # "1678", "12 | 4"
_EMAIL = re.compile(r"\S+@\S+\.\w+")

#: Lines longer than this are never taken for a scraped headline or prompt.
MAX_HEADLINE = 300
#: Share of the tail's characters that flagged lines must hold for the
#: whole tail to count as a footer.
TAIL_SHARE = 0.6


#: Markup that never holds a dispatch's text: script, style and frame elements, comments.
_MARKUP = re.compile(
    r"</?(?:script|style|iframe|noscript|svg|object|embed|link|meta|head|body|html)\b|<!--|-->|<!\[CDATA\[",
    re.IGNORECASE,
)
#: A CSS rule, or its head: "body { color: red }", ".menu a:hover {", "@media (max-width: 600px) {".
_CSS = re.compile(r"^[@.#]?[\w\s.#:,>+~*\[\]=\"'()-]*\{(?:[^{}]*:[^{}]*)?\}?;?$")
#: JSON: an object or array of quoted keys, or one member ("title": "...",).
_JSON = re.compile(r'^[\[{]\s*"[^"]*"\s*:|^"[\w.-]+"\s*:\s*["\[{\d-]')
#: The flag of a line of code or markup.
CODE_FLAG = "code or markup"
#: JavaScript statements, at the start of a line.
_JS_START = re.compile(
    r"""(?:var|let|const)\s+[\w$]+\s*=      # var x =
    | function\s*[\w$]*\s*\(               # function f(
    | (?:window|document|console|jQuery|\$)\s*[.(]
    | (?:if|for|while|switch)\s*\(.*\)\s*\{   # if (x) {
    | return\s.*;$ | [})\];,\s]+$
    """,
    re.VERBOSE,
)
#: JavaScript anywhere in a line: an arrow function's or an anonymous function's body.
_JS_ANYWHERE = re.compile(r"=>\s*\{|\bfunction\s*\(\s*\)\s*\{")
#: Characters that prose rarely holds and code is full of.
_CODE_SYMBOLS = "{}[]<>;=$\\|"


def looks_like_code(line: str) -> bool:
    """True for a line of code or markup that a scraper kept in the text.

    >>> looks_like_code("<script>alert(1)</script>"), looks_like_code("Il governo (askanews) ha detto: no.")
    (True, False)
    """
    s = line.strip()
    if not s:
        return False
    if _MARKUP.search(s) or _CSS.match(s) or _JSON.match(s) or _JS_START.match(s) or _JS_ANYWHERE.search(s):
        return True
    symbols = sum(map(s.count, _CODE_SYMBOLS))  # counted in C: this runs on every line loaded
    return symbols >= 4 and symbols >= 0.08 * len(s)


def _norm(line: str) -> str:
    return " ".join(line.lower().split())


def _doubled(line: str) -> bool:
    """True for a line that starts and ends with the same long phrase.

    Related-article lists are scraped as "Title by Author Title".
    """
    s = line.strip()
    if len(s) > MAX_HEADLINE:
        return False
    return any(s[:k] == s[-k:] and s[:k].strip() for k in range(len(s) // 2, 9, -1))


def _label(text: str) -> bool:
    """True for a short menu label: "Politica", "Chi siamo", "Lavora con noi"."""
    text = text.strip()
    return (
        0 < len(text) <= MAX_LABEL_CHARS
        and len(text.split()) <= MAX_LABEL_WORDS
        and not any(ch.isdigit() for ch in text)
        and not text.endswith((".", "!", "?", ":", ";", ","))
    )


def _menu_line(line: str) -> bool:
    """True for "Home | Politica | Esteri" or "News › World › Europe"."""
    parts = _MENU_SEPARATOR.split(line.strip())
    return len(parts) >= 3 and all(_label(p) for p in parts)


def _prompt(line: str) -> bool:
    """A prompt or colophon: a phrase only they use, an e-mail address, or a word they
    share with news (:data:`_PROMPT_WORDS`) in a line too short to be a sentence of news."""
    low = line.lower()
    if _PROMPTS.search(low) or _EMAIL.search(line):
        return True
    return bool(_PROMPT_WORDS.search(low)) and len(line.split()) <= PROMPT_WORDS_MAX


def flag_lines(lines: list[str]) -> list[str | None]:
    """Return, for each line, the reason it is boilerplate, or ``None``.

    :param lines: the document's lines, without line ends.
    """
    flags: list[str | None] = [None] * len(lines)
    seen: set[str] = set()
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, i in enumerate(nonblank):
        line = lines[i].strip()
        key = _norm(line)
        nxt = _norm(lines[nonblank[pos + 1]]) if pos + 1 < len(nonblank) else None
        if looks_like_code(line):
            flags[i] = CODE_FLAG
        elif key in seen:
            flags[i] = "duplicate line"
        elif key == nxt:
            flags[i] = "repeated line"
        elif _doubled(line):
            flags[i] = "headline repeated (related-article list)"
        elif _COUNTER.match(line):
            flags[i] = "number only"
        elif len(line) <= MAX_HEADLINE and _prompt(line):
            flags[i] = "prompt or colophon"
        elif _SHOUT.match(line) and len(line) < 40:
            flags[i] = "shouted label"
        elif _menu_line(line) or _LABEL.match(line):
            flags[i] = "menu or navigation label"
        elif _TAGS.match(line):
            flags[i] = "tag list"
        seen.add(key)
    _flag_head_menu(lines, nonblank, flags)
    _flag_tail(lines, nonblank, flags)
    return flags


def _flag_head_menu(lines: list[str], nonblank: list[int], flags: list[str | None]) -> None:
    """Flag a vertical menu: the document opens with at least :data:`MIN_MENU_RUN`
    lines that are short labels or already flagged, two or more of them labels (so
    that a short title before a sharing bar stays content)."""
    run = []
    for i in nonblank:
        if flags[i] is None and not _label(lines[i]):
            break
        run.append(i)
    labels = [i for i in run if flags[i] is None]
    if len(run) >= MIN_MENU_RUN and len(labels) >= 2:
        for i in labels:
            flags[i] = "menu (short labels at the head)"


def _flag_tail(lines: list[str], nonblank: list[int], flags: list[str | None]) -> None:
    """Flag the footer: the longest tail, starting at a flagged line, mostly flagged by size.

    Code and markup do not count: a page's scripts sit anywhere in it, not only in its footer.
    """
    flagged_chars = 0
    total_chars = 0
    start: int | None = None
    for i in reversed(nonblank):
        if flags[i] == CODE_FLAG:
            continue
        size = len(lines[i].strip())
        total_chars += size
        if flags[i] is not None:
            flagged_chars += size
            if flagged_chars >= TAIL_SHARE * total_chars:
                start = i
    if start is None:
        return
    # Never take the body: the tail must leave at least one content line before it.
    if not any(flags[i] is None for i in nonblank if i < start):
        return
    for i in nonblank:
        if i >= start and flags[i] is None:
            flags[i] = "footer (after boilerplate)"
