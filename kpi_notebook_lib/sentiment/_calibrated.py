"""Stage 2 of the French scorer: the calibration learned on DEFT 2017 train (see ``_french.py``)."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence

import numpy as np

from ._base import BaseScorer, Overrides, normalize
from ._french import RULES_VERSION, FrenchRules
from ._lexicon import DATA_DIR, fingerprint
from ._text import fold

__all__ = ["CALIBRATION_STOPWORDS", "FrenchScorer", "calibration_inputs"]

_CALIBRATION_FILE = DATA_DIR / "fr_calibration.json"


#: Function words left out of the calibration's word features (they say more about a corpus'
#: genre than about tone).
CALIBRATION_STOPWORDS = frozenset(
    "a à au aux avec c' ce ces cet cette d' dans de des du elle elles en est et il ils j' je "
    "l' la le les leur leurs lui m' ma mes moi mon n' ne nous on ou où par pour qu' que qui "
    "s' sa se ses son sur t' ta te tes toi ton tu un une vos votre vous y ça ca été être "
    "avoir ai as avons avez ont suis es sommes êtes sont était etait".split()
)


def calibration_inputs(
    rules: FrenchRules, text: str, prefix: int = 5, min_len: int = 6
) -> tuple[float, tuple[float, ...], set[str], int]:
    """What the calibration reads from one text.

    Parameters
    ----------
    rules : FrenchRules
        The rules engine.
    text : str
        One text.
    prefix, min_len : int
        Words of at least ``min_len`` letters also yield their ``prefix``-letter stem
        (``ecologie`` -> ``ecolo*``).

    Returns
    -------
    total : float
        Rule valence sum (its VADER normalisation is the rule compound).
    dense : tuple of float
        ``log1p(pos)``, ``log1p(neg)``, only-positive flag, only-negative flag,
        ``log1p(n_words)``.
    features : set of str
        Folded words, idioms (``pas_terrible``) and stems, negated ones prefixed ``~``;
        function words and overridden terms left out.
    n_words : int
        Number of word tokens.
    """
    total, pos, neg, n_words, units = rules.analyse(text)
    dense = (
        math.log1p(pos),
        math.log1p(neg),
        float(pos > 0 and neg == 0),
        float(neg > 0 and pos == 0),
        math.log1p(n_words),
    )
    feats: set[str] = set()
    stop = _FOLDED_STOPWORDS
    for u in units:
        neg_mark = u[0] == "~"
        w = u[1:] if neg_mark else u
        if w in stop:
            continue
        feats.add(u)
        if len(w) >= min_len and w.isalpha():
            feats.add(("~" if neg_mark else "") + w[:prefix] + "*")
    return total, dense, feats, n_words


_FOLDED_STOPWORDS = frozenset(fold(w) for w in CALIBRATION_STOPWORDS)


class FrenchScorer(BaseScorer):
    """The default French scorer: :class:`FrenchRules` plus a calibration learned on train.

    The calibration is a multinomial logistic model (negative | neutral | positive) whose
    logits start from the rules' own decision, ``k * (-c - band), 0, k * (c - band)`` for the
    rule compound ``c``, and add learned corrections: one weight vector per word, idiom and
    stem seen in the DEFT 2017 train tweets, and five penalised rule features. A text whose
    words were never seen in training therefore keeps the rules' verdict; a text made only of
    emojis and emoticons keeps the rule compound as is. The compound is ``P(pos) - P(neg)``,
    put into the band of the most probable class (``>= 0.05`` positive, ``<= -0.05``
    negative, strictly between neutral), so that VADER's thresholds give the model's decision.

    Parameters
    ----------
    overrides : Overrides, optional
        Client lexicon overrides; overridden terms are also removed from the calibration's
        word features, so that a product called "Killer" cannot flip the tone either way.
    calibration : dict, optional
        Calibration weights; by default ``data/sentiment/fr_calibration.json``. Pass
        ``calibration={}`` to score with the rules alone.
    """

    name = "fr-calibrated"
    languages = ("fr",)

    def __init__(self, overrides: Overrides | None = None, calibration: dict | None = None) -> None:
        self.rules = FrenchRules(overrides)
        self.overrides = self.rules.overrides
        if calibration is None:
            calibration = _default_calibration()
        self.calibration = calibration
        cal = calibration or {}
        self._words: dict[str, tuple[float, float, float]] = {
            k: tuple(v) for k, v in cal.get("words", {}).items()
        }
        self._dense = [tuple(row) for row in cal.get("dense", [])]
        self._bias = tuple(cal.get("bias", (0.0, 0.0, 0.0)))
        prior = cal.get("prior", {})
        self._k = float(prior.get("k", 4.0))
        self._band = float(prior.get("band", 0.05))
        stems = cal.get("stems", {})
        self._stem_prefix = int(stems.get("prefix", 5))
        self._stem_min = int(stems.get("min_len", 6))
        cal_hash = fingerprint(json.dumps(cal, sort_keys=True))
        self.lexicon_hash = fingerprint(self.rules.lexicon_hash, cal_hash)
        self.version = f"{RULES_VERSION}+cal{cal.get('version', '-')}"

    def with_overrides(self, overrides: Overrides | None) -> FrenchScorer:
        """Return a French scorer that applies ``overrides``."""
        return type(self)(overrides, self.calibration)

    def logits(self, text: str) -> tuple[float, float, float] | float:
        """Class logits (negative, neutral, positive) of ``text``.

        A text without words (only emojis or emoticons), or any text when the scorer has no
        calibration, returns its rule valence sum (a float) instead.
        """
        total, dense, feats, n_words = calibration_inputs(
            self.rules, text, self._stem_prefix, self._stem_min
        )
        if not self.calibration or n_words == 0:
            return total
        c = normalize(total)
        k, band = self._k, self._band
        z0 = k * (-c - band) + self._bias[0]
        z1 = self._bias[1]
        z2 = k * (c - band) + self._bias[2]
        for x, (a, b, d) in zip(dense, self._dense, strict=True):
            if x:
                z0 += x * a
                z1 += x * b
                z2 += x * d
        words = self._words
        for f in feats:
            w = words.get(f)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
        return z0, z1, z2

    @staticmethod
    def compound_from_logits(z0: float, z1: float, z2: float) -> float:
        """``P(pos) - P(neg)``, put into the threshold band of the most probable class."""
        top = max(z0, z1, z2)
        e0, e1, e2 = math.exp(z0 - top), math.exp(z1 - top), math.exp(z2 - top)
        diff = (e2 - e0) / (e0 + e1 + e2)
        if z2 >= z1 and z2 > z0:
            return max(diff, 0.05)
        if z0 >= z1 and z0 >= z2:
            return min(diff, -0.05)
        return min(max(diff, -0.049), 0.049)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated compound in ``[-1, 1]`` for each text."""
        out = np.empty(len(texts), dtype="float64")
        logits, from_logits = self.logits, self.compound_from_logits
        for j, text in enumerate(texts):
            z = logits(text)
            out[j] = normalize(z) if isinstance(z, float) else from_logits(*z)
        return out


@functools.cache
def _default_calibration() -> dict:
    with open(_CALIBRATION_FILE, encoding="utf-8") as fh:
        return json.load(fh)
