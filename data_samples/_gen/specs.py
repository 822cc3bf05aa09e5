"""Plain data describing a sample client: platforms, campaigns, events and story.

Nothing here draws random numbers; :mod:`_gen.build` turns a :class:`ClientSpec` into tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "END",
    "START",
    "Campaign",
    "ClientSpec",
    "Event",
    "PlatformSpec",
    "RivalSpec",
]

#: First and last local day of the sample data (inclusive).
START = date(2025, 1, 1)
END = date(2026, 11, 25)


@dataclass(frozen=True)
class PlatformSpec:
    """One social account of a client.

    Attributes
    ----------
    followers_start, followers_end : int
        Followers on the first and last day (the trend between them is exponential).
    posts_per_week : float
        Average publishing cadence.
    reach_rate : float
        Median post reach as a share of followers (impressions share on X, views on YouTube).
    engagement : float
        Median interactions per account reached (per impression on X, per view on YouTube).
    formats : dict
        Post format → relative frequency.
    """

    followers_start: int
    followers_end: int
    posts_per_week: float
    reach_rate: float
    engagement: float
    formats: dict[str, float]
    page_id: str = ""


@dataclass(frozen=True)
class RivalSpec:
    """A competitor's public accounts, relative to the client's same platform.

    Attributes
    ----------
    id : str
        Competitor id (as in ``competitors`` and ``mentions.brand``).
    platforms : tuple of str
        Platforms where the competitor is active (among the benchmarked ones).
    size : float
        Followers on the first day, relative to the client's.
    growth : float
        Exponent on the client's growth factor over the period (1: same growth rate).
    cadence : float
        Posts per week, relative to the client's.
    engagement : float
        Public interactions per post per follower, relative to the client's.
    """

    id: str
    platforms: tuple[str, ...]
    size: float
    growth: float
    cadence: float
    engagement: float


@dataclass(frozen=True)
class Campaign:
    """A marketing campaign: dated, with a hashtag and paid boosts on some platforms."""

    name: str
    start: date
    end: date
    paid_platforms: tuple[str, ...]
    daily_budget: float
    hashtag: str
    boost: float = 1.6
    topic: str = ""
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class Event:
    """A dated event of the story (launch, bad buzz, press) for annotations and the data.

    ``kind`` follows the annotations file: ``event`` or ``incident``. ``platform`` is the
    platform where it started ("" for all).
    """

    kind: str
    start: date
    end: date
    title: str
    text: str
    platform: str = ""
    kpi: str = ""
    intensity: float = 1.0


@dataclass(frozen=True)
class ClientSpec:
    """Everything that makes one sample client."""

    id: str
    name: str
    language: str
    timezone: str
    currency: str
    sector: str
    sector_key: str
    competitors: tuple[tuple[str, str], ...]
    accounts: dict[str, str]
    platforms: dict[str, PlatformSpec]
    primary_kpis: tuple[str, ...]
    colors: tuple[str, str]
    initials: str
    weekly: tuple[float, ...]
    post_hours: tuple[float, ...]
    campaigns: tuple[Campaign, ...]
    launch: Event
    bad_buzz: Event
    events: tuple[Event, ...] = ()
    mentions_per_day: float = 2.2
    competitor_share: float = 0.4
    basket: float = 20.0
    sessions_per_day: float = 100.0
    lead_rate: float = 0.01
    sale_rate: float = 0.02
    analyst: str = ""
    comments: dict[str, str] = field(default_factory=dict)
    watch: float = 0.1
    #: (competitor id, first day, last day, factor): a competitor's burst of mentions.
    competitor_push: tuple[str, date, date, float] | None = None
    #: Platform → share of the client's mentions.
    mention_platforms: dict[str, float] = field(default_factory=dict)
    #: Platforms the agency's benchmarking tool tracks (the client's main ones).
    benchmark_platforms: tuple[str, ...] = ()
    #: The competitors' public accounts on those platforms.
    rivals: tuple[RivalSpec, ...] = ()

    @property
    def brand(self) -> str:
        """Brand id of the client in ``mentions.brand``."""
        return self.id

    def campaign_on(self, day: date) -> Campaign | None:
        """The campaign running on ``day``, if any."""
        for c in self.campaigns:
            if c.start <= day <= c.end:
                return c
        return None
