"""The French scorer: VADER's rules rewritten for French, on a French lexicon, then calibrated.

Two stages, both deterministic and fast (well over 10,000 texts/s on one core):

1. **Rules** (:class:`FrenchRules`). A VADER-style valence sum over the vadersentiment-fr
   lexicon (MIT, vendored in ``data/sentiment/vader_fr_lexicon.txt``) corrected and extended by
   ``fr_additions.tsv``, with French rules:

   - negation *around* the word: ``ne``/``n'`` opens a scope that covers the verb and closes a
     few words after the particle (``je ne recommande pas``, ``n'aime pas``, ``ne suis plus
     satisfait``); ``pas``, ``jamais``, ``rien``, ``aucun``, ``sans``, ``ni`` negate what
     follows; spoken French without ``ne`` negates the verb before ``pas`` (``j'aime pas``);
     ``ne ... que`` is not a negation; scopes stop at punctuation and conjunctions;
   - idioms that carry their own negation win over the rule (``pas terrible`` is negative,
     ``aucun problème``, ``pas mal``, ``pas cher`` are positive);
   - contrast: ``mais``, ``pourtant``, ``cependant``, ``toutefois``, ``néanmoins``, ``par
     contre``, ``en revanche`` halve what comes before and weigh what follows by 1.5 (VADER's
     "but" rule, which vadersentiment-fr leaves commented out);
   - elisions (``n'``, ``l'``, ``j'``, ``qu'``), case and accents folded for look-up;
   - emojis (shared table), emoticons (VADER's), ``#hashtags`` (camel case split:
     ``#JeNeRecommandePas``), elongations (``trooop bien``), intensifiers and dampeners
     (``très``, ``trop``, ``vraiment``, ``un peu``), ALL CAPS and ``!!!`` as in VADER.

2. **Calibration** (:class:`FrenchScorer`, the default, in ``_calibrated.py``). The
   translated lexicon's scores run far smaller than English ones, and French tweets are not
   English ones, so the rule sum alone does not put VADER's ``±0.05`` thresholds at the same
   place. A small multinomial
   logistic model (negative | neutral | positive; weights in ``fr_calibration.json``) starts
   from the rules' own decision and learns corrections from the words of the text; its
   compound is ``P(pos) - P(neg)`` put into the band of the most probable class, so the
   shared thresholds give exactly its decision. It is trained on the train split of DEFT 2017
   only (``bench/train_french.py``, deterministic). A text whose words never occurred in
   training keeps the rules' verdict; a text made only of emojis and emoticons keeps the rule
   compound.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import numpy as np

from ._base import BaseScorer, Overrides, normalize
from ._lexicon import (
    DATA_DIR,
    emoji_valences,
    emoticon_valences,
    fingerprint,
    read_valences,
)
from ._text import fold, split_hashtag, tokenize

__all__ = ["RULES_VERSION", "FrenchRules"]

#: Bump when the rules change (it is part of the cache key).
RULES_VERSION = "1.0"

# VADER's empirically derived constants.
B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74
ELONG_INCR = 0.3

_LEXICON_FILE = DATA_DIR / "vader_fr_lexicon.txt"
_ADDITIONS_FILE = DATA_DIR / "fr_additions.tsv"

#: Intensifiers and dampeners (a word that is also in the lexicon, such as "super", keeps its
#: own valence when no sentiment word follows it).
BOOSTERS: dict[str, float] = {
    **dict.fromkeys(
        (
            "absolument archi beaucoup bigrement carrement completement considerablement "
            "davantage diablement drolement entierement excessivement extra extremement "
            "fabuleusement grandement hyper incroyablement infiniment particulierement "
            "profondement rudement sacrement specialement super tellement terriblement "
            "totalement trop tres ultra vachement vraiment enormement mega grave "
            "franchement hautement fort vraiment"
        ).split(),
        B_INCR,
    ),
    **dict.fromkeys(
        (
            "assez difficilement guere insuffisamment legerement moins moyennement peu "
            "plutot presque quasi quasiment rarement"
        ).split(),
        B_DECR,
    ),
}

#: Negation particles. "plus" is one only after "ne"/"n'" (else it is "more").
_PARTICLES = frozenset(
    "pas jamais rien aucun aucune aucunement nullement guere point personne sans ni".split()
)
_NE = frozenset(("ne", "n'"))
#: Subject and object clitics: a word right after one of them and right before "pas" is a verb
#: ("j'aime pas", "ça marche pas").
_CLITICS = frozenset(
    "je j' tu il elle on ca c' nous vous ils elles me m' te t' se s' le la les l' lui y en "
    "leur".split()
)
#: Words that end a negation scope.
_BOUNDARIES = frozenset(
    ". , ; : ! ? ... … !! !!! ?? ??? et ou car donc puis mais pourtant cependant toutefois "
    "neanmoins alors parce quand si".split()
)
_CONTRAST = frozenset("mais pourtant cependant toutefois neanmoins".split())
_CONTRAST_PAIRS = {("par", "contre"), ("en", "revanche")}
_ELONG_RE = re.compile(r"(\w)\1{2,}")
_HAS_ELONG = re.compile(r"(\w)\1\1")
_EXTRA_EMOTICONS = {"^^": 1.5, "^_^": 2.0}

# token classes, looked up once per token
_PUNCT, _BOUNDARY, _CONTRAST_WORD, _PAIR_END, _NE_WORD, _PARTICLE, _PLUS, _QUE = range(1, 9)
_CLASSES: dict[str, int] = {
    **dict.fromkeys(_BOUNDARIES - _CONTRAST, _BOUNDARY),
    **dict.fromkeys(_CONTRAST, _CONTRAST_WORD),
    **dict.fromkeys(("contre", "revanche"), _PAIR_END),
    **dict.fromkeys(_NE, _NE_WORD),
    **dict.fromkeys(_PARTICLES, _PARTICLE),
    "plus": _PLUS,
    "que": _QUE,
    "qu'": _QUE,
    **dict.fromkeys(
        [p * r for p in "!?.,;:…" for r in range(1, 4)] + ["!?", "?!", "!!!!", "????", "....."],
        _PUNCT,
    ),
}


def _phrase_key(term: str) -> tuple[str, ...]:
    toks = []
    for t in tokenize(term):
        toks.extend(split_hashtag(t[1:]) if t.startswith("#") else [t])
    return tuple(fold(t) for t in toks)


class FrenchRules(BaseScorer):
    """Rule-based French scorer (stage 1 of :class:`FrenchScorer`).

    Parameters
    ----------
    overrides : Overrides, optional
        Client lexicon overrides (``term -> valence``); phrases are allowed.

    Notes
    -----
    The compound is VADER's normalisation of the valence sum, ``s / sqrt(s**2 + 15)``.
    """

    name = "fr-rules"
    version = RULES_VERSION
    languages = ("fr",)

    def __init__(self, overrides: Overrides | None = None) -> None:
        self.overrides = overrides or None
        lex: dict[str, float] = {}
        phrases: dict[tuple[str, ...], float] = {}
        entries = read_valences(_LEXICON_FILE, sep="->") + read_valences(_ADDITIONS_FILE)
        if self.overrides:
            entries += list(self.overrides.terms.items())
        override_words: set[str] = set()
        for term, valence in entries:
            key = _phrase_key(term)
            if not key:
                continue
            if len(key) == 1:
                lex[key[0]] = valence
            else:
                phrases[key] = valence
        if self.overrides:
            for term in self.overrides.terms:
                key = _phrase_key(term)
                override_words.update(key if len(key) == 1 else ("_".join(key),))
        self.lexicon = lex
        self.phrases = phrases
        first: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for key, v in sorted(phrases.items(), key=lambda kv: -len(kv[0])):
            first.setdefault(key[0], []).append((key, v))
        self._phrase_first = first
        self.override_words = frozenset(override_words)
        emot = {**emoticon_valences(), **_EXTRA_EMOTICONS}
        self.symbols = {**emot, **emoji_valences()}
        if self.overrides:
            # an override may also neutralise an emoji or an emoticon
            for term, v in self.overrides.terms.items():
                if term.strip() in self.symbols:
                    self.symbols[term.strip()] = v
        self.lexicon_hash = fingerprint(
            _LEXICON_FILE,
            _ADDITIONS_FILE,
            DATA_DIR / "emoji_valence.tsv",
            json.dumps(emot, sort_keys=True),
        )
        self._build_info()

    def with_overrides(self, overrides: Overrides | None) -> FrenchRules:
        """Return a rules scorer that applies ``overrides``."""
        return type(self)(overrides)

    # -- the engine ------------------------------------------------------------------------
    def _build_info(self) -> None:
        """One look-up per token: class, valence, phrases, booster, override, sentiment flag."""
        lex, symbols = self.lexicon, self.symbols
        keys = set(lex) | set(symbols) | set(_CLASSES) | set(self._phrase_first)
        keys |= set(BOOSTERS) | set(self.override_words)
        info: dict[str, tuple] = {}
        for k in keys:
            if k[0].isalpha():
                v = lex.get(k)
            else:
                v = symbols.get(k)
                if v is None:
                    v = lex.get(k)
            bears = bool(lex.get(k)) or k in BOOSTERS or bool(symbols.get(k))
            info[k] = (
                _CLASSES.get(k, 0),
                v,
                self._phrase_first.get(k),
                k in BOOSTERS,
                k in self.override_words,
                bears,
            )
        self._info = info

    def analyse(self, text: str) -> tuple[float, float, float, int, list[str]]:
        """Score one text.

        Returns
        -------
        total : float
            Valence sum after every rule, punctuation emphasis included.
        pos, neg : float
            Sums of the positive and (absolute) negative token valences.
        n_words : int
            Number of word tokens (0 for a text made only of symbols).
        units : list of str
            Folded words and matched phrases (``pas_terrible``), negated ones prefixed with
            ``~``, overridden terms left out: the input of the calibration.
        """
        if "#" in text:
            raw = []
            for tok in tokenize(text):
                if tok[0] == "#" and len(tok) > 1:
                    raw.extend(split_hashtag(tok[1:]))
                else:
                    raw.append(tok)
        else:
            raw = tokenize(text)
        m = len(raw)
        joined = fold("\x00".join(raw)) if m else ""
        keys = joined.split("\x00") if m else []
        elong = _HAS_ELONG.search(joined) is not None  # any elongated word at all?
        info_get = self._info.get
        n_words = 0
        n_upper = 0
        if text.islower():  # no capital letter at all: no caps emphasis to find
            for t in raw:
                if t[0].isalpha():
                    n_words += 1
        else:
            for t in raw:
                if t[0].isalpha():
                    n_words += 1
                    if len(t) > 1 and t.isupper():
                        n_upper += 1
        cap_diff = 0 < n_upper < n_words
        vals = [0.0] * m
        negated = [False] * m
        units: list[str] = []
        ne_open = False
        neg_until = -1
        contrast_at = -1
        excl = 0
        quest = 0
        i = 0
        while i < m:
            k = keys[i]
            inf = info_get(k)
            emph = 0.0
            if inf is None:
                c = k[0]
                if c in "!?.…":
                    excl += k.count("!")
                    quest += k.count("?")
                    ne_open = False
                    neg_until = -1
                    i += 1
                    continue
                if elong and c.isalpha() and len(k) > 2 and _HAS_ELONG.search(k):
                    k2 = _ELONG_RE.sub(r"\1\1", k)
                    inf = info_get(k2)
                    if inf is None or inf[1] is None:
                        k2 = _ELONG_RE.sub(r"\1", k)
                        inf = info_get(k2)
                    if inf is not None and inf[1] is not None:
                        k = keys[i] = k2
                        emph = ELONG_INCR
                    else:
                        inf = None
                if inf is None:
                    if c.isalpha():
                        units.append("~" + k if (ne_open or i <= neg_until) else k)
                    i += 1
                    continue
            else:
                cls = inf[0]
                if cls:
                    if cls == _PUNCT:
                        excl += k.count("!")
                        quest += k.count("?")
                        ne_open = False
                        neg_until = -1
                        i += 1
                        continue
                    if cls == _BOUNDARY or cls == _CONTRAST_WORD:
                        ne_open = False
                        neg_until = -1
                        if cls == _CONTRAST_WORD and contrast_at < 0:
                            contrast_at = i
                        i += 1
                        continue
                    if cls == _PAIR_END and i > 0 and (keys[i - 1], k) in _CONTRAST_PAIRS:
                        if contrast_at < 0:
                            contrast_at = i
                        ne_open = False
                        neg_until = -1
                        i += 1
                        continue
                cands = inf[2]
                if cands is not None:
                    matched = False
                    for key, v in cands:
                        n = len(key)
                        if tuple(keys[i : i + n]) == key:
                            if key[0] in _PARTICLES or key[0] in _NE:
                                ne_open = False
                                neg_until = -1
                            elif ne_open or i <= neg_until:
                                v *= N_SCALAR
                                negated[i] = True
                            if v:
                                v = self._boost(v, raw, keys, i, cap_diff)
                            vals[i] = v
                            joined = "_".join(key)
                            if joined not in self.override_words:
                                units.append(joined)
                            matched = True
                            i += n
                            break
                    if matched:
                        continue
                if cls == _NE_WORD:
                    ne_open = True
                    i += 1
                    continue
                if cls == _PARTICLE or (
                    cls == _PLUS and (ne_open or (i > 0 and keys[i - 1] == "non"))
                ):
                    if not ne_open and i > 0 and vals[i - 1] and not negated[i - 1]:
                        # spoken French drops "ne": "j'aime pas", "je recommande pas"
                        if i == 1 or keys[i - 2] in _CLITICS:
                            vals[i - 1] *= N_SCALAR
                            negated[i - 1] = True
                            if units and units[-1] == keys[i - 1]:
                                units[-1] = "~" + units[-1]
                    ne_open = False
                    neg_until = i + 3
                    i += 1
                    continue
                if cls == _QUE and ne_open:
                    ne_open = False  # "ne ... que" restricts, it does not negate
                    i += 1
                    continue
                if inf[1] is None:
                    c = k[0]
                    if elong and c.isalpha() and len(k) > 2 and _HAS_ELONG.search(k):
                        k2 = _ELONG_RE.sub(r"\1\1", k)
                        inf2 = info_get(k2)
                        if inf2 is None or inf2[1] is None:
                            k2 = _ELONG_RE.sub(r"\1", k)
                            inf2 = info_get(k2)
                        if inf2 is not None and inf2[1] is not None:
                            k = keys[i] = k2
                            inf = inf2
                            emph = ELONG_INCR
                    if inf[1] is None:
                        if c.isalpha() and not inf[4]:
                            units.append("~" + k if (ne_open or i <= neg_until) else k)
                        i += 1
                        continue
            v = inf[1]
            if inf[3] and i + 1 < m:
                nxt = info_get(keys[i + 1])
                if nxt is not None and nxt[5]:
                    if not inf[4]:
                        units.append(k)
                    i += 1
                    continue  # acts as an intensifier of what follows
            neg_here = ne_open or i <= neg_until
            if k[0].isalpha() and not inf[4]:
                units.append("~" + k if neg_here else k)
            if v:
                if emph:
                    v += emph if v > 0 else -emph
                v = self._boost(v, raw, keys, i, cap_diff)
                if neg_here:
                    v *= N_SCALAR
                    negated[i] = True
                vals[i] = v
            i += 1
        if contrast_at >= 0:
            for j in range(m):
                if vals[j]:
                    vals[j] *= 0.5 if j < contrast_at else 1.5
        pos = 0.0
        neg = 0.0
        for v in vals:
            if v > 0:
                pos += v
            elif v < 0:
                neg -= v
        total = pos - neg
        if total:
            amp = min(excl, 4) * 0.292
            if quest > 1:
                amp += quest * 0.18 if quest <= 3 else 0.96
            total += amp if total > 0 else -amp
        return total, pos, neg, n_words, units

    def _boost(self, v: float, raw: list[str], keys: list[str], i: int, cap_diff: bool) -> float:
        """Caps emphasis and intensifiers in the three preceding tokens (VADER's rule)."""
        if cap_diff and len(raw[i]) > 1 and raw[i].isupper():
            v += C_INCR if v > 0 else -C_INCR
        for dist, damp in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = i - dist
            if j < 0:
                break
            b = BOOSTERS.get(keys[j])
            if b is None:
                continue
            s = b if v > 0 else -b
            if cap_diff and len(raw[j]) > 1 and raw[j].isupper():
                s += C_INCR if v > 0 else -C_INCR
            v += s * damp
        return v

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Compound in ``[-1, 1]`` for each text (VADER normalisation of the rule sum)."""
        out = np.empty(len(texts), dtype="float64")
        for j, text in enumerate(texts):
            out[j] = normalize(self.analyse(text)[0])
        return out
