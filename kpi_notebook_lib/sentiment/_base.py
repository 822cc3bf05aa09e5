"""The scorer interface, the compound-to-label rule and the overrides every scorer accepts."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

__all__ = [
    "LABELS",
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "BaseScorer",
    "Overrides",
    "Scorer",
    "label_from_compound",
    "normalize",
    "scorer_cache_key",
]

#: A compound at or above this is positive (VADER's standard threshold).
POSITIVE_THRESHOLD: float = 0.05
#: A compound at or below this is negative (VADER's standard threshold).
NEGATIVE_THRESHOLD: float = -0.05
#: Every label :func:`score_texts` can give, in display order.
LABELS: tuple[str, ...] = ("positive", "neutral", "negative", "unscored")

#: VADER's normalisation constant: compound = s / sqrt(s**2 + ALPHA).
ALPHA = 15.0


def normalize(score: float, alpha: float = ALPHA) -> float:
    """Map an unbounded valence sum to ``(-1, 1)`` the way VADER does."""
    return score / math.sqrt(score * score + alpha)


def label_from_compound(compound: object) -> object:
    """Turn compound scores into labels with VADER's standard thresholds.

    ``compound >= 0.05`` is positive, ``compound <= -0.05`` negative, anything in between
    neutral, and a missing compound ``"unscored"``. The thresholds are the same for every
    language: the French scorer is calibrated so that they mean the same thing.

    Parameters
    ----------
    compound : float, array-like or pandas.Series
        Compound score(s) in ``[-1, 1]``; NA or NaN for texts that were not scored.

    Returns
    -------
    str, numpy.ndarray or pandas.Series
        One label per score, in the input's shape (a Series keeps its index).
    """
    if np.isscalar(compound) or compound is None or compound is pd.NA:
        if (
            compound is None
            or compound is pd.NA
            or (isinstance(compound, float) and math.isnan(compound))
        ):
            return "unscored"
        c = float(compound)  # type: ignore[arg-type]
        if c >= POSITIVE_THRESHOLD:
            return "positive"
        if c <= NEGATIVE_THRESHOLD:
            return "negative"
        return "neutral"
    index = compound.index if isinstance(compound, pd.Series) else None
    values = pd.to_numeric(pd.Series(compound), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    out = _labels_of(values)
    if index is not None:
        return pd.Series(out, index=index, dtype=pd.StringDtype(), name="label")
    return out


def _labels_of(values: np.ndarray) -> np.ndarray:
    codes = np.full(values.shape, 3, dtype=np.int8)
    codes[values >= POSITIVE_THRESHOLD] = 0
    codes[(values > NEGATIVE_THRESHOLD) & (values < POSITIVE_THRESHOLD)] = 1
    codes[values <= NEGATIVE_THRESHOLD] = 2
    return np.asarray(LABELS, dtype=object)[codes]


@dataclass(frozen=True)
class Overrides:
    """A client's lexicon overrides: ``term -> valence`` on VADER's ``-4..+4`` scale.

    A valence of 0 neutralises a term (a product called "Killer"); multi-word terms are matched
    as phrases and win over their words ("Zéro défaut"). Build one with
    :func:`~kpi_notebook_lib.sentiment.load_overrides` or from a mapping.

    Parameters
    ----------
    terms : mapping of str to float
        Terms as written by the client (case and accents are ignored when matching).
    source : str, optional
        Where the overrides came from, for messages.
    """

    terms: Mapping[str, float]
    source: str = ""
    hash: str = field(init=False)

    def __post_init__(self) -> None:
        clean = {" ".join(str(k).split()): float(v) for k, v in self.terms.items()}
        object.__setattr__(self, "terms", dict(sorted(clean.items())))
        payload = "\n".join(f"{k.casefold()}\t{v!r}" for k, v in self.terms.items())
        object.__setattr__(self, "hash", hashlib.sha256(payload.encode()).hexdigest()[:16])

    def __len__(self) -> int:
        return len(self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)


@runtime_checkable
class Scorer(Protocol):
    """What :func:`~kpi_notebook_lib.sentiment.score_texts` needs from a scorer.

    Attributes
    ----------
    name : str
        Stable identifier, part of the cache key.
    version : str
        Bump it whenever scores can change; part of the cache key.
    languages : tuple of str
        ISO 639-1 codes the scorer reads.
    """

    name: str
    version: str
    languages: tuple[str, ...]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Return one compound in ``[-1, 1]`` per text (float64 array)."""
        ...


class BaseScorer:
    """Convenience base class for scorers; subclasses set the attributes and ``score``.

    Attributes
    ----------
    lexicon_hash : str
        Fingerprint of the data the scorer reads (lexicons, weights); part of the cache key,
        so that a changed lexicon never reuses stale scores.
    overrides : Overrides or None
        Domain overrides applied by this instance.
    """

    name: str = "base"
    version: str = "0"
    languages: tuple[str, ...] = ()
    lexicon_hash: str = ""
    overrides: Overrides | None = None

    def score(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def with_overrides(self, overrides: Overrides | None) -> BaseScorer:
        """Return a scorer of the same kind that applies ``overrides``."""
        raise NotImplementedError(f"{type(self).__name__} does not support lexicon overrides")

    def __repr__(self) -> str:
        extra = f", overrides={len(self.overrides)} term(s)" if self.overrides else ""
        return f"{type(self).__name__}(name={self.name!r}, version={self.version!r}{extra})"


def scorer_cache_key(scorer: Scorer) -> dict[str, str]:
    """The fields that identify a scorer's scores in a :class:`ScoreCache`.

    Parameters
    ----------
    scorer : Scorer
        Any scorer; ``lexicon_hash`` and ``overrides`` are read when present.

    Returns
    -------
    dict
        ``scorer``, ``version``, ``lexicon_hash`` and ``override_hash``.
    """
    ov = getattr(scorer, "overrides", None)
    return {
        "scorer": str(scorer.name),
        "version": str(scorer.version),
        "lexicon_hash": str(getattr(scorer, "lexicon_hash", "") or ""),
        "override_hash": ov.hash if ov else "",
    }
