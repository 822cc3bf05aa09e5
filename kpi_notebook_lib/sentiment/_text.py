"""Text machinery shared by the scorers and the language router.

Nothing here knows about a language's sentiment: it folds case and accents, finds URLs,
mentions, hashtags, emojis and emoticons, and tells why a text cannot be scored at all.
"""

from __future__ import annotations

import re

__all__ = [
    "EMOJI_STRIP",
    "content_reason",
    "fold",
    "is_emoji",
    "is_emoticon",
    "split_hashtag",
    "strip_links",
    "tokenize",
]

_FOLD = str.maketrans(
    {
        "à": "a",
        "á": "a",
        "â": "a",
        "ã": "a",
        "ä": "a",
        "å": "a",
        "ç": "c",
        "è": "e",
        "é": "e",
        "ê": "e",
        "ë": "e",
        "ì": "i",
        "í": "i",
        "î": "i",
        "ï": "i",
        "ñ": "n",
        "ò": "o",
        "ó": "o",
        "ô": "o",
        "õ": "o",
        "ö": "o",
        "ù": "u",
        "ú": "u",
        "û": "u",
        "ü": "u",
        "ý": "y",
        "ÿ": "y",
        "œ": "oe",
        "æ": "ae",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
    }
)


def fold(word: str) -> str:
    """Lower-case ``word`` and remove its accents (``Génial`` -> ``genial``)."""
    return word.lower().translate(_FOLD)


#: URLs (with or without a scheme), including the bare ``http`` placeholder that anonymised
#: tweet corpora leave behind.
_URL = r"(?:https?://\S+|www\.\S+|\bhttps?\b(?:…)?)"
_MENTION = r"(?<!\w)@\w+"
_LINKS_RE = re.compile(f"{_URL}|{_MENTION}", re.IGNORECASE)
_URL_RE = re.compile(_URL, re.IGNORECASE)

#: Variation selectors, zero-width joiners and skin-tone modifiers carry no sentiment: they are
#: removed before emojis are looked up.
EMOJI_STRIP = str.maketrans(
    {0xFE0F: None, 0xFE0E: None, 0x200D: " ", **{c: None for c in range(0x1F3FB, 0x1F400)}}
)

_MODIFIER_RE = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_EMOJI_CLASS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff"
_EMOTICON = (
    r"(?:<3+|</3"
    r"|(?<![\w:])[:;=8][\-o\*'^]?[\)\]\(\[dDpP/\\|\*3@]+(?![^\W\d_])"
    r"|(?<![\w:])[xX]-?[dD]+(?!\w)"
    r"|(?<![\w:])[\)\(\]\[][\-o\*']?[:;=8](?!\w)"
    r"|\^\^|\^_\^)"
)
_TOKEN_RE = re.compile(
    rf"{_EMOTICON}"
    r"|#\w+"
    r"|\w+'?"
    rf"|[{_EMOJI_CLASS}]"
    r"|[!?]+|\.{2,}|…|[.,;:]"
)
_EMOTICON_RE = re.compile(_EMOTICON)
_CAMEL_RE = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-zà-ÿ])|[a-zà-ÿ]+|\d+")
_LETTER_RE = re.compile(r"[^\W\d_]")


def strip_links(text: str) -> str:
    """Remove URLs and @mentions from ``text``."""
    return _LINKS_RE.sub(" ", text)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens, URLs and @mentions removed.

    Tokens are words (an elided article or pronoun keeps its apostrophe: ``n'``, ``l'``),
    ``#hashtags``, single emojis, emoticons (``:)``, ``<3``) and punctuation runs (``!!!``).
    Typographic apostrophes are normalised to ``'`` and emoji modifiers removed.

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    list of str
        Tokens in order, original case kept.
    """
    if "’" in text:
        text = text.replace("’", "'")
    if not text.isascii():
        text = _MODIFIER_RE.sub("", text)
        if "\u200d" in text:
            text = text.replace("\u200d", " ")
    if "@" in text or "ttp" in text or "TTP" in text or "ww." in text or "WW." in text:
        text = _LINKS_RE.sub(" ", text)
    out: list[str] = []
    findall = _TOKEN_RE.findall
    for chunk in text.split():
        if chunk.isalpha():
            out.append(chunk)
        else:
            out.extend(findall(chunk))
    return out


def split_hashtag(tag: str) -> list[str]:
    """Split a hashtag body into words when it is written in camel case.

    ``JeNeRecommandePas`` -> ``["Je", "Ne", "Recommande", "Pas"]``; ``génial`` -> ``["génial"]``.
    """
    if tag.islower() or tag.isupper() or "_" in tag:
        return [w for w in tag.split("_") if w]
    parts = _CAMEL_RE.findall(tag)
    return parts or [tag]


def is_emoticon(token: str) -> bool:
    """Whether ``token`` is an emoticon such as ``:)``, ``:-(`` or ``<3``."""
    return _EMOTICON_RE.fullmatch(token) is not None


def is_emoji(token: str) -> bool:
    """Whether ``token`` is a single emoji character."""
    return len(token) == 1 and token >= "\u2300" and not token.isalnum()


def content_reason(text: object) -> str | None:
    """Tell why ``text`` cannot be scored, or ``None`` when it can.

    Parameters
    ----------
    text : object
        A text, or a missing value.

    Returns
    -------
    {"empty", "url_only", None}
        ``"empty"`` for a missing, blank, mention-only or punctuation-only text,
        ``"url_only"`` when nothing but links (and mentions) is left, ``None`` when there is a
        word, an emoji or an emoticon to score.
    """
    if not isinstance(text, str) or not text.strip():
        return "empty"
    for tok in tokenize(text):
        if _LETTER_RE.search(tok) or is_emoji(tok) or is_emoticon(tok):
            return None
    return "url_only" if _URL_RE.search(text) else "empty"
