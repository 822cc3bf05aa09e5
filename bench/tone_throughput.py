"""Throughput of the whole tone step against raw VADER, and of a run served by the cache.

Usage::

    python bench/tone_throughput.py [--n 1000000] [--unique 0.7] [--repeat 3] [--seed 7]
                                    [--workers N] [--vader-sample 20000]

It generates ``--n`` mentions (``--unique`` of them distinct texts, French and English half
and half, from templates and vocabularies below, seeded; the export gives ``lang`` for the
X/Twitter rows only, about 40 %, the others are detected), then times:

1. **raw VADER**: ``SentimentIntensityAnalyzer().polarity_scores`` on one core, over a
   random sample of ``--vader-sample`` of the same mentions (duplicates included, as a naive
   loop would see them), three times; the fastest texts/s is extrapolated to all mentions;
2. **first run**: ``score_mentions`` (routing, de-duplication, scoring on every core, cache
   write) + ``tone_summary`` by period, platform and brand, into an empty cache folder;
3. **cached run**: the same with a new :class:`ScoreCache` on that folder (read from disk),
   ``--repeat`` times; the median is reported. The same export scored again is served by the
   cache's batch memo (one file keyed by the content hash of the texts and languages and by
   the scorers' keys: see ``kpi_notebook_lib/sentiment/_batch.py``);
4. for information, the same again with ``ScoreCache(folder, memo=False)``: every text
   served by the per-text cache (hashing, de-duplication, look-ups), which is what a run on
   a changed export costs for its already-scored texts.

Targets: first run >= 2.5x raw VADER's texts/s; cached run >= 50x faster than the first.
The machine is often shared: run it several times and quote medians with the load averages
it prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from kpi_notebook_lib.sentiment import ScoreCache
from kpi_notebook_lib.tone import score_mentions, tone_summary

FR = {
    "open": [
        "",
        "Franchement,",
        "Bon,",
        "Alors",
        "Honnêtement",
        "Hier,",
        "Encore une fois",
        "Pour info,",
        "Petit retour :",
        "Au secours,",
        "Coucou @marque",
        "@marque",
        "Je dois dire que",
        "Vraiment,",
        "Sincèrement,",
        "Ce matin",
        "Ce soir",
    ],
    "subject": [
        "le service client",
        "la livraison",
        "ma commande",
        "le produit",
        "l'appli",
        "la boutique de Lyon",
        "le SAV",
        "la nouvelle gamme",
        "votre site",
        "le conseiller",
        "la qualité",
        "le colis",
        "le prix",
        "l'accueil",
        "la carte fidélité",
        "le remboursement",
        "la crème",
        "le modèle bleu",
    ],
    "verb": [
        "est",
        "était",
        "a été",
        "reste",
        "semble",
        "devient",
        "n'est pas",
        "n'était pas",
        "est vraiment",
        "est trop",
        "est super",
        "n'est jamais",
        "est toujours",
    ],
    "adj": [
        "top",
        "nul",
        "génial",
        "décevant",
        "parfait",
        "lent",
        "rapide",
        "correct",
        "pas terrible",
        "incroyable",
        "catastrophique",
        "moyen",
        "impeccable",
        "cher",
        "pas cher",
        "au top",
        "bof",
        "efficace",
        "trop long",
        "agréable",
        "horrible",
        "nickel",
        "pas mal",
        "honteux",
        "sympa",
        "compliqué",
        "pratique",
        "bien",
    ],
    "tail": [
        "",
        "!",
        "!!!",
        "...",
        "😡",
        "👍",
        "❤️",
        ":)",
        ":(",
        "mais bon",
        "je recommande",
        "je ne recommande pas",
        "merci",
        "jamais plus",
        "à éviter",
        "#déçu",
        "#génial",
        "trooop bien",
        "bravo l'équipe",
        "aucun problème",
        "une honte",
        "😂",
        "🙏",
        "on verra",
        "rien à redire",
        "je reviendrai",
        "plus jamais",
    ],
}
EN = {
    "open": [
        "",
        "Honestly,",
        "Well,",
        "So",
        "Yesterday",
        "Once again",
        "FYI",
        "Quick review:",
        "Help,",
        "Hey @brand",
        "@brand",
        "I must say",
        "Really,",
        "This morning",
        "Tonight",
        "Not gonna lie,",
        "Update:",
    ],
    "subject": [
        "customer service",
        "the delivery",
        "my order",
        "the product",
        "the app",
        "the London store",
        "support",
        "the new range",
        "your website",
        "the staff",
        "the quality",
        "the parcel",
        "the price",
        "the welcome",
        "the loyalty card",
        "the refund",
        "the cream",
        "the blue model",
    ],
    "verb": [
        "is",
        "was",
        "has been",
        "remains",
        "seems",
        "becomes",
        "is not",
        "wasn't",
        "is really",
        "is so",
        "is super",
        "is never",
        "is always",
    ],
    "adj": [
        "great",
        "awful",
        "amazing",
        "disappointing",
        "perfect",
        "slow",
        "fast",
        "ok",
        "not great",
        "incredible",
        "terrible",
        "average",
        "flawless",
        "expensive",
        "cheap",
        "top notch",
        "meh",
        "efficient",
        "too long",
        "nice",
        "horrible",
        "spotless",
        "not bad",
        "shameful",
        "friendly",
        "complicated",
        "handy",
        "good",
    ],
    "tail": [
        "",
        "!",
        "!!!",
        "...",
        "😡",
        "👍",
        "❤️",
        ":)",
        ":(",
        "but whatever",
        "highly recommend",
        "do not recommend",
        "thanks",
        "never again",
        "avoid",
        "#fail",
        "#love",
        "sooo good",
        "well done team",
        "no problem",
        "a disgrace",
        "😂",
        "🙏",
        "we'll see",
        "nothing to add",
        "will be back",
        "no way",
    ],
}


def make_texts(n_unique: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """``n_unique`` distinct texts (half French, half English) and their languages."""
    texts: list[str] = []
    langs: list[str] = []
    seen: set[str] = set()
    while len(texts) < n_unique:
        k = n_unique - len(texts)
        for lang, voc in (("fr", FR), ("en", EN)):
            picks = {part: rng.integers(0, len(words), size=k) for part, words in voc.items()}
            second = rng.integers(0, len(voc["subject"]), size=k)
            second_adj = rng.integers(0, len(voc["adj"]), size=k)
            join = rng.integers(0, 3, size=k)
            for i in range(k // 2 + 1):
                parts = [
                    voc["open"][picks["open"][i]],
                    voc["subject"][picks["subject"][i]],
                    voc["verb"][picks["verb"][i]],
                    voc["adj"][picks["adj"][i]],
                ]
                if join[i]:
                    link = (
                        ("et" if lang == "fr" else "and")
                        if join[i] == 1
                        else ("mais" if lang == "fr" else "but")
                    )
                    parts += [
                        link,
                        voc["subject"][second[i]],
                        voc["verb"][0],
                        voc["adj"][second_adj[i]],
                    ]
                parts.append(voc["tail"][picks["tail"][i]])
                t = " ".join(p for p in parts if p)
                if t not in seen:
                    seen.add(t)
                    texts.append(t)
                    langs.append(lang)
    return texts[:n_unique], langs[:n_unique]


def make_mentions(n: int, unique: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_unique = max(1, round(n * unique))
    texts, langs = make_texts(n_unique, rng)
    pick = np.concatenate([np.arange(n_unique), rng.integers(0, n_unique, size=n - n_unique)])
    rng.shuffle(pick)
    text = np.asarray(texts, dtype=object)[pick]
    lang = np.asarray(langs, dtype=object)[pick]
    platform = rng.choice(
        ["x", "instagram", "facebook", "tiktok", "linkedin"], size=n, p=[0.4, 0.25, 0.2, 0.1, 0.05]
    )
    export_lang = np.where(platform == "x", lang, None)
    day = rng.integers(0, 90, size=n)
    published = pd.Timestamp("2026-07-01", tz="UTC") + pd.to_timedelta(day, unit="D")
    return pd.DataFrame(
        {
            "client": "demo",
            "platform": pd.array(platform, dtype="string"),
            "mention_id": pd.array([f"m{i}" for i in range(n)], dtype="string"),
            "published_at": published,
            "author": pd.array(
                [f"user{u}" for u in rng.integers(0, n // 5 + 1, size=n)], dtype="string"
            ),
            "author_followers": pd.array(rng.integers(0, 50_000, size=n), dtype="Int64"),
            "text": pd.array(text, dtype="string"),
            "lang": pd.array(export_lang, dtype="string"),
            "brand": pd.array(
                rng.choice(["demo", "rival-a", "rival-b"], size=n, p=[0.5, 0.3, 0.2]),
                dtype="string",
            ),
            "period": pd.array(published.strftime("%Y-%m"), dtype="string"),
        }
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    import resource

    own = time.process_time()
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + ch.ru_utime + ch.ru_stime


def tone_step(mentions: pd.DataFrame, cache: ScoreCache, workers: int | None) -> pd.DataFrame:
    scored = score_mentions(mentions, cache=cache, workers=workers)
    return tone_summary(scored, by=("period", "platform", "brand"))


def timed_runs(mentions, summary, make_cache, args) -> list[float]:
    """Wall times of ``args.repeat`` tone steps, each with a new cache from ``make_cache``;
    every run must give ``summary`` again."""
    walls = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        again = tone_step(mentions, make_cache(), args.workers)
        walls.append(time.perf_counter() - t)
        pd.testing.assert_frame_equal(summary, again)
    return walls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="mentions (default 1,000,000)")
    ap.add_argument("--unique", type=float, default=0.7, help="share of distinct texts")
    ap.add_argument("--repeat", type=int, default=3, help="cached runs (median reported)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None, help="default: every core")
    ap.add_argument("--vader-sample", type=int, default=20_000)
    args = ap.parse_args(argv)
    if args.n < 1 or not 0 < args.unique <= 1 or args.repeat < 1:
        sys.exit("--n must be >= 1, --unique in (0, 1], --repeat >= 1")

    print(
        "Load average before (other processes may share these cores): "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    t0 = time.perf_counter()
    mentions = make_mentions(args.n, args.unique, args.seed)
    n_unique = mentions["text"].nunique()
    print(
        f"Generated {len(mentions):,} mentions, {n_unique:,} distinct texts "
        f"({n_unique / len(mentions):.0%}), export language on "
        f"{mentions['lang'].notna().mean():.0%} of them, in {time.perf_counter() - t0:.1f} s; "
        f"{os.cpu_count()} cores"
    )

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rng = np.random.default_rng(args.seed + 1)
    k = min(args.vader_sample, len(mentions))
    sample = mentions["text"].to_numpy(dtype=object)[rng.choice(len(mentions), k, replace=False)]
    sia = SentimentIntensityAnalyzer()
    vader_walls = []
    vader_cpus = []
    for _ in range(3):  # the fastest of three: the baseline most favourable to raw VADER
        t = time.perf_counter()
        c = time.process_time()
        for text in sample:
            sia.polarity_scores(text)
        vader_walls.append(time.perf_counter() - t)
        vader_cpus.append(time.process_time() - c)
    vader_wall = min(vader_walls)
    vader_cpu_rate = k / min(vader_cpus)
    vader_rate = k / vader_wall
    vader_full = len(mentions) / vader_rate
    print(
        f"raw VADER, one core: {k:,} sampled mentions in {vader_wall:.2f} s (fastest of "
        f"{', '.join(f'{w:.2f}' for w in vader_walls)}) = {vader_rate:,.0f} texts/s "
        f"(extrapolated to {len(mentions):,}: {vader_full:.1f} s)"
    )

    with tempfile.TemporaryDirectory(prefix="kpi-tone-cache-") as folder:
        t = time.perf_counter()
        cpu0 = _cpu()
        summary = tone_step(mentions, ScoreCache(folder), args.workers)
        first = time.perf_counter() - t
        first_cpu = _cpu() - cpu0
        first_rate = len(mentions) / first
        print(
            f"first run (empty cache; routing + scoring + tone_summary): {first:.2f} s = "
            f"{first_rate:,.0f} texts/s = {first_rate / vader_rate:.2f}x raw VADER "
            f"[target >= 2.5x: {'met' if first_rate / vader_rate >= 2.5 else 'NOT met'}]"
        )
        cpu_ratio = (len(mentions) / first_cpu) / vader_cpu_rate
        print(
            f"  CPU time of the first run (this process + its workers): {first_cpu:.1f} s = "
            f"{len(mentions) / first_cpu:,.0f} mentions per CPU-second = {cpu_ratio:.2f}x raw "
            f"VADER's {vader_cpu_rate:,.0f}; on {os.cpu_count()} idle cores the wall-clock "
            f"ratio would approach {cpu_ratio * (os.cpu_count() or 1):.1f}x"
        )
        walls = timed_runs(mentions, summary, lambda: ScoreCache(folder), args)
        cached = statistics.median(walls)
        print(
            f"cached run (new ScoreCache on the same folder), median of {args.repeat}: "
            f"{cached:.3f} s (runs: {', '.join(f'{w:.3f}' for w in walls)}) = "
            f"{len(mentions) / cached:,.0f} texts/s = {first / cached:.1f}x faster than the "
            f"first run [target >= 50x: {'met' if first / cached >= 50 else 'NOT met'}]"
        )
        walls = timed_runs(mentions, summary, lambda: ScoreCache(folder, memo=False), args)
        per_text = statistics.median(walls)
        print(
            f"  for information, per-text cache only (ScoreCache(memo=False)), median of "
            f"{args.repeat}: {per_text:.3f} s (runs: {', '.join(f'{w:.3f}' for w in walls)}) = "
            f"{first / per_text:.1f}x faster than the first run"
        )
        print(f"tone_summary: {len(summary):,} long-form rows; cached results identical")
    print(f"Load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
