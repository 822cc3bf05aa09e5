"""Compose captions and mention texts from the banks, with the quirks of real posts."""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from .specs import Campaign, ClientSpec
from .texts_en import EN_EVENTS, EN_GENERIC, EN_SECTOR, OTHER_LANGS
from .texts_fr import FR_EVENTS, FR_GENERIC, FR_SECTOR
from .texts_posts import CAPTIONS

__all__ = ["caption", "mention_text"]

_EMO = {
    "pos": ["😍", "👌", "🔥", "❤️", "👏", "😋", "✨", "🙌", "💯", "🥰"],
    "neg": ["😡", "😤", "👎", "🙄", "😒", "💔", "🤦"],
    "neu": ["🤔", "👀", ""],
}
_PRODUCTS = {
    ("bakery", "fr"): ["le croissant", "la baguette tradition", "le flan", "le pain au levain",
                       "l'éclair au chocolat", "la tarte aux fraises", "le pain au chocolat"],
    ("bakery", "en"): ["croissant", "baguette", "custard flan", "sourdough loaf",
                       "pain au chocolat"],
    ("software", "fr"): ["le module planning", "l'appli mobile", "l'export paie",
                         "la gestion des congés", "le support"],
    ("software", "en"): ["scheduling module", "mobile app", "payroll export",
                         "leave planner"],
    ("fashion", "en"): ["linen shirt", "cable-knit jumper", "wide-leg trousers", "trench coat",
                        "slip dress", "recycled-wool coat", "denim chore jacket"],
    ("fashion", "fr"): ["la chemise en lin", "le pull torsadé", "le trench", "la robe nuisette",
                        "le manteau en laine recyclée"],
}
_HASHTAGS_N = {"instagram": (4, 8), "tiktok": (3, 5), "x": (1, 2), "linkedin": (2, 4),
               "facebook": (0, 3), "youtube": (2, 3)}
_STRETCH = {"trop": "trooop", "bon": "booon", "top": "toooop", "bien": "bieeen", "so": "sooo",
            "love": "looove", "good": "gooood", "super": "supeeer", "tuerie": "tueriiie"}
_CONTRACTIONS = ((" de le ", " du "), (" de les ", " des "), (" à le ", " au "),
                 (" à les ", " aux "))
_STRETCH_RE = re.compile(r"\b(" + "|".join(_STRETCH) + r")\b", re.IGNORECASE)


def _pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _fill(rng: np.random.Generator, template: str, fill: dict[str, list[str]], tone: str) -> str:
    products = fill.get("product", [""])
    p1 = _pick(rng, products)
    p2 = _pick(rng, [p for p in products if p != p1] or products)
    values = {
        "product": p1,
        "product2": p2,
        "shop": _pick(rng, fill.get("shop", [""])),
        "name": _pick(rng, fill.get("name", [""])),
        "emo": _pick(rng, _EMO[tone]),
        "brand": fill.get("brand", [""])[0],
        "handle": fill.get("handle", [""])[0],
    }
    text = template.format(**values)
    for a, b in _CONTRACTIONS:
        text = text.replace(a, b)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:1].upper() + text[1:]


def caption(
    rng: np.random.Generator,
    spec: ClientSpec,
    platform: str,
    fmt: str,
    topic: str,
    campaign: str | None,
    day: date,
) -> str:
    """A post caption in the client's language: line, call to action, emoji, hashtags."""
    bank = CAPTIONS[spec.sector_key]
    key = bank["launch"] if topic == "launch" else topic
    if key in bank["topics"]:
        main = _fill(rng, _pick(rng, bank["topics"][key]), bank["fill"], "pos")
    elif fmt == "poll" or (fmt == "document" and "document" in bank):
        main = bank["poll"] if fmt == "poll" else bank["document"]
    else:
        main = _fill(rng, _pick(rng, bank["lines"]), bank["fill"], "pos")
    if fmt == "live":
        main = f"{bank['live']} · {main}"
    elif fmt in ("video", "reel", "short") and rng.random() < 0.3:
        main = f"🎥 {main}"
    parts = [main]
    cta = _pick(rng, bank["cta"])
    if fmt == "link":
        cta = bank["url"] if bank["url"] not in cta else cta
    if cta and (platform != "x" or fmt == "link"):
        parts.append(cta)
    if rng.random() < 0.5:
        parts[-1] += " " + _pick(rng, bank["emoji"])
    lo, hi = _HASHTAGS_N[platform]
    k = int(rng.integers(lo, hi + 1))
    tags = list(rng.choice(bank["hashtags"], size=min(k, len(bank["hashtags"])), replace=False))
    c: Campaign | None = spec.campaign_on(day) if campaign else None
    if c is not None:
        tags.insert(0, c.hashtag)
    sep = "\n\n" if platform in ("linkedin", "instagram") else " "
    text = sep.join(parts)
    if tags:
        text += sep + " ".join(tags)
    if platform == "x" and len(text) > 280:
        text = main[:250].rsplit(" ", 1)[0] + "… " + " ".join(tags[:1])
    return text


def _banks(spec: ClientSpec, lang: str, event: str) -> tuple[dict, dict, dict]:
    if lang == "fr":
        return FR_GENERIC, FR_SECTOR.get(spec.sector_key, {}), FR_EVENTS.get(event, {})
    return EN_GENERIC, EN_SECTOR.get(spec.sector_key, {}), EN_EVENTS.get(event, {})


def mention_text(
    rng: np.random.Generator,
    spec: ClientSpec,
    *,
    brand: str,
    handle: str,
    category: str,
    lang: str,
    event: str = "",
) -> str:
    """Text of one mention of ``brand`` (tone ``category``) in ``lang``.

    ``category`` is ``pos``, ``neu``, ``neg``, ``question`` or ``complaint``; ``event`` names
    an event bank (``bakery-buzz``, ``fashion-launch``…) that is used when it has lines for
    ``category`` and the text is in the client's language.
    """
    tone = {"question": "neu", "complaint": "neg"}.get(category, category)
    fill = {
        "product": _PRODUCTS.get((spec.sector_key, lang), _PRODUCTS[(spec.sector_key, "en")]),
        "brand": [brand],
        "handle": [handle],
    }
    if lang in OTHER_LANGS:
        return _fill(rng, _pick(rng, OTHER_LANGS[lang][category]), fill, tone)
    generic, sector, events = _banks(spec, lang, event)
    if event and lang == spec.language and events.get(category):
        template = _pick(rng, events[category])
    elif sector.get(category) and rng.random() < 0.6:
        template = _pick(rng, sector[category])
    else:
        template = _pick(rng, generic[category])
    text = _fill(rng, template, fill, tone)
    return _quirks(rng, text, tone, lang)


def _quirks(rng: np.random.Generator, text: str, tone: str, lang: str) -> str:
    """Elongations, CAPS, "!!!", trailing emoji: what social text looks like."""
    u = rng.random(4)
    if tone == "pos" and u[0] < 0.2:
        text = _STRETCH_RE.sub(lambda m: _STRETCH[m.group(1).lower()], text, count=1)
    if tone != "neu" and u[1] < 0.06:
        text = text.upper()
    if tone != "neu" and u[2] < 0.12:
        text = text.rstrip(".! ") + (" !!!" if lang == "fr" else "!!!")
    if u[3] < 0.3:
        text += " " + _pick(rng, _EMO[tone])
    return text.strip()
