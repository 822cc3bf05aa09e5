"""Train the English scorer's calibration on the **dev** half of VADER's tweet benchmark only.

Usage::

    python bench/train_english.py [--data DIR] [--check]

Why: VADER's compound ranks tweets well (Pearson r 0.87 against the mean human rating of
Hutto & Gilbert's 4,200 tweets) but its standard thresholds (``>= 0.05`` positive,
``<= -0.05`` negative) call many texts with one mild sentiment word positive or negative
when people rated them neutral, and its compound is not on the scale of the ratings. A
small calibration corrects both without reading any word: it sees VADER's compound and the
*shape* of the text only. Word weights were left out on purpose: learned on these tweets
(film reviews, news headlines, personal updates), they would carry the benchmark's topics
into brand mentions, where a word frequent in, say, negative news would lean every mention
negative.

What it does, deterministically (a seeded fold split, L-BFGS from zeros, closed-form ridge):

1. The tweets are split by id with ``english_dev_mask`` of ``bench/tone_accuracy.py`` (seed
   20140601). Only the dev half is kept; the held-out half is dropped as soon as the file
   is read, and nothing is computed or printed on it (``bench/tone_accuracy.py`` reports
   it). Gold classes come from the mean rating: ``> 0.5`` positive, ``< -0.5`` negative,
   else neutral.
2. Each dev tweet gets VADER's compound as the default scorer computes it (emojis of the
   shared table, no name rule: ``EnglishScorer(calibration={})``) and the features of
   :func:`~kpi_notebook_lib.sentiment._english.english_features`: ``c``, ``|c|``, ``c**2``,
   a link flag, ``log1p`` of the number of tokens, question and exclamation flags, the
   share of Capitalised words, and ``c`` times the link flag, the question flag and the
   Capitalised share. Features are standardised with the dev mean and standard deviation
   (stored).
3. **Class model**: a multinomial logistic regression (negative | neutral | positive) on the
   first eight features (no products), L2 penalty ``l2`` on the weights (not on the
   intercepts), no class weights, fitted with scipy's L-BFGS. **Rating model**: a ridge
   regression (penalty ``alpha``, intercept not penalised) of the mean human rating on all
   eleven features.
4. ``l2`` and ``alpha`` are chosen by 5-fold stratified cross-validation on dev (seeded
   folds, standardisation refitted on each fold's training part): ``l2`` by mean fold
   macro-F1 of the class model, ``alpha`` by mean fold Pearson r of the rating model's
   compound ``clip(rating / 4, -1, 1)``; the best score wins, a tie goes to the larger
   penalty. With the chosen penalties, the whole scorer (the rating model's compound put
   into the band of the class model's decision, as ``EnglishScorer`` does) is also
   cross-validated and printed next to VADER alone on dev. Both models are then refitted on
   all of dev.
5. Everything goes to ``kpi_notebook_lib/data/sentiment/en_calibration.json`` (coefficients
   on the standardised features, rounded to 6 significant digits). The scorer folds the
   standardisation into the weights and scores in pure Python.

``--check`` refits and fails if the stored file differs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

# bench/ is on sys.path when this file is run as a script: the split is tone_accuracy's own.
from _tone_common import (
    compact_json,
    find_corpus,
    macro_f1,
    stratified_folds,
    write_or_check,
)
from _tone_common import labels as labels_of
from scipy import optimize
from scipy.special import logsumexp
from tone_accuracy import EN_SPLIT_SEED, english_dev_mask

from kpi_notebook_lib.sentiment import EnglishScorer
from kpi_notebook_lib.sentiment._english import (
    ENGLISH_FEATURES,
    N_CLASS_FEATURES,
    _CalibrationModel,
    english_features,
)
from kpi_notebook_lib.sentiment._lexicon import DATA_DIR

CALIBRATION_VERSION = "1"
FOLD_SEED = 20140601
GRID_L2 = (0.01, 0.1, 1.0, 10.0, 100.0)
GRID_ALPHA = (0.1, 1.0, 10.0, 100.0, 1000.0)
RATING_SCALE = 4.0
CLASSES = ("negative", "neutral", "positive")


def read_dev(folder: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, mean ratings and gold classes (0 negative, 1 neutral, 2 positive) of the dev half.

    The held-out half is dropped here, before anything is computed.
    """
    lines = (folder / "tweets_GroundTruth.txt").read_text(encoding="utf-8").splitlines()
    parts = [ln.split("\t", 2) for ln in lines if ln.strip()]
    ids = np.array([int(p[0]) for p in parts])
    dev = english_dev_mask(ids)
    keep = [p for p, d in zip(parts, dev, strict=True) if d]
    texts = [p[2] for p in keep]
    rating = np.array([float(p[1]) for p in keep])
    y = np.where(rating > 0.5, 2, np.where(rating < -0.5, 0, 1))
    return texts, rating, y


def feature_matrix(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """VADER compounds (as the default scorer prepares the texts) and the feature matrix."""
    scorer = EnglishScorer(calibration={})
    c = scorer.score(texts)
    x = np.array([english_features(t, v) for t, v in zip(texts, c, strict=True)])
    return c, x


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(0)
    std = x.std(0)
    return mean, np.where(std > 0, std, 1.0)


def fit_class(z: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on standardised ``z``: ``(3, k)`` weights, 3 intercepts."""
    n, k = z.shape
    xb = np.hstack([z, np.ones((n, 1))])
    onehot = np.eye(3)[y]
    reg = np.full(k + 1, l2)
    reg[-1] = 0.0

    def loss(w):
        wm = w.reshape(k + 1, 3)
        s = xb @ wm
        lse = logsumexp(s, axis=1)
        f = lse.sum() - (s * onehot).sum() + 0.5 * (reg[:, None] * wm * wm).sum()
        prob = np.exp(s - lse[:, None])
        return f, (xb.T @ (prob - onehot) + reg[:, None] * wm).ravel()

    res = optimize.minimize(
        loss,
        np.zeros((k + 1) * 3),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 5000, "gtol": 1e-8},
    )
    wm = res.x.reshape(k + 1, 3)
    return wm[:-1].T.copy(), wm[-1].copy()


def fit_rating(z: np.ndarray, rating: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Ridge regression of the rating on standardised ``z`` (intercept not penalised)."""
    zc = z - z.mean(0)
    mean_r = float(rating.mean())
    w = np.linalg.solve(zc.T @ zc + alpha * np.eye(z.shape[1]), zc.T @ (rating - mean_r))
    return w, mean_r - float(z.mean(0) @ w)


def predict_class(z: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.argmax(z @ coef.T + intercept, axis=1)


def rating_compound(z: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    return np.clip((z @ coef + intercept) / RATING_SCALE, -1.0, 1.0)


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def _sig(v: float) -> float:
    return float(f"{float(v):.6g}")


def calibration_dict(
    x: np.ndarray, y: np.ndarray, rating: np.ndarray, l2: float, alpha: float
) -> dict:
    """Fit both models on ``x`` and return their part of the calibration file."""
    mean, std = standardiser(x)
    z = (x - mean) / std
    k = N_CLASS_FEATURES
    coef, intercept = fit_class(z[:, :k], y, l2)
    rcoef, rintercept = fit_rating(z, rating, alpha)
    return {
        "features": list(ENGLISH_FEATURES),
        "standardise": {
            "mean": [_sig(v) for v in mean],
            "std": [_sig(v) for v in std],
        },
        "class_model": {
            "classes": list(CLASSES),
            "features": list(ENGLISH_FEATURES[:k]),
            "l2": l2,
            "coef": [[_sig(v) for v in row] for row in coef],
            "intercept": [_sig(v) for v in intercept],
        },
        "rating_model": {
            "target": "mean human rating (-4..+4); compound = clip(rating / scale, -1, 1)",
            "features": list(ENGLISH_FEATURES),
            "alpha": alpha,
            "coef": [_sig(v) for v in rcoef],
            "intercept": _sig(rintercept),
            "scale": RATING_SCALE,
        },
    }


def scorer_compounds(cal: dict, x: np.ndarray) -> np.ndarray:
    """The calibrated compounds, computed by the scorer's own code."""
    model = _CalibrationModel(cal)
    return np.array([model.compound(tuple(row), row[0]) for row in x.tolist()])


def cross_validate(x: np.ndarray, y: np.ndarray, rating: np.ndarray, verbose: bool = True) -> dict:
    """Choose ``l2`` and ``alpha`` by 5-fold CV on dev; CV figures of the whole scorer."""
    k = N_CLASS_FEATURES
    splits = [(np.setdiff1d(np.arange(len(y)), te), te) for te in stratified_folds(y, FOLD_SEED)]

    def fold_z(tr: np.ndarray, te: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean, std = standardiser(x[tr])
        return (x[tr] - mean) / std, (x[te] - mean) / std

    f1_by_l2 = {}
    for l2 in GRID_L2:
        scores = []
        for tr, te in splits:
            ztr, zte = fold_z(tr, te)
            coef, b = fit_class(ztr[:, :k], y[tr], l2)
            scores.append(macro_f1(y[te], predict_class(zte[:, :k], coef, b)))
        f1_by_l2[l2] = float(np.mean(scores))
        if verbose:
            print(f"  CV on dev, class model:  l2={l2:<6} macro-F1={f1_by_l2[l2]:.4f}")
    r_by_alpha = {}
    for alpha in GRID_ALPHA:
        scores = []
        for tr, te in splits:
            ztr, zte = fold_z(tr, te)
            w, b = fit_rating(ztr, rating[tr], alpha)
            scores.append(pearson(rating_compound(zte, w, b), rating[te]))
        r_by_alpha[alpha] = float(np.mean(scores))
        if verbose:
            print(f"  CV on dev, rating model: alpha={alpha:<6} r={r_by_alpha[alpha]:.4f}")
    l2 = max(GRID_L2, key=lambda v: (f1_by_l2[v], v))
    alpha = max(GRID_ALPHA, key=lambda v: (r_by_alpha[v], v))
    full_f1, full_r, full_acc = [], [], []
    for tr, te in splits:
        cal = calibration_dict(x[tr], y[tr], rating[tr], l2, alpha)
        out = scorer_compounds(cal, x[te])
        full_f1.append(macro_f1(y[te], labels_of(out)))
        full_r.append(pearson(out, rating[te]))
        full_acc.append(float(np.mean(labels_of(out) == y[te])))
    return {
        "cv_folds": 5,
        "fold_seed": FOLD_SEED,
        "l2": l2,
        "alpha": alpha,
        "cv_class_macro_f1_by_l2": {str(v): round(f, 4) for v, f in f1_by_l2.items()},
        "cv_rating_r_by_alpha": {str(v): round(r, 4) for v, r in r_by_alpha.items()},
        "cv_scorer_macro_f1": round(float(np.mean(full_f1)), 4),
        "cv_scorer_accuracy": round(float(np.mean(full_acc)), 4),
        "cv_scorer_pearson_r": round(float(np.mean(full_r)), 4),
        "cv_scorer_macro_f1_folds": [round(f, 4) for f in full_f1],
    }


def train(folder: Path, verbose: bool = True) -> dict:
    """Select, fit and return the calibration (a JSON-ready dict)."""
    texts, rating, y = read_dev(folder)
    c, x = feature_matrix(texts)
    vader_f1 = macro_f1(y, labels_of(c))
    vader_r = pearson(c, rating)
    if verbose:
        counts = ", ".join(f"{n} {CLASSES[k]}" for k, n in enumerate(np.bincount(y, minlength=3)))
        print(f"  dev half: {len(y)} tweets ({counts})")
        print(f"  VADER alone on dev: r={vader_r:.4f} macro-F1={vader_f1:.4f}")
    selection = cross_validate(x, y, rating, verbose)
    cal = calibration_dict(x, y, rating, selection["l2"], selection["alpha"])
    selection["vader_alone_dev_macro_f1"] = round(vader_f1, 4)
    selection["vader_alone_dev_pearson_r"] = round(vader_r, 4)
    return {
        "version": CALIBRATION_VERSION,
        "about": "Calibration of VADER's English compound from the compound and the text's "
        "shape only (no word weights), fitted on the dev half of VADER's tweet benchmark by "
        "bench/train_english.py; see its docstring. The scorer's compound is the rating "
        "model's, put into the band of the class model's decision.",
        "trained_on": {
            "corpus": "VADER tweets (Hutto & Gilbert 2014), mean human rating -4..+4; gold "
            "> 0.5 positive, < -0.5 negative, else neutral",
            "split": f"dev half (seed {EN_SPLIT_SEED}, by id)",
            "n": len(y),
            "vader_input": "EnglishScorer(calibration={}) (emoji table on, name rule off)",
        },
        "selection": selection,
        **cal,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", help="folder holding sentiment/en_vader_tweets (default ../shared/data)"
    )
    ap.add_argument("--check", action="store_true", help="fail if the stored file differs")
    ap.add_argument("--out", default=str(DATA_DIR / "en_calibration.json"))
    args = ap.parse_args(argv)
    folder = find_corpus(args.data, "en_vader_tweets", "tweets_GroundTruth.txt")
    print(f"Training the English calibration on the dev half of {folder} (held-out half not read)")
    cal = train(folder)
    sel = cal["selection"]
    print(
        f"Chosen: l2={sel['l2']} (class model), alpha={sel['alpha']} (rating model); whole "
        f"scorer, CV on dev: r={sel['cv_scorer_pearson_r']:.4f} "
        f"accuracy={sel['cv_scorer_accuracy']:.4f} macro-F1={sel['cv_scorer_macro_f1']:.4f}"
    )
    return write_or_check(Path(args.out), compact_json(cal) + "\n", args.check)


if __name__ == "__main__":
    raise SystemExit(main())
