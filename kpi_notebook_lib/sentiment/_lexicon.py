"""Lexicon files: where they live, how they are read, and their fingerprints."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

from ._text import EMOJI_STRIP, is_emoticon

__all__ = [
    "DATA_DIR",
    "emoji_valences",
    "emoticon_valences",
    "fingerprint",
    "read_valences",
    "vader_lexicon",
]

DATA_DIR = Path(str(resources.files("kpi_notebook_lib"))) / "data" / "sentiment"


def _vader_file(name: str) -> Path:
    return Path(str(resources.files("vaderSentiment"))) / name


def read_valences(path: Path, sep: str = "\t") -> list[tuple[str, float]]:
    """Read ``term<sep>valence`` lines, skipping blank lines and ``#`` comments."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            term, value = line.rsplit(sep, 1) if sep != "\t" else line.split("\t")[:2]
            out.append((term.strip(), float(value)))
    return out


@functools.cache
def vader_lexicon() -> dict[str, float]:
    """VADER's English lexicon (``term -> valence``), as vaderSentiment ships it."""
    out = {}
    with open(_vader_file("vader_lexicon.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                out[parts[0]] = float(parts[1])
    return out


@functools.cache
def emoji_valences() -> dict[str, float]:
    """Valence of each emoji, shared by every scorer.

    Hand-set values (``emoji_valence.tsv``) win; any other emoji of vaderSentiment's emoji
    lexicon takes the mean VADER valence of the words of its English description (emojis whose
    description carries no sentiment are left out).
    """
    lex = vader_lexicon()
    out: dict[str, float] = {}
    with open(_vader_file("emoji_utf8_lexicon.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            emoji = parts[0].translate(EMOJI_STRIP).strip()
            if len(emoji) != 1:
                continue
            vals = [lex[w] for w in parts[1].lower().replace(":", " ").split() if w in lex]
            vals = [v for v in vals if v]
            if vals:
                out[emoji] = round(sum(vals) / len(vals), 3)
    out.update(read_valences(DATA_DIR / "emoji_valence.tsv"))
    return out


@functools.cache
def emoticon_valences() -> dict[str, float]:
    """Valence of the emoticons of VADER's lexicon (``:)``, ``:-(``, ``<3``...), lower-cased."""
    return {k.lower(): v for k, v in vader_lexicon().items() if is_emoticon(k)}


def fingerprint(*parts: Path | str | bytes) -> str:
    """SHA-256 (16 hex digits) of files and strings, in order."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.read_bytes())
        elif isinstance(part, bytes):
            h.update(part)
        else:
            h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()[:16]
