"""Tone of mentions: French and English sentiment scores, routed by language, cached.

The one function most callers need is :func:`score_texts`::

    from kpi_notebook_lib.sentiment import score_texts
    score_texts(["Je ne recommande pas ce produit", "Not bad at all", "Muy bueno", ""])
    #    lang  compound     label             reason
    # 0    fr -0.553029  negative               <NA>
    # 1    en     0.431  positive               <NA>
    # 2  <NA>      <NA>  unscored  other_language:es
    # 3  <NA>      <NA>  unscored              empty

Scores
------
Every scorer returns a *compound* in ``[-1, 1]`` and the same thresholds label it in every
language (:func:`label_from_compound`): ``>= 0.05`` positive, ``<= -0.05`` negative, else
neutral. Texts that cannot be scored are never "neutral": they are ``unscored`` with a
``reason`` (``empty``, ``url_only``, ``other_language:<code>``).

- **English** (:class:`EnglishScorer`): vaderSentiment (Hutto & Gilbert, 2014); emojis of a
  shared table get a valence (VADER scores 😡 👍 ❤️ as 0); then a calibration fitted on half
  of VADER's own human-rated tweets (``bench/train_english.py``): the compound is the
  predicted mean human rating divided by 4, put into the band of a calibrated class, read
  from VADER's compound and the text's shape only (a link, ``?``, ``!``, length, capitals;
  no word weights). ``calibration={}`` gives VADER's compound; an optional rule
  (``names=True``, off by default) mutes sentiment words inside Capitalised names and
  headlines (*Best Buy*, *The Walking Dead*).
- **French** (:class:`FrenchScorer`): VADER's rules rewritten for French on the
  vadersentiment-fr lexicon (MIT) with hand-written corrections: negation around the verb
  (``ne … pas/plus/jamais/rien/aucun``, ``j'aime pas``), idioms (``pas terrible``, ``aucun
  problème``), contrast (``mais``, ``pourtant``), elisions, emojis, emoticons, hashtags,
  elongations, intensifiers, caps and ``!!!``; then a calibration fitted on the train split of
  DEFT 2017 (see ``bench/train_french.py``) so that the thresholds mean the same thing as in
  English.
  :class:`FrenchRules` is the rule stage alone.

Routing
-------
The export's language is used when present (``lang=`` a sequence), else it is detected
(:func:`detect_language`: function words, lexicon cues, then py3langid for short texts).
Languages without a scorer are unscored. A text whose language cannot be told (``"ok"``,
emojis only) is read by the scorer of the batch's most frequent language.

Overrides
---------
A client's lexicon overrides (``Killer: 0``, ``"Zéro défaut": 0``) are read by
:func:`load_overrides` from CSV or YAML and passed as ``overrides=``; their content hash is
part of the cache key.

Cache and speed
---------------
Each distinct text is scored once per call. With ``cache=ScoreCache(folder)`` (or a path),
scores and detected languages persist as Parquet files keyed by the text's hash, the scorer's
name and version, its lexicon hash and the overrides' hash: a changed lexicon, calibration or
override file never reuses stale scores. The cache also keeps whole results keyed by the
content hash of the batch (texts and languages) and the same scorer keys, so scoring an
unchanged export again is one file read (``ScoreCache(path, memo=False)`` turns that off).
More than :data:`PARALLEL_MIN_TEXTS` texts to score are spread over every core
(``workers=``); with ``fork`` (Linux) the workers inherit the texts instead of receiving them.

Plugging in another scorer
--------------------------
Any object with ``name``, ``version``, ``languages`` and ``score(texts) -> numpy array of
compounds in [-1, 1]`` is a :class:`Scorer`; pass it by language. Subclass
:class:`BaseScorer` to get a ``lexicon_hash`` (put your model's fingerprint there, so the
cache is invalidated when the weights change). For example, with a locally installed
Hugging Face model (nothing is downloaded: ``local_files_only=True``)::

    import numpy as np
    from transformers import pipeline
    from kpi_notebook_lib.sentiment import BaseScorer, score_texts

    class CamembertScorer(BaseScorer):
        name = "camembert-sentiment"
        version = "1"
        languages = ("fr",)

        def __init__(self, path):
            self.pipe = pipeline("text-classification", model=path, top_k=None,
                                 model_kwargs={"local_files_only": True})
            self.lexicon_hash = path  # or a hash of the weights file

        def score(self, texts):
            out = []
            for scores in self.pipe(list(texts), batch_size=64, truncation=True):
                p = {s["label"].lower(): s["score"] for s in scores}
                out.append(p.get("positive", 0.0) - p.get("negative", 0.0))
            return np.asarray(out, dtype="float64")

    score_texts(texts, scorers={"fr": CamembertScorer("/models/camembert-sentiment")})

Calibrate such a model's output to the shared thresholds (``P(pos) - P(neg)`` above is one
reasonable choice). Plugged-in scorers are sent to worker processes for large batches, so
they must be picklable, or pass ``workers=1``.

References
----------
Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for Sentiment
Analysis of Social Media Text. ICWSM-14.
"""

from ._base import (
    LABELS,
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    BaseScorer,
    Overrides,
    Scorer,
    label_from_compound,
)
from ._cache import ScoreCache
from ._calibrated import FrenchScorer
from ._english import EnglishScorer
from ._french import FrenchRules
from ._overrides import load_overrides
from ._routing import detect_language
from ._score import PARALLEL_MIN_TEXTS, default_scorers, score_texts, scoring_key

__all__ = [
    "LABELS",
    "NEGATIVE_THRESHOLD",
    "PARALLEL_MIN_TEXTS",
    "POSITIVE_THRESHOLD",
    "BaseScorer",
    "EnglishScorer",
    "FrenchRules",
    "FrenchScorer",
    "Overrides",
    "ScoreCache",
    "Scorer",
    "default_scorers",
    "detect_language",
    "label_from_compound",
    "load_overrides",
    "score_texts",
    "scoring_key",
]
