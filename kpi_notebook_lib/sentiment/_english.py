"""The English scorer: vaderSentiment, standard thresholds, plus four documented additions.

1. **Emojis.** VADER reads an emoji through the words of its English description, so
   frequent ones such as 😡 ("pouting face"), 👍 ("thumbs up") or ❤️ ("red heart") score 0.
   Emojis of the shared table (``data/sentiment/emoji_valence.tsv``, the same the French
   scorer uses) are replaced by a placeholder word that carries their valence in VADER's
   lexicon; every other emoji goes through VADER's own description path unchanged.
   It changes none of the 4,200 compounds of VADER's own tweet benchmark
   (``EnglishScorer(calibration={})`` gives raw VADER's compound on every one).
2. **Overrides.** A client term replaces VADER's valence of that word; a multi-word term
   (``Zéro défaut``) is replaced in the text by a placeholder word with its valence, so its
   words are not read on their own.
3. **Names and headlines.** VADER reads "Best" in *Best Buy*, "Dead" in *The Walking Dead*
   and "Top" in *Top Health Systems: Who Made The List?* as opinions. A sentiment word inside
   a run of at least two consecutive Capitalised words (not ALL CAPS, no punctuation
   between them; three when the run opens a sentence, whose first word is capitalised
   anyway) that also holds a word VADER has no valence for is read as part of a name or a
   headline, and carries no valence. The rule was written on a fixed half of VADER's own
   tweet benchmark and is measured on the other half by ``bench/tone_accuracy.py``.
   It is **off by default** (``names=True`` turns it on): on that benchmark, which holds many
   news headlines, it lifts macro-F1 from 0.690 to 0.714 on the held-out half, but on brand
   mentions it misreads Title Case opinions ("Terrible Customer Service", "I Love This
   Shop", "Worst Experience Ever" all become neutral), and a tone report must not hide a
   complaint to win a benchmark.
4. **Calibration.** The compound is no longer VADER's own: it is the *predicted mean human
   rating* of the text, divided by 4 (VADER's -4..+4 rating scale) and clipped to
   ``[-1, 1]``, put into the band of the class a second model decides (``>= 0.05``
   positive, ``<= -0.05`` negative, strictly between neutral), so that VADER's standard
   thresholds give exactly that model's decision. Both models read only VADER's compound
   (of the text after steps 1-3) and the text's shape (:func:`english_features`: a link,
   a question or exclamation mark, its length, its share of Capitalised words, and
   products of these with the compound); there are **no word weights**, which would carry
   the topics of the training tweets into brand mentions. The class model is a
   multinomial logistic regression (negative | neutral | positive), the rating model a
   ridge regression; both were fitted by ``bench/train_english.py`` on the dev half of
   VADER's tweet benchmark only (``data/sentiment/en_calibration.json``), and
   ``bench/tone_accuracy.py`` measures them on the held-out half. A text VADER scores
   exactly 0 (no sentiment word) that the class model calls neutral keeps 0, so average
   compounds of neutral texts are not shifted. ``calibration={}`` gives VADER's compound
   (after steps 1-3) unchanged; ``EnglishScorer(emojis=False, calibration={})`` is raw
   VADER.

Speed: with vaderSentiment 3.3.2 installed, ``polarity_scores``' compound is computed by
:class:`_FastVader`, a line-by-line transcription of that version's algorithm that lowers
each word once instead of once per rule (the library re-lowers the whole sentence for every
sentiment word), about 2-3x faster. It reads the analyzer's own lexicon, boosters, negations
and idioms, and ``tests/test_sentiment.py`` and ``tests/test_sentiment_english.py`` check
that it returns exactly the library's compound. With any other vaderSentiment version the
library's ``polarity_scores`` is used as is. The calibration stays in pure Python (its
standardisation is folded into tuples of weights: four dot products of at most 11 floats
per text) and costs about a third of the scorer's speed (about 60,000 instead of 90,000
tweets per second on one core here).
"""

from __future__ import annotations

import functools
import json
import math
import re
import string
from collections.abc import Sequence
from importlib import metadata
from operator import mul

import numpy as np
from vaderSentiment import vaderSentiment as _vs
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ._base import BaseScorer, Overrides
from ._lexicon import DATA_DIR, _vader_file, emoji_valences, fingerprint
from ._text import EMOJI_STRIP

__all__ = ["ENGLISH_FEATURES", "N_CLASS_FEATURES", "EnglishScorer", "english_features"]

ENGLISH_VERSION = "1.1"
_CALIBRATION_FILE = DATA_DIR / "en_calibration.json"
#: Names of the values :func:`english_features` returns, in order. The class model reads the
#: first :data:`N_CLASS_FEATURES`, the rating model all of them.
ENGLISH_FEATURES: tuple[str, ...] = (
    "compound",
    "abs_compound",
    "compound_sq",
    "has_url",
    "log1p_words",
    "has_question",
    "has_exclamation",
    "title_share",
    "compound_x_url",
    "compound_x_question",
    "compound_x_title_share",
)
#: How many of :data:`ENGLISH_FEATURES` the class model reads (the products are left out).
N_CLASS_FEATURES = 8
_PUNCT = string.punctuation
#: The vaderSentiment release :class:`_FastVader` transcribes.
TRANSCRIBED_VADER = "3.3.2"
_EMOJI_WORD = "kpiemoji{:x}"
_PHRASE_WORD = "kpiphrase{}"
_NAME_WORD = "kpiname"
#: Two neighbouring tokens that start with a capital followed by a small letter: a cheap
#: pre-check, the name rule needs such a pair.
_CAP_PAIR = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]\S*\s+[^\w\s]*[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")
_RUN_BREAK = frozenset(".!?:,;")
_SENTENCE_END = frozenset(".!?:")


def english_features(text: str, compound: float) -> tuple[float, ...]:
    """What the English calibration reads from one text: its compound and its shape.

    Parameters
    ----------
    text : str
        The text as written (before emojis and overrides are replaced).
    compound : float
        VADER's compound of the text as the scorer prepares it (emojis, overrides, names).

    Returns
    -------
    tuple of float
        The values named by :data:`ENGLISH_FEATURES`: ``c``, ``|c|``, ``c**2``; 1.0 when the
        text holds ``"http"`` or ``"www."`` (else 0.0); ``log1p`` of its number of
        whitespace-separated tokens; 1.0 when it holds ``"?"``; 1.0 when it holds ``"!"``;
        the share of its tokens starting with a letter (once stripped of punctuation) whose
        first letter is upper case (0.0 without such tokens); then ``c`` times the link
        flag, the question flag and the Capitalised share.
    """
    c = float(compound)
    toks = text.split()
    words = capitalised = 0
    for tok in toks:
        core = tok.strip(_PUNCT)
        if core and core[0].isalpha():
            words += 1
            if core[0].isupper():
                capitalised += 1
    url = 1.0 if "http" in text or "www." in text else 0.0
    question = 1.0 if "?" in text else 0.0
    title = capitalised / words if words else 0.0
    return (
        c,
        abs(c),
        c * c,
        url,
        math.log1p(len(toks)),
        question,
        1.0 if "!" in text else 0.0,
        title,
        c * url,
        c * question,
        c * title,
    )


class EnglishScorer(BaseScorer):
    """English compound scores from vaderSentiment (Hutto & Gilbert, 2014).

    The compound is the predicted mean human rating divided by 4, put into the band of the
    calibrated class (see the module docstring); with ``calibration={}`` it is VADER's own.

    Parameters
    ----------
    overrides : Overrides, optional
        Client lexicon overrides (``term -> valence``).
    emojis : bool, default True
        Give the emojis of the shared table their valence (see the module docstring).
    names : bool, default False
        Read sentiment words inside Capitalised names and headlines as names (see the
        module docstring; off by default because it mutes Title Case complaints).
    calibration : dict, optional
        Calibration models; by default ``data/sentiment/en_calibration.json`` (written by
        ``bench/train_english.py``). ``calibration={}`` scores with VADER's compound as is:
        ``EnglishScorer(emojis=False, calibration={})`` is raw VADER.

    Raises
    ------
    ValueError
        If ``calibration`` is not empty and its feature names are not
        :data:`ENGLISH_FEATURES`.

    References
    ----------
    Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment
    Analysis of Social Media Text. ICWSM-14.
    """

    languages = ("en",)

    def __init__(
        self,
        overrides: Overrides | None = None,
        *,
        emojis: bool = True,
        names: bool = False,
        calibration: dict | None = None,
    ) -> None:
        self.overrides = overrides or None
        self.emojis = emojis
        self.names = names
        if calibration is None:
            calibration = _default_calibration()
        self.calibration = calibration
        if calibration:
            self.name = "vader-en"
        else:
            self.name = "vader-en-raw" if not emojis and not names else "vader-en-uncal"
        if not emojis and (calibration or names):
            self.name += "-noemoji"
        if names:
            self.name += "-names"
        self.version = f"{ENGLISH_VERSION}/vaderSentiment-{metadata.version('vaderSentiment')}"
        self._model = _CalibrationModel(calibration) if calibration else None
        if self._model is not None:
            self.version += f"+cal{calibration.get('version', '-')}-{self._model.hash[:8]}"
        self._analyzer = SentimentIntensityAnalyzer()
        lex = self._analyzer.lexicon
        self._fast = (
            _FastVader(self._analyzer)
            if metadata.version("vaderSentiment") == TRANSCRIBED_VADER
            else None
        )
        self._emoji_map: dict[int, str] = {}
        if emojis:
            for emoji, valence in emoji_valences().items():
                word = _EMOJI_WORD.format(ord(emoji))
                lex[word] = valence
                self._emoji_map[ord(emoji)] = f" {word} "
            self._emoji_re = re.compile("[" + "".join(re.escape(e) for e in emoji_valences()) + "]")
        self._phrases: list[tuple[re.Pattern[str], str]] = []
        if self.overrides:
            for i, (term, valence) in enumerate(self.overrides.terms.items()):
                words = term.split()
                if len(words) == 1 and not self._emoji_re_match(term):
                    lex[term.lower()] = valence
                    continue
                if len(words) == 1:  # an emoji
                    lex[_EMOJI_WORD.format(ord(term.strip()[0]))] = valence
                    continue
                word = _PHRASE_WORD.format(i)
                lex[word] = valence
                pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
                self._phrases.append((re.compile(pattern, re.IGNORECASE), f" {word} "))
        self.lexicon_hash = fingerprint(
            _vader_file("vader_lexicon.txt"),
            _vader_file("emoji_utf8_lexicon.txt"),
            DATA_DIR / "emoji_valence.tsv" if emojis else "no-emoji",
            *((self._model.hash,) if self._model is not None else ()),
        )

    def _emoji_re_match(self, term: str) -> bool:
        t = term.strip()
        return len(t) == 1 and not t.isalnum() and t >= "\u2300"

    def with_overrides(self, overrides: Overrides | None) -> EnglishScorer:
        """Return an English scorer that applies ``overrides``."""
        return type(self)(
            overrides, emojis=self.emojis, names=self.names, calibration=self.calibration
        )

    def prepare(self, text: str) -> str:
        """The text VADER reads: override phrases and table emojis replaced by placeholders."""
        for pattern, word in self._phrases:
            text = pattern.sub(word, text)
        if self.emojis and not text.isascii():
            text = text.translate(EMOJI_STRIP)
            text = self._emoji_re.sub(lambda m: self._emoji_map[ord(m.group())], text)
        if self.names and _CAP_PAIR.search(text) is not None:
            text = self._mute_names(text)
        return text

    def _mute_names(self, text: str) -> str:
        """Replace the sentiment words of Capitalised runs by a word without valence."""
        toks = text.split()
        punct = string.punctuation
        lex = self._analyzer.lexicon
        core = [w.strip(punct) for w in toks]
        cap = [len(c) > 1 and c[0].isupper() and not c.isupper() for c in core]
        n = len(toks)
        i = 0
        changed = False
        while i < n:
            if not cap[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and cap[j + 1] and toks[j][-1] not in _RUN_BREAK:
                j += 1
            opens = i == 0 or toks[i - 1][-1] in _SENTENCE_END
            if j - i + 1 >= (3 if opens else 2) and any(
                core[k].lower() not in lex for k in range(i, j + 1)
            ):
                for k in range(i, j + 1):
                    if core[k].lower() in lex:
                        toks[k] = toks[k].replace(core[k], _NAME_WORD, 1)
                        changed = True
            i = j + 1
        return " ".join(toks) if changed else text

    def vader_compound(self, text: str) -> float:
        """VADER's compound of ``text`` after emojis, overrides and names (no calibration)."""
        if self._fast is not None:
            return self._fast.compound(self.prepare(text))
        return self._analyzer.polarity_scores(self.prepare(text))["compound"]  # pragma: no cover

    def decide(self, text: str) -> str | None:
        """The calibrated class of ``text`` (``"negative"``, ``"neutral"`` or ``"positive"``).

        ``None`` when the scorer has no calibration. :meth:`score` puts the compound into
        this class's band, so :func:`label_from_compound` of the score gives this label.
        """
        if self._model is None:
            return None
        feats = english_features(text, self.vader_compound(text))
        return ("negative", "neutral", "positive")[self._model.decide(feats)]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Compound in ``[-1, 1]`` for each text (calibrated unless ``calibration={}``)."""
        prepare = self.prepare
        out = np.empty(len(texts), dtype="float64")
        if self._fast is not None:
            compound = self._fast.compound
        else:  # pragma: no cover - other vaderSentiment versions
            polarity = self._analyzer.polarity_scores

            def compound(text: str) -> float:
                return polarity(text)["compound"]

        if self._model is None:
            for j, text in enumerate(texts):
                out[j] = compound(prepare(text))
            return out
        calibrate = self._model.compound
        for j, text in enumerate(texts):
            c = compound(prepare(text))
            out[j] = calibrate(english_features(text, c), c)
        return out


class _CalibrationModel:
    """The two calibration models with the standardisation folded into their weights.

    Pure Python on tuples: one text costs four dot products of at most 11 floats.
    """

    def __init__(self, cal: dict) -> None:
        names = tuple(cal.get("features", ()))
        if names != ENGLISH_FEATURES:
            raise ValueError(
                "The English calibration must use the features "
                f"{list(ENGLISH_FEATURES)}, but it has {list(names)}; retrain it with "
                "bench/train_english.py."
            )
        self.hash = fingerprint(json.dumps(cal, sort_keys=True))
        mean = [float(v) for v in cal["standardise"]["mean"]]
        std = [float(v) for v in cal["standardise"]["std"]]
        k = N_CLASS_FEATURES
        cls = cal["class_model"]
        self.class_w: list[tuple[float, ...]] = []
        self.class_b: list[float] = []
        for row, b in zip(cls["coef"], cls["intercept"], strict=True):
            w = [float(v) / s for v, s in zip(row, std[:k], strict=True)]
            self.class_w.append(tuple(w))
            self.class_b.append(float(b) - sum(map(mul, w, mean[:k])))
        rating = cal["rating_model"]
        w = [float(v) / s for v, s in zip(rating["coef"], std, strict=True)]
        self.rating_w = tuple(w)
        self.rating_b = float(rating["intercept"]) - sum(map(mul, w, mean))
        self.scale = float(rating.get("scale", 4.0))

    def decide(self, feats: tuple[float, ...]) -> int:
        """0 negative, 1 neutral, 2 positive: the class model's most probable class."""
        (w0, w1, w2), (b0, b1, b2) = self.class_w, self.class_b
        z0 = b0 + sum(map(mul, w0, feats))
        z1 = b1 + sum(map(mul, w1, feats))
        z2 = b2 + sum(map(mul, w2, feats))
        if z0 >= z1 and z0 >= z2:
            return 0
        return 2 if z2 > z1 else 1  # ties go to the first class, as numpy's argmax

    def compound(self, feats: tuple[float, ...], c: float) -> float:
        """The predicted rating / 4, put into the band of the decided class."""
        k = self.decide(feats)
        if k == 1:
            if c == 0.0:
                return 0.0
            x = (self.rating_b + sum(map(mul, self.rating_w, feats))) / self.scale
            return -0.049 if x < -0.049 else 0.049 if x > 0.049 else x
        x = (self.rating_b + sum(map(mul, self.rating_w, feats))) / self.scale
        x = -1.0 if x < -1.0 else 1.0 if x > 1.0 else x
        return (x if x > 0.05 else 0.05) if k == 2 else (x if x < -0.05 else -0.05)


@functools.cache
def _default_calibration() -> dict:
    with open(_CALIBRATION_FILE, encoding="utf-8") as fh:
        return json.load(fh)


class _FastVader:
    """vaderSentiment 3.3.2's compound, transcribed with each word lowered once.

    Every branch mirrors ``SentimentIntensityAnalyzer.polarity_scores`` and the methods it
    calls (``sentiment_valence``, ``_negation_check``, ``_special_idioms_check``,
    ``_least_check``, ``_but_check``, ``score_valence``), quirks included; the library's own
    ``_but_check`` is called as is.
    """

    def __init__(self, analyzer: SentimentIntensityAnalyzer) -> None:
        self.lexicon = analyzer.lexicon  # shared: overrides and emoji words land here too
        self.emojis = analyzer.emojis
        self.boosters = _vs.BOOSTER_DICT
        self.negate = frozenset(_vs.NEGATE)
        self.special = _vs.SPECIAL_CASES
        self.n_scalar = _vs.N_SCALAR
        self.c_incr = _vs.C_INCR
        self.punct = string.punctuation

    def _emoji_text(self, text: str) -> str:
        emojis = self.emojis
        out = []
        prev_space = True
        for ch in text:
            d = emojis.get(ch)
            if d is not None:
                if not prev_space:
                    out.append(" ")
                out.append(d)
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        return "".join(out)

    def compound(self, text: str) -> float:
        if not text.isascii():
            text = self._emoji_text(text)
        text = text.strip()
        punct = self.punct
        words = []
        for w in text.split():
            s = w.strip(punct)
            words.append(w if len(s) <= 2 else s)
        n = len(words)
        if n == 0:
            return 0.0
        lowers = [w.lower() for w in words]
        n_upper = sum(1 for w in words if w.isupper())
        is_cap_diff = 0 < n - n_upper < n
        lex = self.lexicon
        boosters = self.boosters
        negate = self.negate
        n_scalar = self.n_scalar
        c_incr = self.c_incr
        sentiments: list[float] = []
        for i in range(n):
            low = lowers[i]
            if low in boosters:
                sentiments.append(0)
                continue
            if i < n - 1 and low == "kind" and lowers[i + 1] == "of":
                sentiments.append(0)
                continue
            base = lex.get(low)
            if base is None:
                sentiments.append(0)
                continue
            valence = base
            if low == "no" and i != n - 1 and lowers[i + 1] in lex:
                valence = 0.0
            if (
                (i > 0 and lowers[i - 1] == "no")
                or (i > 1 and lowers[i - 2] == "no")
                or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
            ):
                valence = base * n_scalar
            if is_cap_diff and words[i].isupper():
                valence = valence + c_incr if valence > 0 else valence - c_incr
            for start_i in (0, 1, 2):
                j = i - (start_i + 1)
                if i > start_i and lowers[j] not in lex:
                    # scalar_inc_dec
                    s = 0.0
                    b = boosters.get(lowers[j])
                    if b is not None:
                        s = b
                        if valence < 0:
                            s *= -1
                        if is_cap_diff and words[j].isupper():
                            s = s + c_incr if valence > 0 else s - c_incr
                    if start_i == 1 and s != 0:
                        s = s * 0.95
                    if start_i == 2 and s != 0:
                        s = s * 0.9
                    valence = valence + s
                    # _negation_check
                    if start_i == 0:
                        w1 = lowers[i - 1]
                        if w1 in negate or "n't" in w1:
                            valence = valence * n_scalar
                    elif start_i == 1:
                        w2, w1 = lowers[i - 2], lowers[i - 1]
                        if w2 == "never" and (w1 == "so" or w1 == "this"):
                            valence = valence * 1.25
                        elif w2 == "without" and w1 == "doubt":
                            pass
                        elif w2 in negate or "n't" in w2:
                            valence = valence * n_scalar
                    else:
                        w3, w2, w1 = lowers[i - 3], lowers[i - 2], lowers[i - 1]
                        if (w3 == "never" and (w2 == "so" or w2 == "this")) or (
                            w1 == "so" or w1 == "this"
                        ):
                            valence = valence * 1.25
                        elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                            pass
                        elif w3 in negate or "n't" in w3:
                            valence = valence * n_scalar
                        valence = self._idioms(valence, lowers, i)
            # _least_check
            if i > 1 and lowers[i - 1] not in lex and lowers[i - 1] == "least":
                if lowers[i - 2] != "at" and lowers[i - 2] != "very":
                    valence = valence * n_scalar
            elif i > 0 and lowers[i - 1] not in lex and lowers[i - 1] == "least":
                valence = valence * n_scalar
            sentiments.append(valence)
        if "but" in lowers:
            sentiments = SentimentIntensityAnalyzer._but_check(words, sentiments)
        if not sentiments:
            return 0.0
        sum_s = float(sum(sentiments))
        ep = min(text.count("!"), 4) * 0.292
        qm_count = text.count("?")
        qm = (qm_count * 0.18 if qm_count <= 3 else 0.96) if qm_count > 1 else 0
        amp = ep + qm
        if sum_s > 0:
            sum_s += amp
        elif sum_s < 0:
            sum_s -= amp
        c = sum_s / math.sqrt(sum_s * sum_s + 15)
        c = -1.0 if c < -1.0 else 1.0 if c > 1.0 else c
        return round(c, 4)

    def _idioms(self, valence: float, lowers: list[str], i: int) -> float:
        special = self.special
        l3, l2, l1, l0 = lowers[i - 3], lowers[i - 2], lowers[i - 1], lowers[i]
        onezero = f"{l1} {l0}"
        twoonezero = f"{l2} {l1} {l0}"
        twoone = f"{l2} {l1}"
        threetwoone = f"{l3} {l2} {l1}"
        threetwo = f"{l3} {l2}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        n = len(lowers)
        if n - 1 > i:
            zeroone = f"{l0} {lowers[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{l0} {lowers[i + 1]} {lowers[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        boosters = self.boosters
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in boosters:
                valence = valence + boosters[n_gram]
        return valence
