"""Train the French scorer's calibration on the DEFT 2017 **train** split only.

Usage::

    python bench/train_french.py [--data DIR] [--check]

What it does, deterministically (a seeded fold split, L-BFGS from zeros):

1. Every train tweet goes through the French rules (:class:`FrenchRules`): the rule compound
   ``c``, five rule features (log positive and negative sums, "only positive" and "only
   negative" flags, log word count) and the folded words, idioms (``pas_terrible``) and
   5-letter stems (``ecolo*``) of the tweet, negated ones apart (``~aime``), function words
   left out.
2. A multinomial logistic regression (negative | neutral | positive) is fitted with the rules'
   decision as a fixed offset, ``k * (-c - band), 0, k * (c - band)`` with ``k = 4`` and
   ``band = 0.15``: what is learned is a *correction* to the rules (word weights, L2 penalty
   ``l2``; the five rule features and the intercepts, penalty 10). A text whose words never
   occur in train keeps the rules' verdict, which keeps short customer messages ("c'est top",
   "je ne recommande pas") right; a free model (no offset, no penalty on the intercepts)
   scores about 0.68 cross-validated macro-F1 on train but calls those neutral, because
   short tweets with a mild positive word are mostly neutral news in DEFT 2017. An ordinal
   (proportional-odds) model was also tried: 0.61, neutral news tweets are not "halfway"
   between positive and negative ones. ``k``, ``band`` and the penalty on the rule features
   are design choices, checked by the hand-picked sentences of
   ``data/sentiment/fr_hand_picked.tsv``.
3. ``l2`` and ``min_df`` (the number of train tweets a word must occur in to get a weight)
   are chosen by 5-fold stratified cross-validation **on train** (macro-F1): the sparsest,
   most penalised setting within 0.005 of the best score wins (fewer, surer word weights
   travel better outside the climate tweets of DEFT 2017), **provided** the model refitted
   on the whole train split labels every sentence of ``data/sentiment/fr_hand_picked.tsv``
   as written there (the issue's rules: negation after the verb, "pas terrible", "aucun
   problème", "mais", emojis, elongations, a client override...; the tests check the same
   file). Otherwise the next setting is tried, in that order, then by decreasing CV score;
   the rejected settings and the sentences they missed are recorded in the calibration.
   These sentences are the scorer's specification, not a measure of its accuracy.
4. The weights go to ``kpi_notebook_lib/data/sentiment/fr_calibration.json``. The scorer turns
   the class probabilities into a compound ``P(pos) - P(neg)`` put into the band of the most
   probable class, so VADER's ``+-0.05`` thresholds give exactly the model's decision.

5. Richer models were cross-validated on train with the same folds (a prototype: features
   hashed into 2**18 buckets, each block L2-normalised, the same rule offset, the penalty
   on a grid): negation-marked words, idioms and stems alone 0.672-0.676 (whatever the
   offset's ``k`` in 2, 4, 8 and ``band`` in 0.05, 0.15); plus word bigrams 0.676; plain
   word unigrams 0.670; character 2- to 5-grams of the folded text 0.668; unigrams +
   character n-grams 0.680; unigrams + bigrams + character n-grams 0.680; words, idioms and
   stems + character n-grams 0.686 (the best; fold scores 0.679 0.661 0.706 0.703 0.682,
   standard error 0.008). The stored model's 0.679 (fold scores 0.665 0.645 0.719 0.701
   0.665) is within one standard error of that best, and the paired difference, +0.007 +-
   0.006, is not significant: by the one-standard-error rule the simpler, faster model
   stays (character n-grams add a pass over every character and a larger weight file).
   Richer features do not move cross-validated macro-F1 on 1,839 tweets; the ceiling seems
   to be the data, and DEFT 2017's tweets are about climate and the environment, so word
   weights learned on them carry a topic bias (a word frequent in negative climate news
   leans negative everywhere): the rules' offset and the penalties keep it small.

6. **Word vectors** (tried in November 2026, not kept). Each tweet's mean word direction
   (the normalised sum of its content words' vectors: spaCy's ``fr_core_news_md`` fastText
   vectors, CC0, 100,000 folded words, 128 dimensions by uncentred PCA, a 4.9 MB table)
   was added as 128 more features with their own penalty. It is the one addition that
   moved cross-validation on train: 0.676 -> 0.695-0.700 (300 dimensions 0.696, 64 0.689;
   negated words' vectors subtracted 0.683; smooth-inverse-frequency weights 0.694;
   text-shape features 0.694). On **val** (read once for this configuration) it scored
   0.636-0.639 against 0.604. But every such model broke the hand-picked customer
   sentences: "jamais déçu" and "trooop bien" became neutral or negative, "Livraison reçue
   👍" neutral, because the vectors carry DEFT's world (short tweets are neutral news,
   "trop" is "trop de CO2"). Leaving negated words out of the vectors and shrinking the
   direction of short texts (length ``n / (n + 4)`` for ``n`` words) fixed most of them;
   under the hand-picked constraint of step 3 the selected model (min_df 1, l2 2, vector
   penalty 1) cross-validated at 0.692 (0.680 without the vectors at the same penalties)
   and scored **0.611 on val**, within noise of the stored model's 0.604. A 4.9 MB table
   and a build step for a gain that does not survive the specification: not kept. Val was
   read three times in all for these experiments (0.639, 0.636, 0.611); nothing was chosen
   on it.

7. **Also tried, on train only** (5-fold CV, the stored setting and folds; val not read):
   a second lexicon, textblob-fr's ``fr-sentiment.xml`` (PDDL, 3,463 folded adjectives with
   a polarity of at least 0.1, negated ones flipped) as two more rule features: 0.683 ->
   0.688 at ``l2 = 3``, 0.679 -> 0.682 at ``l2 = 5``, noise; and class biases tuned for
   macro-F1 on the out-of-fold logits: 0.684 when tuned and scored on the same folds, 0.676
   in nested cross-validation against 0.680 without (the train split is balanced, 613
   tweets a class, so there is no prior to correct). Neither kept.

The validation split is never read here: ``bench/tone_accuracy.py`` reports it. The test
split is not used at all. ``--check`` refits and fails if the stored file differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from _tone_common import (
    compact_json,
    find_corpus,
    labels,
    macro_f1,
    stratified_folds,
    write_or_check,
)
from scipy import optimize, sparse
from scipy.special import logsumexp

from kpi_notebook_lib.sentiment._base import Overrides, label_from_compound, normalize
from kpi_notebook_lib.sentiment._calibrated import FrenchScorer, calibration_inputs
from kpi_notebook_lib.sentiment._french import FrenchRules
from kpi_notebook_lib.sentiment._lexicon import DATA_DIR

CALIBRATION_VERSION = "2"
SEED = 20170101
PRIOR_K = 4.0
PRIOR_BAND = 0.15
DENSE_L2 = 10.0
GRID_L2 = (1.0, 2.0, 3.0, 5.0)
GRID_MIN_DF = (1, 2, 3)
TOLERANCE = 0.005
STEM_PREFIX = 5
STEM_MIN_LEN = 6


def read_split(folder: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and labels (0 negative, 1 neutral, 2 positive) of one split."""
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.loadtxt(folder / f"{split}_labels.txt", dtype=int)
    if len(texts) != len(labels):
        sys.exit(f"{split}: {len(texts)} texts but {len(labels)} labels")
    return texts, labels


class Inputs:
    """Rule compound, rule features and word features of a list of texts."""

    def __init__(self, texts: list[str]) -> None:
        rules = FrenchRules()
        rc, dense, feats = [], [], []
        for t in texts:
            total, d, f, _ = calibration_inputs(rules, t, STEM_PREFIX, STEM_MIN_LEN)
            rc.append(normalize(total))
            dense.append(d)
            feats.append(sorted(f))
        self.rc = np.asarray(rc)
        self.dense = np.asarray(dense)
        self.feats = feats

    def take(self, idx: np.ndarray) -> Inputs:
        out = object.__new__(Inputs)
        out.rc, out.dense = self.rc[idx], self.dense[idx]
        out.feats = [self.feats[i] for i in idx]
        return out

    def offset(self) -> np.ndarray:
        c = self.rc
        neg, pos = PRIOR_K * (-c - PRIOR_BAND), PRIOR_K * (c - PRIOR_BAND)
        return np.stack([neg, np.zeros_like(c), pos], 1)

    def design(self, vocab: list[str]) -> sparse.csr_matrix:
        """Word indicators, then the rule features, then a constant."""
        index = {w: j for j, w in enumerate(vocab)}
        rows, cols = [], []
        for i, f in enumerate(self.feats):
            for w in f:
                j = index.get(w)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        words = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(self.feats), len(vocab))
        )
        const = np.ones((len(self.feats), 1))
        return sparse.hstack([words, sparse.csr_matrix(self.dense), const]).tocsr()


def vocabulary(feats: list[list[str]], min_df: int) -> list[str]:
    df: dict[str, int] = {}
    for f in feats:
        for w in f:
            df[w] = df.get(w, 0) + 1
    return sorted(w for w, n in df.items() if n >= min_df)


def fit(inputs: Inputs, y: np.ndarray, vocab: list[str], l2: float) -> np.ndarray:
    """Penalised multinomial logistic regression with the rules as offset: ``(p, 3)`` weights."""
    x = inputs.design(vocab)
    off = inputs.offset()
    p = x.shape[1]
    onehot = np.eye(3)[y]
    reg = np.full(p, l2)
    reg[len(vocab) :] = DENSE_L2

    def loss(w):
        wm = w.reshape(p, 3)
        z = off + x @ wm
        lse = logsumexp(z, axis=1)
        f = lse.sum() - (z * onehot).sum() + 0.5 * (reg[:, None] * wm * wm).sum()
        prob = np.exp(z - lse[:, None])
        return f, np.asarray(x.T @ (prob - onehot) + reg[:, None] * wm).ravel()

    res = optimize.minimize(
        loss, np.zeros(p * 3), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-7}
    )
    return res.x.reshape(p, 3)


def predict(inputs: Inputs, vocab: list[str], wm: np.ndarray) -> np.ndarray:
    return np.argmax(inputs.offset() + inputs.design(vocab) @ wm, axis=1)


def cross_validate(inputs: Inputs, y: np.ndarray, l2: float, min_df: int) -> float:
    scores = []
    for test in stratified_folds(y, SEED):
        train = np.setdiff1d(np.arange(len(y)), test)
        tr, te = inputs.take(train), inputs.take(test)
        vocab = vocabulary(tr.feats, min_df)
        wm = fit(tr, y[train], vocab, l2)
        scores.append(macro_f1(y[test], predict(te, vocab, wm)))
    return float(np.mean(scores))


def train(folder: Path, verbose: bool = True) -> dict:
    """Select, fit and return the calibration (a JSON-ready dict)."""
    texts, y = read_split(folder, "train")
    inputs = Inputs(texts)
    rules_f1 = macro_f1(y, labels(inputs.rc))
    if verbose:
        print(f"  rules alone on train: macro-F1={rules_f1:.4f}")
    results = []
    for min_df in GRID_MIN_DF:
        for l2 in GRID_L2:
            f1 = cross_validate(inputs, y, l2, min_df)
            if verbose:
                print(f"  CV on train: min_df={min_df} l2={l2:<4} macro-F1={f1:.4f}", flush=True)
            results.append((f1, min_df, l2))
    top = max(r[0] for r in results)
    near = sorted((r for r in results if r[0] >= top - TOLERANCE), key=lambda r: r[1:])[::-1]
    rest = sorted((r for r in results if r[0] < top - TOLERANCE), reverse=True)
    hand_picked = read_hand_picked()
    rejected = []
    for cv_f1, min_df, l2 in near + rest:
        vocab = vocabulary(inputs.feats, min_df)
        wm = fit(inputs, y, vocab, l2)
        cal = calibration(inputs, y, vocab, wm, (cv_f1, min_df, l2), rules_f1)
        failed = hand_picked_failures(cal, hand_picked)
        if not failed:
            break
        rejected.append(
            {
                "min_df": min_df,
                "l2": l2,
                "cv_macro_f1": round(cv_f1, 4),
                "failed": failed,
            }
        )
        if verbose:
            print(f"  rejected min_df={min_df} l2={l2}: {failed}")
    else:
        sys.exit(f"no setting keeps the {len(hand_picked)} hand-picked sentences right")
    cal["selection"]["hand_picked"] = {
        "file": "fr_hand_picked.tsv",
        "n": len(hand_picked),
        "rejected_settings": rejected,
    }
    return cal


def read_hand_picked() -> list[tuple[str, str, Overrides | None]]:
    """The sentences of ``data/sentiment/fr_hand_picked.tsv``: text, label, overrides."""
    lines = (DATA_DIR / "fr_hand_picked.tsv").read_text(encoding="utf-8").splitlines()
    out = []
    for ln in lines:
        if not ln or ln.startswith("# "):
            continue
        text, want, *more = ln.split("\t")
        terms = dict(kv.split("=") for kv in more[1].split(";")) if len(more) > 1 else None
        out.append(
            (text, want, Overrides({k: float(v) for k, v in terms.items()}) if terms else None)
        )
    return out


def hand_picked_failures(
    cal: dict, hand_picked: list[tuple[str, str, Overrides | None]]
) -> list[str]:
    """The hand-picked sentences the scorer with calibration ``cal`` gets wrong."""
    failed = []
    for text, want, overrides in hand_picked:
        scorer = FrenchScorer(overrides, calibration=cal)
        if label_from_compound(float(scorer.score([text])[0])) != want:
            failed.append(text)
    return failed


def calibration(
    inputs: Inputs,
    y: np.ndarray,
    vocab: list[str],
    wm: np.ndarray,
    chosen: tuple[float, int, float],
    rules_f1: float,
) -> dict:
    """The JSON-ready calibration of fitted weights ``wm``."""
    cv_f1, min_df, l2 = chosen
    train_f1 = macro_f1(y, predict(inputs, vocab, wm))
    nv, nd = len(vocab), inputs.dense.shape[1]
    words = {
        w: [round(float(v), 4) for v in row]
        for w, row in zip(vocab, wm[:nv], strict=True)
        if np.abs(row).max() >= 1e-4
    }
    return {
        "version": CALIBRATION_VERSION,
        "about": "Multinomial logistic correction of the French rules, trained on the DEFT "
        "2017 train split only by bench/train_french.py; see its docstring.",
        "trained_on": {
            "corpus": "DEFT 2017 (French tweets)",
            "split": "train",
            "n": len(y),
            "labels": "0 negative, 1 neutral, 2 positive",
        },
        "selection": {
            "cv_folds": 5,
            "cv_macro_f1": round(cv_f1, 4),
            "l2": l2,
            "min_df": min_df,
            "train_macro_f1": round(train_f1, 4),
            "rules_alone_train_macro_f1": round(rules_f1, 4),
        },
        "classes": ["negative", "neutral", "positive"],
        "prior": {"k": PRIOR_K, "band": PRIOR_BAND},
        "stems": {"prefix": STEM_PREFIX, "min_len": STEM_MIN_LEN},
        "dense_names": ["log1p_pos", "log1p_neg", "only_pos", "only_neg", "log1p_words"],
        "dense": [[round(float(v), 5) for v in row] for row in wm[nv : nv + nd]],
        "bias": [round(float(v), 5) for v in wm[nv + nd]],
        "words": dict(sorted(words.items())),
    }


def dump(cal: dict) -> str:
    """JSON with one word weight per line (small, and readable in a diff)."""
    head = {k: v for k, v in cal.items() if k != "words"}
    body = compact_json(head)[:-2]
    words = ",\n".join(
        f"  {json.dumps(w, ensure_ascii=False)}: {json.dumps(v)}" for w, v in cal["words"].items()
    )
    return f'{body},\n "words": {{\n{words}\n }}\n}}\n'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="folder holding sentiment/fr_deft2017 (default ../shared/data)")
    ap.add_argument("--check", action="store_true", help="fail if the stored weights differ")
    ap.add_argument("--out", default=str(DATA_DIR / "fr_calibration.json"))
    args = ap.parse_args(argv)
    folder = find_corpus(args.data, "fr_deft2017", "train_text.txt")
    print(f"Training the French calibration on {folder}/train_* (val and test are not read)")
    cal = train(folder)
    sel = cal["selection"]
    print(
        f"Chosen: min_df={sel['min_df']} l2={sel['l2']} (CV macro-F1 on train "
        f"{sel['cv_macro_f1']}), {len(cal['words'])} word weights"
    )
    return write_or_check(Path(args.out), dump(cal), args.check)


if __name__ == "__main__":
    raise SystemExit(main())
