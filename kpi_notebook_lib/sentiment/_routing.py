"""Language routing: which scorer reads which text, and why some texts are not scored.

Detection is two-staged so that it stays fast on a million mentions:

1. **Function words.** Each text's words are matched against short lists of frequent,
   discriminating function words of French, English, Spanish, Italian, Portuguese, German and
   Dutch (a word shared by several languages counts for each, divided among them). A
   language with at least two hits and twice the hits of the runner-up wins. Words that only
   the French or only the English sentiment lexicon knows (``génial``, ``amazing``) count as
   French or English hits when the function words alone do not decide; then one hit and three
   times the runner-up's are enough.
2. Short or ambiguous texts (``"Top !"``, hashtags only) go to **py3langid** (Lui &
   Baldwin's langid.py, modernised; BSD), restricted to :data:`LANGID_LANGUAGES`: it
   overrules a French or English lead only when it is at least 90 % sure, decides alone at
   50 %, and its French or English guess is taken from 20 %. Otherwise the language is
   undetermined (None), and :func:`score_texts` reads the text in the batch's main language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ._text import content_reason, fold, strip_links, tokenize

__all__ = ["DETECTOR_VERSION", "detect_language", "detector_key", "normalize_lang"]

#: Bump when detection can change (it is part of the language cache key).
DETECTOR_VERSION = "1"

_MARKERS: dict[str, str] = {
    "fr": "les des du est et je tu nous vous ils elles pas ne n' c' j' qu' avec pour dans mais "
    "très trop cette ces sont été suis ai avez fait merci bonjour tout tous rien jamais "
    "toujours chez aussi encore déjà moi toi ça ce cet mes tes vos nos votre notre leur leurs "
    "au aux sur plus bien oui vraiment donc alors quand comme une elle ils avoir être c'est "
    "la le un de en que il y ma mon non me on l' d'",
    "en": "the and is are was were you your this that with for have has not but it's i'm my me on "
    "just so what to of it be we they he she will would can very really thanks from about get "
    "if or been do does did there their who how when why don't can't i love great good "
    "our all out an at by im dont",
    "es": "el los las es muy pero por para con una del está esta este eso esto lo qué la un "
    "de en que y me "
    "gracias hola más también hay tengo estoy porque cuando todo nada sí mucho bueno como "
    "pero estos estas fue ser tiene su sus mi mis yo",
    "it": "gli della delle degli è sono molto per con che una questo questa anche la le un il "
    "ma non mi  "
    "più grazie ciao perché tutto sempre ho hai ha nel alla dei bello sei siamo",
    "pt": "os não muito mas com uma um da dos das em na isso este esta obrigado "
    "obrigada você eu também mais foi tem são ótimo bom pelo pela até",
    "de": "der die das und ist nicht ich sie es ein eine mit auf für sehr aber auch den dem "
    "sind wie noch schon danke gut mein dass von bei wir haben hat kein nur",
    "nl": "het een is niet ik van op voor met zijn maar ook dat heel erg goed "
    "bedankt dank wel nog naar ze hij",
}


def _marker_table() -> dict[str, tuple[tuple[str, float], ...]]:
    owners: dict[str, list[str]] = {}
    for lang, words in _MARKERS.items():
        for w in set(words.split()):
            owners.setdefault(w, []).append(lang)
    # a word shared by several languages counts for each, divided among them
    return {w: tuple((lang, 1.0 / len(ls)) for lang in ls) for w, ls in owners.items()}


_TABLE = _marker_table()
_WORD_RE = re.compile(r"[^\W\d_]+'?")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


def normalize_lang(value: object) -> str | None:
    """Primary language subtag of ``value`` (``"fr-FR"`` -> ``"fr"``), None when missing."""
    if value is None or not isinstance(value, str):
        return None
    v = value.strip().lower().replace("_", "-").split("-")[0]
    if not v or v in ("und", "zxx", "mul", "mis") or not _LANG_RE.match(v):
        return None
    return v


#: Languages py3langid may answer (the fallback for short texts): frequent on the social
#: networks agencies monitor. Restricting the set keeps "ok" from reading as Serbian.
LANGID_LANGUAGES = (
    "fr en es de it pt nl ca ro pl cs sk sl hr sv da no fi et lv lt hu el tr ru uk bg ar he "
    "fa hi bn ur id ms vi th ja ko zh sw"
).split()
#: py3langid alone must be at least this sure when the text has no French or English cue.
LANGID_MIN_PROB = 0.5
#: ...and at least this sure to overrule a French or English cue.
LANGID_OVERRULE_PROB = 0.9


@functools.cache
def _langid():
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:  # pragma: no cover - optional dependency missing
        return None
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(LANGID_LANGUAGES)
    return ident


@functools.cache
def _lexicon_cues() -> tuple[frozenset[str], frozenset[str]]:
    """Sentiment words only French has, and only English has (for short texts)."""
    from ._french import FrenchRules
    from ._lexicon import vader_lexicon

    fr = {k for k in FrenchRules().lexicon if k.isalpha()}
    en = {fold(k) for k in vader_lexicon() if k.isalpha()}
    return frozenset(fr - en), frozenset(en - fr)


@functools.cache
def detector_key() -> dict[str, str]:
    """Cache key of detected languages: detector version, marker lists, lexicons, py3langid."""
    from importlib import metadata

    from ._french import _ADDITIONS_FILE, _LEXICON_FILE
    from ._lexicon import _vader_file, fingerprint

    try:
        langid_version = metadata.version("py3langid")
    except metadata.PackageNotFoundError:  # pragma: no cover
        langid_version = "none"
    return {
        "scorer": "language-router",
        "version": DETECTOR_VERSION,
        "lexicon_hash": fingerprint(
            _LEXICON_FILE,
            _ADDITIONS_FILE,
            _vader_file("vader_lexicon.txt"),
            repr(sorted(_MARKERS.items())),
            " ".join(LANGID_LANGUAGES),
            f"py3langid {langid_version} {LANGID_MIN_PROB} {LANGID_OVERRULE_PROB}",
        ),
        "override_hash": "",
    }


def _detect_one(text: str) -> str | None:
    if "@" in text or "ttp" in text or "TTP" in text or "ww." in text or "WW." in text:
        text = strip_links(text)
    low = text.lower()
    if "’" in low:
        low = low.replace("’", "'")
    words = _WORD_RE.findall(low)
    if not words:
        return None
    scores: dict[str, float] = {}
    table = _TABLE
    for w in words:
        hit = table.get(w)
        if hit is None and w[-1] == "'":
            hit = table.get(w[:-1])
        if hit is not None:
            for lang, weight in hit:
                scores[lang] = scores.get(lang, 0.0) + weight
    if scores and _decisive(scores):
        return max(scores, key=scores.__getitem__)
    # short or ambiguous: add French / English cues from the sentiment lexicons
    fr_only, en_only = _lexicon_cues()
    fr = en = 0
    for w in words:
        f = fold(w.rstrip("'"))
        fr += f in fr_only
        en += f in en_only
    if fr or en:
        scores["fr"] = scores.get("fr", 0.0) + fr
        scores["en"] = scores.get("en", 0.0) + en
        if _decisive(scores, minimum=1.0, ratio=3.0):
            return max(scores, key=scores.__getitem__)
    f_s, e_s = scores.get("fr", 0.0), scores.get("en", 0.0)
    cue = "fr" if f_s > e_s else "en" if e_s > f_s else None
    ident = _langid()
    if ident is None:  # pragma: no cover
        return cue
    clean = " ".join(t.lstrip("#") for t in tokenize(low))
    lang, prob = ident.classify(clean)
    if prob >= LANGID_OVERRULE_PROB or (cue is None and prob >= LANGID_MIN_PROB):
        return lang
    if cue is None and lang in ("fr", "en") and prob >= 0.2:
        return lang  # a weak guess, but within the languages we read
    return cue


def _decisive(scores: dict[str, float], minimum: float = 2.0, ratio: float = 2.0) -> bool:
    """At least ``minimum`` hits, and ``ratio`` times the runner-up's."""
    top = second = 0.0
    for v in scores.values():
        if v > top:
            top, second = v, top
        elif v > second:
            second = v
    return top >= minimum and top >= ratio * second


def detect_language(texts: Iterable[object]) -> list[str | None]:
    """Detect the language of each text.

    Parameters
    ----------
    texts : iterable of str
        Texts; missing values are allowed.

    Returns
    -------
    list of str or None
        ISO 639-1 code per text (``"fr"``, ``"en"``, ``"es"``...), or None when the text has
        no word to judge (empty, links only, emojis only) or too few to tell (``"ok"``).

    Examples
    --------
    >>> detect_language(["Je ne recommande pas ce produit", "Not bad at all", "Muy bueno", ""])
    ['fr', 'en', 'es', None]
    """
    out: list[str | None] = []
    for t in texts:
        if not isinstance(t, str) or content_reason(t) is not None:
            out.append(None)
        else:
            out.append(_detect_one(t))
    return out


def detect_many(texts: Sequence[str]) -> list[str | None]:
    """:func:`detect_language` for texts already known to be scoreable (worker entry)."""
    return [_detect_one(t) for t in texts]
