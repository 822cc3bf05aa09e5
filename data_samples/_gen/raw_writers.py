"""Write a client's ``posts`` and ``audience`` frames as the platforms' own export files.

Each platform's files reproduce what its analytics tool downloads (header, quoting, encoding,
BOM, line ends, date format, NA token, file and folder names), as read by
``kpi_notebook_lib.io`` and shown in ``tests/fixtures/exports/make_fixtures.py``:

============  =================================================================================
facebook      Meta Business Suite content export ``<Mon-DD-YYYY>_<Mon-DD-YYYY>_<n>.csv`` (UTF-8
instagram     BOM, CRLF, ``Publish time`` ``mm/dd/yyyy HH:MM`` local, ``N/A``) and an insights
              folder named the same way: one page-level daily file per metric (UTF-16 LE BOM,
              ``sep=,`` line, a title line such as ``"Facebook reach"``, ``"Date","Primary"``).
x             ``account_analytics_content_<from>_<to>.csv`` (days like ``Sat, Aug 1, 2026``, no
              final newline). No X export carries the follower count: ``followers.csv`` is a
              template file.
linkedin      ``<company>_{updates,followers,visitors}_<ms>.xls``: Office Open XML workbooks
              under LinkedIn's ``.xls`` name, a description row above each header.
              ``followers.csv`` (template) holds the follower count no export carries.
tiktok        ``tiktok_<from>_<to>/{Overview,Content,FollowerHistory}.csv`` (UTF-8 BOM, every
              field quoted, dates without a year: the folder name gives it).
youtube       ``Content <from>_<to> <channel>/{Table data,Chart data,Totals}.csv`` (``Total``
              first row, publish days ``Aug 28, 2025``); ``followers.csv`` (template).
============  =================================================================================

Every series is cut into half-year exports plus a last one that starts a month before the
previous one ends (:data:`WINDOWS`): the overlapping month is in two files. The older file holds
that month's posts with the lower lifetime counts they had when it was downloaded
(:func:`provisional`), so only "the latest export wins" gives back the generated values.

What each format carries is data (:data:`RAW_POSTS`, :data:`RAW_AUDIENCE`,
:data:`TEMPLATE_AUDIENCE`, :data:`POST_TIME`): every canonical column listed is written from the
frame (its NA as the format's NA token), every other canonical column is absent from the files.
Columns the importers ignore (durations, CTRs, "Other Clicks"…) are derived from the frames so
that the files look whole.
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kpi_notebook_lib.schema import TABLES

from .specs import END, START, ClientSpec
from .timeline import sub_rng
from .writers import EXPORTED_AT, write_template

__all__ = [
    "OVERLAP",
    "POST_TIME",
    "RAW_AUDIENCE",
    "RAW_POSTS",
    "TEMPLATE_AUDIENCE",
    "WINDOWS",
    "as_ingested",
    "provisional",
    "write_raw_exports",
]

Window = tuple[date, date]


def _windows(start: date = START, end: date = END, months: int = 6) -> tuple[Window, ...]:
    """Calendar blocks of ``months`` that end before ``end``, then a last export from the last
    block's last month to ``end`` (so that month is in two exports)."""
    out: list[Window] = []
    first = date(start.year, (start.month - 1) // months * months + 1, 1)
    while True:
        k = first.month - 1 + months
        nxt = date(first.year + k // 12, k % 12 + 1, 1)
        if nxt - timedelta(days=1) >= end:
            break
        out.append((max(first, start), nxt - timedelta(days=1)))
        first = nxt
    return (*out, (out[-1][1].replace(day=1), end))


#: Export windows (inclusive local days): half-years, then one from the last half-year's last
#: month to the end of the data.
WINDOWS: tuple[Window, ...] = _windows()
#: The month that two exports hold.
OVERLAP: Window = (WINDOWS[-1][0], WINDOWS[-2][1])

#: Canonical ``posts`` columns each raw export carries (besides platform, account, post_id and
#: published_at). The others are NA after ingest.
RAW_POSTS: dict[str, tuple[str, ...]] = {
    "facebook": ("text", "permalink", "format", "views", "impressions", "reach", "reactions",
                 "comments", "shares", "clicks", "link_clicks"),
    "instagram": ("text", "permalink", "format", "impressions", "reach", "views", "reactions",
                  "comments", "shares", "saves", "follows", "profile_visits"),
    "x": ("text", "permalink", "impressions", "reactions", "saves", "shares", "follows",
          "comments", "profile_visits", "link_clicks"),
    "linkedin": ("text", "permalink", "paid", "campaign", "format", "impressions", "video_views",
                 "clicks", "reactions", "comments", "shares", "follows",
                 "platform_engagement_rate"),
    "tiktok": ("text", "permalink", "format", "reactions", "comments", "shares", "views"),
    "youtube": ("text", "views", "reactions", "comments", "shares", "follows", "impressions"),
}
#: Precision of ``published_at`` in each raw export: ``minute`` (local time without seconds)
#: or ``day`` (local day: stored as local midnight).
POST_TIME: dict[str, str] = {
    "facebook": "minute", "instagram": "minute", "x": "day", "linkedin": "day", "tiktok": "day",
    "youtube": "day",
}
#: Canonical ``audience`` metrics each platform's raw exports carry.
RAW_AUDIENCE: dict[str, tuple[str, ...]] = {
    "facebook": ("followers", "new_followers", "lost_followers", "profile_visits",
                 "impressions", "reach"),
    "instagram": ("followers", "new_followers", "lost_followers", "profile_visits",
                  "impressions", "reach"),
    "x": (),
    "linkedin": ("new_followers", "profile_visits", "impressions"),
    "tiktok": ("followers", "profile_visits"),
    "youtube": ("new_followers", "lost_followers", "impressions"),
}
#: Audience metrics no export of the platform carries, kept in a template ``followers.csv``.
TEMPLATE_AUDIENCE: dict[str, tuple[str, ...]] = {
    "x": ("followers",),
    "linkedin": ("followers",),
    "youtube": ("followers",),
}

_POST_METRICS = TABLES["posts"].metrics
_AUDIENCE_METRICS = TABLES["audience"].metrics
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UTF8_BOM = "\ufeff"


# ------------------------------------------------------------------------------------ helpers
def _mon(d: date) -> str:
    return _MONTHS[d.month - 1][:3]


def _meta_range(w: Window) -> str:
    """Meta's range in names: ``Jan-01-2025_Mar-31-2025``."""
    return "_".join(f"{_mon(d)}-{d.day:02d}-{d.year}" for d in w)


def _export_id(*parts: object) -> str:
    """A stable 10-digit number standing for an export's id in its name."""
    return f"{zlib.crc32('/'.join(map(str, parts)).encode()):010d}"


def _local(ts: pd.Series, tz: str) -> pd.Series:
    return pd.to_datetime(ts, utc=True).dt.tz_convert(tz).dt.tz_localize(None)


def _days(local: pd.Series) -> pd.Series:
    return local.dt.normalize()


def _in(days: pd.Series, w: Window) -> np.ndarray:
    return ((days >= pd.Timestamp(w[0])) & (days <= pd.Timestamp(w[1]))).to_numpy()


def _int(v: Any, na: str = "") -> str:
    return na if pd.isna(v) else str(int(v))


def _num_or_none(v: Any) -> int | None:
    return None if pd.isna(v) else int(v)


def provisional(data: pd.DataFrame, days: pd.Series, w: Window,
                columns: Sequence[str]) -> pd.DataFrame:
    """Lifetime counts as an export ending on ``w[1]`` saw them.

    Posts of the overlapping month had not finished collecting views and interactions when the
    older of the two exports was downloaded: a post published ``age`` days before the export
    holds ``floor(count × (0.5 + age / 60))`` (a day-old post half its final counts). Other
    windows and other posts are unchanged. Flooring keeps ``reach <= impressions`` and
    ``link_clicks <= clicks``.
    """
    if w[1] != OVERLAP[1] or w == WINDOWS[-1]:
        return data
    age = (pd.Timestamp(w[1]) - days).dt.days.to_numpy()
    hit = days.to_numpy() >= pd.Timestamp(OVERLAP[0])
    factor = np.where(hit, 0.5 + np.minimum(age, 30) / 60, 1.0)
    out = data.copy()
    for c in columns:
        if c in out and (str(out[c].dtype) == "Int64" or out[c].dtype.kind in "iu"):
            out[c] = np.floor(out[c].astype("Float64") * factor).astype("Int64")
    return out


def _csv_text(rows: Sequence[Sequence[Any]], *, quoting: int = csv.QUOTE_MINIMAL,
              newline: str = "\n", final: bool = True) -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=quoting, lineterminator=newline).writerows(rows)
    text = buf.getvalue()
    return text if final else text[: -len(newline)]


def _quote(cell: Any, force: bool) -> str:
    s = "" if cell is None else str(cell)
    if (force and s) or any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def _write(path: Path, text: str, encoding: str = "utf-8", bom: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((bom + text).encode(encoding))
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]], when: datetime) -> Path:
    """Write a workbook whose bytes depend only on its content and ``when``."""
    import openpyxl
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    stamp = when.replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "LinkedIn"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


def _durations(rng: np.random.Generator, formats: pd.Series) -> np.ndarray:
    """Video lengths in seconds by format (not canonical: only for the look of the files)."""
    lo = formats.map({"short": 15, "reel": 8, "video": 40, "live": 1200}).fillna(0)
    hi = formats.map({"short": 60, "reel": 90, "video": 900, "live": 3600}).fillna(0)
    return np.round(lo.to_numpy() + rng.random(len(formats)) * (hi - lo).to_numpy()).astype(int)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _per_day(posts: pd.DataFrame, days: pd.Series, column: str, index: pd.DatetimeIndex,
             mask: np.ndarray | None = None) -> np.ndarray:
    """Sum of a post column by local publishing day, on ``index`` (0 where nothing)."""
    keep = np.ones(len(posts), bool) if mask is None else mask
    s = posts.loc[keep, column].astype("Float64").fillna(0).groupby(days[keep].to_numpy()).sum()
    return s.reindex(index, fill_value=0).to_numpy(dtype=float)


# --------------------------------------------------------------------------------------- Meta
_FB_HEADER = ("Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
              "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share",
              "Post type", "Languages", "Custom labels", "Funded content status", "Data comment",
              "Date", "Views", "Impressions", "Reach", "Reactions, Comments and Shares",
              "Reactions", "Comments", "Shares", "Total clicks", "Link Clicks", "Other Clicks",
              "Comments")
_FB_QUOTED = {"Page name", "Description", "Publish time"}
_FB_TYPES = {"image": "Photos", "video": "Videos", "link": "Links", "reel": "Reels",
             "carousel": "Albums", "text": "Text", "live": "Live video"}
_IG_HEADER = ("Post ID", "Account ID", "Account username", "Account name", "Description",
              "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
              "Impressions", "Reach", "Likes", "Views", "Comments", "Saves", "Shares", "Follows",
              "Profile visits")
_IG_QUOTED = {"Account name", "Description", "Publish time"}
_IG_TYPES = {"image": "IG image", "carousel": "IG carousel", "reel": "IG reel",
             "video": "IG video", "story": "IG story"}
#: Page-level daily files of a Meta insights export: (file name, title word, column).
_META_DAILY = (
    ("Followers.csv", "followers", "followers"),
    ("Follows.csv", "follows", "new_followers"),
    ("Unfollows.csv", "unfollows", "lost_followers"),
    ("Reach.csv", "reach", "reach"),
    ("Views.csv", "views", "impressions"),
    ("Visits.csv", "visits", "profile_visits"),
)


def _ig_account_id(spec: ClientSpec) -> str:
    return str(17841400000000000 + zlib.crc32(spec.id.encode()) % 10**11)


def _meta_line(cells: Sequence[Any], header: Sequence[str], quoted: set[str]) -> str:
    return ",".join(_quote(c, h in quoted) for c, h in zip(cells, header, strict=True))


def _meta_posts(spec: ClientSpec, platform: str, posts: pd.DataFrame, folder: Path,
                rng: np.random.Generator) -> list[Path]:
    local = _local(posts["published_at"], spec.timezone)
    days = _days(local)
    seconds = _durations(rng, posts["format"])
    video = posts["format"].isin(["video", "reel", "live"]).to_numpy()
    header = _FB_HEADER if platform == "facebook" else _IG_HEADER
    quoted = _FB_QUOTED if platform == "facebook" else _IG_QUOTED
    name_header = ",".join(_quote(h, " " in h or "," in h) for h in header)
    written = []
    for w in WINDOWS:
        sel = np.flatnonzero(_in(days, w))
        order = sel[np.argsort(-local.iloc[sel].to_numpy().astype("int64"), kind="stable")]
        part = provisional(posts.iloc[order], days.iloc[order], w, RAW_POSTS[platform])
        lines = [name_header]
        for i, (_, p) in zip(order, part.iterrows(), strict=True):
            when = local.iloc[i].strftime("%m/%d/%Y %H:%M")
            if platform == "facebook":
                clicks, links = p["clicks"], p["link_clicks"]
                cells = [
                    p["post_id"], spec.platforms["facebook"].page_id, spec.name, "", p["text"],
                    seconds[i] if video[i] else "", when, "", p["permalink"], "No", "No",
                    _FB_TYPES[p["format"]], "", "", "Boosted" if p["paid"] else "", "",
                    "Lifetime", _int(p["views"], "N/A"), _int(p["impressions"], "N/A"),
                    _int(p["reach"], "N/A"),
                    _int(p["reactions"] + p["comments"] + p["shares"], "N/A"),
                    _int(p["reactions"], "N/A"), _int(p["comments"], "N/A"),
                    _int(p["shares"], "N/A"), _int(clicks, "N/A"), _int(links, "N/A"),
                    _int(clicks - links, "N/A"), _int(p["comments"], "N/A"),
                ]
            else:
                cells = [
                    p["post_id"], _ig_account_id(spec), spec.accounts["instagram"], spec.name,
                    p["text"], seconds[i] if video[i] else 0, when, p["permalink"],
                    _IG_TYPES[p["format"]], "", "Lifetime", _int(p["impressions"], "N/A"),
                    _int(p["reach"], "N/A"), _int(p["reactions"], "N/A"),
                    _int(p["views"], "N/A"), _int(p["comments"], "N/A"),
                    _int(p["saves"], "N/A"), _int(p["shares"], "N/A"), _int(p["follows"], "N/A"),
                    _int(p["profile_visits"], "N/A"),
                ]
            lines.append(_meta_line(cells, header, quoted))
        name = f"{_meta_range(w)}_{_export_id(spec.id, platform, 'content', w[0])}.csv"
        written.append(_write(folder / name, "\r\n".join(lines) + "\r\n", bom=_UTF8_BOM))
    return written


def _meta_daily(spec: ClientSpec, platform: str, audience: pd.DataFrame,
                folder: Path) -> list[Path]:
    title = platform.capitalize()
    days = pd.to_datetime(audience["date"])
    written = []
    for w in WINDOWS:
        part = audience.loc[_in(days, w)].sort_values("date")
        sub = folder / f"{_meta_range(w)}_{_export_id(spec.id, platform, 'insights', w[0])}"
        for file, word, column in _META_DAILY:
            if platform == "instagram" and word == "visits":
                word, file = "profile visits", "Profile visits.csv"
            rows = []
            for d, v in zip(pd.to_datetime(part["date"]), part[column], strict=True):
                # the hour is an artefact of Meta's time zones: 01:00 in winter, 00:00 in summer
                hour = 1 if d.tz_localize(spec.timezone).dst() == timedelta(0) else 0
                rows.append(f'"{d:%Y-%m-%d}T{hour:02d}:00:00","{_int(v, "0")}"')
            lines = ["sep=,", f'"{title} {word}"', '"Date","Primary"', *rows]
            text = "\r\n".join(lines) + "\r\n"
            written.append(_write(sub / file, text, "utf-16-le", _UTF8_BOM))
    return written


# ------------------------------------------------------------------------------------------ X
_X_HEADER = ("Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
             "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
             "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks")


def _x_day(d: pd.Timestamp) -> str:
    return f"{_DAYS[d.dayofweek]}, {_mon(d)} {d.day}, {d.year}"


def _x(spec: ClientSpec, posts: pd.DataFrame, folder: Path,
       rng: np.random.Generator) -> list[Path]:
    local = _local(posts["published_at"], spec.timezone)
    days = _days(local)
    shares = posts["shares"].fillna(0).to_numpy(dtype=int)
    dm_shares = rng.binomial(shares, 0.2)  # "Shares" (sent by DM, copied): Reposts + Shares
    rest = (posts["clicks"].fillna(0) - posts["link_clicks"].fillna(0)).to_numpy(dtype=int)
    expands = rng.binomial(rest, 0.7)
    hashtags = rng.binomial(rest - expands, 0.4)
    extra = pd.DataFrame({"_dm": dm_shares, "_exp": expands, "_hash": hashtags,
                          "_perm": rest - expands - hashtags}, index=posts.index)
    data = pd.concat([posts, extra], axis=1)
    written = []
    for w in WINDOWS:
        sel = np.flatnonzero(_in(days, w))
        order = sel[np.argsort(-local.iloc[sel].to_numpy().astype("int64"), kind="stable")]
        cols = [*RAW_POSTS["x"], "clicks", "_dm", "_exp", "_hash", "_perm"]
        part = provisional(data.iloc[order], days.iloc[order], w, cols)
        rows = [_X_HEADER]
        for i, (_, p) in zip(order, part.iterrows(), strict=True):
            dm = min(int(p["_dm"]), int(p["shares"]))
            engagements = (p["reactions"] + p["comments"] + p["shares"] + p["saves"]
                           + p["clicks"] + p["profile_visits"])
            rows.append([
                p["post_id"], _x_day(days.iloc[i]), html.escape(p["text"], quote=False),
                p["permalink"], _int(p["impressions"]), _int(p["reactions"]),
                _int(engagements), _int(p["saves"]), dm, _int(p["follows"]),
                _int(p["comments"]), _int(p["shares"] - dm), _int(p["profile_visits"]),
                _int(p["_exp"]), _int(p["link_clicks"]), _int(p["_hash"]), _int(p["_perm"]),
            ])
        name = f"account_analytics_content_{w[0]:%Y-%m-%d}_{w[1]:%Y-%m-%d}.csv"
        written.append(_write(folder / name, _csv_text(rows, final=False)))
    return written


# ----------------------------------------------------------------------------------- LinkedIn
_LI_UPDATES = ("Date", "Impressions (organic)", "Impressions (sponsored)",
               "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)",
               "Reactions (organic)", "Reactions (sponsored)", "Comments (organic)",
               "Comments (sponsored)", "Reposts (organic)", "Reposts (sponsored)",
               "Engagement rate (organic)", "Engagement rate (sponsored)")
_LI_POSTS = ("Post title", "Post link", "Post type", "Campaign name", "Posted by",
             "Created date", "Campaign start date", "Campaign end date", "Audience",
             "Impressions", "Views (excluding off-site video views)", "Off-site views",
             "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows",
             "Engagement rate", "Content Type")
_LI_TYPES = {"image": "Image", "text": "Text", "link": "Article", "document": "Document",
             "video": "Video", "poll": "Poll", "carousel": "Carousel", "live": "Live"}
_LI_FOLLOWERS = ("Date", "Sponsored followers", "Organic followers", "Auto-invited followers",
                 "Total followers")
_LI_VISITORS = ("Date", "Overview page views (desktop)", "Overview page views (mobile)",
                "Overview page views (total)", "Total page views (desktop)",
                "Total page views (mobile)", "Total page views (total)",
                "Total unique visitors (total)")
_LI_PLACES = {"fr": ("Lyon", "Paris", "Nantes", "Lille", "Bordeaux", "Marseille"),
              "en": ("London", "Manchester", "Bristol", "Leeds", "Edinburgh", "Glasgow")}
_SHARES = np.array([0.38, 0.24, 0.12, 0.1, 0.09, 0.07])


def _li_date(d: pd.Timestamp) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _rate(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def _linkedin(spec: ClientSpec, posts: pd.DataFrame, audience: pd.DataFrame, folder: Path,
              rng: np.random.Generator) -> list[Path]:
    company = spec.accounts["linkedin"]
    local = _local(posts["published_at"], spec.timezone)
    days = _days(local)
    aud_days = pd.DatetimeIndex(pd.to_datetime(audience["date"]))
    paid = posts["paid"].fillna(False).to_numpy(dtype=bool)
    by_day = {
        (c, k): _per_day(posts, days, c, aud_days, paid if k else ~paid)
        for c in ("impressions", "clicks", "reactions", "comments", "shares") for k in (0, 1)
    }
    impressions = audience["impressions"].to_numpy(dtype=float)
    post_imp = by_day["impressions", 0] + by_day["impressions", 1]
    share = np.divide(by_day["impressions", 1], post_imp, out=np.zeros(len(aud_days)),
                      where=post_imp > 0)
    sponsored = np.round(impressions * share)
    organic = impressions - sponsored
    unique = np.round(audience["reach"].fillna(0).to_numpy(dtype=float) * (1 - share))
    gains = audience["new_followers"].to_numpy(dtype=int)
    paid_day = by_day["impressions", 1] > 0
    sponsored_f = np.where(paid_day, rng.binomial(gains, 0.35), 0)
    invited = rng.binomial(gains - sponsored_f, 0.08)
    visits = audience["profile_visits"].to_numpy(dtype=int)
    mobile = rng.binomial(visits, 0.45)
    overview = rng.binomial(visits, 0.6)
    overview_mobile = np.minimum(rng.binomial(overview, 0.45), mobile)
    campaigns = {c.name: c for c in spec.campaigns}
    written = []
    for w in WINDOWS:
        on = _in(pd.Series(aud_days), w)
        when = datetime.combine(w[1] + timedelta(days=1), datetime.min.time()).replace(
            hour=9, tzinfo=UTC)
        ms = int(when.timestamp() * 1000)
        daily = [["Aggregated metrics for all updates. Organic and sponsored metrics are "
                  "shown apart."], list(_LI_UPDATES)]
        for j in np.flatnonzero(on):
            imp = (organic[j], sponsored[j])
            parts = [(by_day[c, 0][j], by_day[c, 1][j])
                     for c in ("clicks", "reactions", "comments", "shares")]
            daily.append([
                _li_date(aud_days[j]), int(organic[j]), int(sponsored[j]), int(unique[j]),
                *[int(v) for pair in parts for v in pair],
                _rate(sum(p[0] for p in parts), imp[0]), _rate(sum(p[1] for p in parts), imp[1]),
            ])
        sel = np.flatnonzero(_in(days, w))
        order = sel[np.argsort(-local.iloc[sel].to_numpy().astype("int64"), kind="stable")]
        part = provisional(posts.iloc[order], days.iloc[order], w, RAW_POSTS["linkedin"])
        listing = [["All posts published in the selected time range."], list(_LI_POSTS)]
        for i, (_, p) in zip(order, part.iterrows(), strict=True):
            c = campaigns.get(p["campaign"]) if p["paid"] and pd.notna(p["campaign"]) else None
            is_video = p["format"] in ("video", "live")
            listing.append([
                p["text"], p["permalink"], "Sponsored" if p["paid"] else "Organic",
                None if pd.isna(p["campaign"]) else p["campaign"], spec.analyst,
                _li_date(days.iloc[i]), _li_date(pd.Timestamp(c.start)) if c else None,
                _li_date(pd.Timestamp(c.end)) if c else None,
                "Targeted audience" if p["paid"] else "All followers",
                _num_or_none(p["impressions"]), _num_or_none(p["video_views"]),
                0 if is_video else None, _num_or_none(p["clicks"]),
                _rate(p["clicks"], p["impressions"]), _num_or_none(p["reactions"]),
                _num_or_none(p["comments"]), _num_or_none(p["shares"]),
                _num_or_none(p["follows"]),
                None if pd.isna(p["platform_engagement_rate"])
                else float(p["platform_engagement_rate"]),
                _LI_TYPES[p["format"]],
            ])
        written.append(_xlsx(
            folder / f"{company}_updates_{ms}.xls",
            {"Update metrics (aggregated)": daily, "All posts": listing}, when))
        followers = [["New followers: follower gains per day, organic and sponsored."],
                     list(_LI_FOLLOWERS)]
        visitors = [["Visitor metrics: page views and unique visitors per day."],
                    list(_LI_VISITORS)]
        for j in np.flatnonzero(on):
            d = _li_date(aud_days[j])
            followers.append([d, int(sponsored_f[j]), int(gains[j] - sponsored_f[j] - invited[j]),
                              int(invited[j]), int(gains[j])])
            visitors.append([d, int(overview[j] - overview_mobile[j]), int(overview_mobile[j]),
                             int(overview[j]), int(visits[j] - mobile[j]), int(mobile[j]),
                             int(visits[j]), int(np.rint(visits[j] * 0.7))])
        places = _LI_PLACES[spec.language]
        total_f = int(audience["followers"].to_numpy()[np.flatnonzero(on)[-1]])
        total_v = int(visits[on].sum())
        where_f = [["Location", "Total followers"],
                   *[[p, int(total_f * s)] for p, s in zip(places, _SHARES, strict=True)]]
        where_v = [["Location", "Total views"],
                   *[[p, int(total_v * s)] for p, s in zip(places, _SHARES, strict=True)]]
        written.append(_xlsx(folder / f"{company}_followers_{ms}.xls",
                             {"New followers": followers, "Location": where_f}, when))
        written.append(_xlsx(folder / f"{company}_visitors_{ms}.xls",
                             {"Visitor metrics": visitors, "Location": where_v}, when))
    return written


# ------------------------------------------------------------------------------------- TikTok
_TT_CURVE = 0.6 ** np.arange(14) / (0.6 ** np.arange(14)).sum()

def _tiktok_day(d: pd.Timestamp) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}"


def _tiktok(spec: ClientSpec, posts: pd.DataFrame, audience: pd.DataFrame,
            folder: Path) -> list[Path]:
    local = _local(posts["published_at"], spec.timezone)
    days = _days(local)
    aud_days = pd.DatetimeIndex(pd.to_datetime(audience["date"]))
    # a video's lifetime counts land over the days after it is posted
    daily = {
        c: np.rint(np.convolve(_per_day(posts, days, c, aud_days), _TT_CURVE)[: len(aud_days)])
        for c in ("views", "reactions", "comments", "shares")
    }
    followers = audience["followers"].to_numpy(dtype=int)
    diff = np.diff(followers, prepend=followers[0])
    written = []
    for w in WINDOWS:
        sub = folder / f"tiktok_{w[0]:%Y-%m-%d}_{w[1]:%Y-%m-%d}"
        on = np.flatnonzero(_in(pd.Series(aud_days), w))
        overview = [("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares")]
        history = [("Date", "Followers", "Difference in followers from previous day")]
        for j in on:
            d = _tiktok_day(aud_days[j])
            overview.append((d, int(daily["views"][j]),
                             _int(audience["profile_visits"].iloc[j], "--"),
                             int(daily["reactions"][j]), int(daily["comments"][j]),
                             int(daily["shares"][j])))
            history.append((d, int(followers[j]), int(diff[j])))
        sel = np.flatnonzero(_in(days, w))
        order = sel[np.argsort(local.iloc[sel].to_numpy().astype("int64"), kind="stable")]
        part = provisional(posts.iloc[order], days.iloc[order], w, RAW_POSTS["tiktok"])
        content = [("Time", "Video title", "Video link", "Post time", "Total likes",
                    "Total comments", "Total shares", "Total views")]
        for i, (_, p) in zip(order, part.iterrows(), strict=True):
            content.append((f"{w[1]:%Y-%m-%d}", p["text"], p["permalink"],
                            _tiktok_day(days.iloc[i]), _int(p["reactions"], "undefined"),
                            _int(p["comments"], "undefined"), _int(p["shares"], "undefined"),
                            _int(p["views"], "undefined")))
        for name, rows in (("Overview.csv", overview), ("Content.csv", content),
                           ("FollowerHistory.csv", history)):
            text = _csv_text(rows, quoting=csv.QUOTE_ALL, final=False)
            written.append(_write(sub / name, text, bom=_UTF8_BOM))
    return written


# ------------------------------------------------------------------------------------ YouTube
_YT_TABLE = ("Content", "Video title", "Video publish time", "Duration", "Views",
             "Watch time (hours)", "Subscribers", "Subscribers gained", "Likes",
             "Comments added", "Shares", "Impressions", "Impressions click-through rate (%)")
_YT_CURVE = np.array([0.35, 0.2, 0.12, 0.09, 0.07, 0.06, 0.05])


def _yt_day(d: pd.Timestamp) -> str:
    return f"{_mon(d)} {d.day}, {d.year}"


def _youtube(spec: ClientSpec, posts: pd.DataFrame, audience: pd.DataFrame, folder: Path,
             rng: np.random.Generator) -> list[Path]:
    channel = spec.accounts["youtube"]
    local = _local(posts["published_at"], spec.timezone)
    days = _days(local)
    seconds = _durations(rng, posts["format"])
    watched = rng.uniform(0.3, 0.6, len(posts))
    lost = rng.binomial(posts["follows"].fillna(0).to_numpy(dtype=int), 0.1)
    aud_days = pd.DatetimeIndex(pd.to_datetime(audience["date"]))
    ctr = rng.uniform(0.035, 0.06, len(aud_days))
    written = []
    for w in WINDOWS:
        sub = folder / f"Content {w[0]:%Y-%m-%d}_{w[1]:%Y-%m-%d} {channel}"
        sel = np.flatnonzero(_in(days, w))
        part = provisional(posts.iloc[sel], days.iloc[sel], w, RAW_POSTS["youtube"])
        rank = np.argsort(-part["views"].to_numpy(dtype=float), kind="stable")
        chart = [("Date", "Content", "Video title", "Video publish time", "Duration", "Views")]
        rows, numbers = [], []
        for r in rank:
            i, p = sel[r], part.iloc[r]
            gained = int(p["follows"])
            # views, watch time (hours), net subscribers, gained, likes, comments, shares,
            # impressions
            num = [int(p["views"]), round(int(p["views"]) * seconds[i] * watched[i] / 3600, 1),
                   gained - min(int(lost[i]), gained), gained, int(p["reactions"]),
                   int(p["comments"]), int(p["shares"]), int(p["impressions"])]
            numbers.append(num)
            day, length = _yt_day(days.iloc[i]), _hms(int(seconds[i]))
            rows.append([p["post_id"], p["text"], day, length, *num,
                         round(100 * num[0] / max(num[-1], 1), 1)])
            for k, f in enumerate(_YT_CURVE):
                d = days.iloc[i] + pd.Timedelta(days=k)
                if d > pd.Timestamp(w[1]):
                    break
                chart.append((f"{d:%Y-%m-%d}", p["post_id"], p["text"], day, length,
                              int(np.rint(num[0] * f))))
        sums = np.asarray(numbers, dtype=float).sum(axis=0) if numbers else np.zeros(8)
        total = ["Total", "", "", "", *[int(v) for v in sums[[0]]], round(float(sums[1]), 1),
                 *[int(v) for v in sums[2:]], round(100 * sums[0] / max(sums[7], 1), 1)]
        table = [_YT_TABLE, total, *rows]
        on = np.flatnonzero(_in(pd.Series(aud_days), w))
        daily = [("Date", "Views", "Subscribers gained", "Subscribers lost", "Impressions")]
        for j in on:
            impressions = int(audience["impressions"].iloc[j])
            daily.append((f"{aud_days[j]:%Y-%m-%d}", int(np.rint(impressions * ctr[j])),
                          int(audience["new_followers"].iloc[j]),
                          int(audience["lost_followers"].iloc[j]), impressions))
        written.append(_write(sub / "Table data.csv", _csv_text(table)))
        written.append(_write(sub / "Chart data.csv", _csv_text(chart)))
        written.append(_write(sub / "Totals.csv", _csv_text(daily)))
    return written


# ------------------------------------------------------------------------------------- entry
def as_ingested(spec: ClientSpec, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames' numbers as the toolkit sees them once the raw exports are ingested.

    Post and audience metrics that a platform's exports do not carry become NA, publication
    times are cut to what the export gives (the minute, or local midnight). Ids, texts and the
    other tables are left as generated. Targets are set from this view, so that the KPIs the
    toolkit computes from the exports are the ones they were calibrated on.
    """
    posts = frames["posts"].copy()
    local = posts["published_at"].dt.tz_convert(spec.timezone)
    for platform, precision in POST_TIME.items():
        rows = (posts["platform"] == platform).to_numpy()
        if not rows.any():
            continue
        cut = local[rows].dt.floor("min") if precision == "minute" else local[rows].dt.normalize()
        posts.loc[rows, "published_at"] = cut.dt.tz_convert("UTC")
        for col in (*_POST_METRICS, "platform_engagement_rate"):
            if col not in RAW_POSTS[platform]:
                posts.loc[rows, col] = pd.NA
    audience = frames["audience"].copy()
    for platform in RAW_AUDIENCE:
        rows = (audience["platform"] == platform).to_numpy()
        kept = RAW_AUDIENCE[platform] + TEMPLATE_AUDIENCE.get(platform, ())
        for col in _AUDIENCE_METRICS:
            if col not in kept:
                audience.loc[rows, col] = pd.NA
    return {**frames, "posts": posts, "audience": audience}


def write_raw_exports(spec: ClientSpec, frames: dict[str, pd.DataFrame], client_dir: Path,
                      seed: int) -> list[Path]:
    """Write one client's ``posts`` and ``audience`` as raw platform exports.

    Parameters
    ----------
    spec : ClientSpec
        The client (time zone, accounts, page id, campaigns).
    frames : dict
        The client's canonical tables from :func:`_gen.build.build_client`.
    client_dir : Path
        The client's folder; files go under ``exports/<platform>/``.
    seed : int
        Base seed; the values the importers ignore (durations, click splits…) draw from their
        own generator per platform, so the canonical frames are never disturbed.

    Returns
    -------
    list of Path
        The files written.
    """
    exports = Path(client_dir) / "exports"
    posts, audience = frames["posts"], frames["audience"]
    written: list[Path] = []
    for platform in spec.platforms:
        p = posts[posts["platform"] == platform].reset_index(drop=True)
        a = audience[audience["platform"] == platform].sort_values("date", ignore_index=True)
        folder = exports / platform
        rng = sub_rng(seed, spec.id, f"raw-{platform}")
        if platform in ("facebook", "instagram"):
            written += _meta_posts(spec, platform, p, folder, rng)
            written += _meta_daily(spec, platform, a, folder)
        elif platform == "x":
            written += _x(spec, p, folder, rng)
        elif platform == "linkedin":
            written += _linkedin(spec, p, a, folder, rng)
        elif platform == "tiktok":
            written += _tiktok(spec, p, a, folder)
        elif platform == "youtube":
            written += _youtube(spec, p, a, folder, rng)
        if platform in TEMPLATE_AUDIENCE:
            columns = ["platform", "account", "date", *TEMPLATE_AUDIENCE[platform]]
            written.append(write_template("audience", a, folder / "followers.csv",
                                          columns=columns, exported_at=EXPORTED_AT))
    return written
