"""What the tone scripts share: where the labelled tweets are, labels, scores, folds, output.

Used by ``tone_accuracy.py``, ``train_english.py`` and ``train_french.py`` (run from the
repository root; each script puts ``bench/`` on ``sys.path`` by being run from it).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

#: Where the corpora are looked for when ``--data`` is not given: ``../shared/data`` beside
#: the clone, then ``data/`` inside it.
_ROOT = Path(__file__).resolve().parent.parent


def find_corpus(arg: str | None, corpus: str, marker: str) -> Path:
    """The folder of ``corpus`` (it holds ``marker``), or exit with a message.

    Parameters
    ----------
    arg : str or None
        ``--data``: the corpus folder itself, or a folder holding ``corpus/`` or
        ``sentiment/corpus/``. By default ``../shared/data`` beside the clone, then ``data/``.
    corpus : str
        ``"en_vader_tweets"`` or ``"fr_deft2017"``.
    marker : str
        A file the corpus folder holds (``tweets_GroundTruth.txt``, ``train_text.txt``).
    """
    bases = [Path(arg).expanduser()] if arg else [_ROOT.parent / "shared" / "data", _ROOT / "data"]
    for base in bases:
        for d in (base / "sentiment" / corpus, base / corpus, base):
            if (d / marker).is_file():
                return d
    sys.exit(
        f"{corpus} was not found (looked in {', '.join(str(b) for b in bases)}). "
        f"Pass --data DIR, the folder holding sentiment/{corpus}/."
    )


def labels(compound: np.ndarray) -> np.ndarray:
    """0 negative, 1 neutral, 2 positive with VADER's thresholds (>= 0.05, <= -0.05)."""
    return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))


def per_class_f1(y: np.ndarray, p: np.ndarray) -> list[float]:
    """F1 of negative, neutral and positive (their mean is :func:`macro_f1`)."""
    out = []
    for k in range(3):
        tp = np.sum((y == k) & (p == k))
        denom = np.sum(p == k) + np.sum(y == k)
        out.append(float(2 * tp / denom) if denom else 0.0)
    return out


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    """Unweighted mean of the three per-class F1 scores (a class never predicted scores 0)."""
    return float(np.mean(per_class_f1(y, p)))


def bootstrap(statistic, size: int, seed: int, n: int = 2000, level: float = 0.95) -> list:
    """Percentile bootstrap interval of ``statistic(idx)`` over ``n`` seeded resamples of
    ``size`` texts drawn with replacement (the same draws for the same seed)."""
    rng = np.random.default_rng(seed)
    values = [statistic(rng.integers(0, size, size)) for _ in range(n)]
    return [float(v) for v in np.percentile(values, [(1 - level) * 50, (1 + level) * 50])]


def bootstrap_interval(
    y: np.ndarray, p: np.ndarray, seed: int, n: int = 2000, level: float = 0.95
) -> dict[str, list[float]]:
    """Percentile bootstrap intervals of accuracy and macro-F1 (texts resampled with
    replacement, ``n`` times, seeded): how much the figure could move on another sample of
    the same size from the same source. It says nothing of a shift of source (other topics,
    other platforms).
    """
    return {
        "accuracy": bootstrap(lambda i: np.mean(y[i] == p[i]), len(y), seed, n, level),
        "macro_f1": bootstrap(lambda i: macro_f1(y[i], p[i]), len(y), seed, n, level),
    }


def stratified_folds(y: np.ndarray, seed: int, k: int = 5) -> list[np.ndarray]:
    """Seeded stratified folds: the test indices of each of the ``k`` folds."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % k
    return [np.flatnonzero(fold == i) for i in range(k)]


def compact_json(obj: object) -> str:
    """Indented JSON with every list of numbers on one line (readable in a diff)."""
    text = json.dumps(obj, ensure_ascii=False, indent=1)

    def one_line(m: re.Match) -> str:
        return "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]"

    return re.sub(r"\[\s*(-?[0-9][-+0-9.eE,\s]*?)\s*\]", one_line, text)


def write_or_check(out: Path, text: str, check: bool) -> int:
    """Write ``text`` to ``out`` atomically, or with ``check`` compare it: the exit status."""
    if check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        print("stored calibration is up to date" if same else "stored calibration DIFFERS")
        return 0 if same else 1
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}")
    return 0
