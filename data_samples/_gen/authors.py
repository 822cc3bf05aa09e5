"""Authors of mentions: a long tail of occasional users, loyal fans and recurring detractors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .specs import ClientSpec

__all__ = ["Authors", "make_authors"]

_FIRST = {
    "fr": ["marie", "lucas", "camille", "julien", "sarah", "thomas", "ines", "hugo", "lea",
           "nicolas", "chloe", "antoine", "manon", "karim", "elise", "paul", "yasmine", "leo"],
    "en": ["emma", "oliver", "amelia", "jack", "olivia", "harry", "isla", "george", "ava",
           "noah", "mia", "leo", "grace", "arthur", "freya", "charlie", "priya", "tom"],
}
_LAST = {
    "fr": ["martin", "bernard", "petit", "durand", "leroy", "moreau", "fournier", "girard",
           "bonnet", "lambert", "faure", "rousseau", "mercier", "blanc", "garnier", "chevalier"],
    "en": ["smith", "jones", "taylor", "brown", "williams", "wilson", "evans", "thomas",
           "walker", "wright", "green", "hughes", "clarke", "patel", "khan", "hall"],
}
_FANS = {
    "bakery": ["marie.gourmande", "lyon_foodie", "claire_patisse", "le_mangeur_lyonnais",
               "julie.croissant", "bouchon_et_brioche"],
    "software": ["sophie_drh", "antoine_rh_nantes", "julie_paie_pme", "marc.ops",
                 "cabinet_rh_leroy", "nicolas_dsi"],
    "fashion": ["emmastyles", "thevintagedrawer", "liv.wears", "capsule.chloe",
                "mensweardan", "knitwitch_uk"],
}
_DETRACTORS = {
    "bakery": ["jean_pas_content", "avis_lyon69", "gaelle_r_"],
    "software": ["dev_grognon", "pme_exasperee", "thomasb_ops"],
    "fashion": ["angrycustomer_88", "sarahm_ldn", "refund_pls"],
}


@dataclass
class Authors:
    """Author handles with their follower counts and sampling weights."""

    handles: np.ndarray
    followers: np.ndarray
    weights: np.ndarray
    fans: list[str]
    detractors: list[str]

    def followers_of(self, handles: list[str]) -> np.ndarray:
        """Follower counts of ``handles`` (fixed per author)."""
        index = {h: i for i, h in enumerate(self.handles)}
        return np.asarray([self.followers[index[h]] for h in handles], dtype="int64")

    def sample(self, rng: np.random.Generator, n: int) -> list[str]:
        """``n`` authors from the long tail (a few recur, most appear once or twice)."""
        picks = rng.choice(len(self.handles), size=n, p=self.weights)
        return [str(h) for h in self.handles[picks]]


def _handle(rng: np.random.Generator, lang: str) -> str:
    first = _FIRST[lang][int(rng.integers(len(_FIRST[lang])))]
    last = _LAST[lang][int(rng.integers(len(_LAST[lang])))]
    style = int(rng.integers(5))
    num = int(rng.integers(1, 99))
    return [
        f"{first}.{last}",
        f"{first}_{last}{num}",
        f"{first}{last[:3]}{num}",
        f"{first[0]}{last}",
        f"{first}_{num:02d}",
    ][style]


def make_authors(spec: ClientSpec, rng: np.random.Generator, n: int = 2600) -> Authors:
    """The author pool of one client: tail + fans (big audiences) + detractors."""
    other = "en" if spec.language == "fr" else "fr"
    seen: set[str] = set()
    tail: list[str] = []
    while len(tail) < n:
        h = _handle(rng, spec.language if rng.random() < 0.85 else other)
        if h not in seen:
            seen.add(h)
            tail.append(h)
    fans = _FANS[spec.sector_key]
    detractors = _DETRACTORS[spec.sector_key]
    handles = np.asarray(tail + fans + detractors)
    followers = np.concatenate(
        [
            np.round(rng.lognormal(np.log(260), 1.3, n)),
            rng.integers(8_000, 90_000, len(fans)),
            rng.integers(300, 4_000, len(detractors)),
        ]
    ).astype("int64")
    rank = np.arange(1, n + 1, dtype=float)
    w = np.concatenate([rank**-0.5, np.zeros(len(fans) + len(detractors))])
    return Authors(handles, followers, w / w.sum(), list(fans), list(detractors))
