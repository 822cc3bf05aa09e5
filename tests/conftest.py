"""Shared fixtures: a tiny workspace whose KPIs are computed by hand in the tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from kpi_notebook_lib import schema

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

CLIENT_YML = """\
name: Acme Boulangerie
language: fr
timezone: Europe/Paris
currency: EUR
competitors:
  - {id: rival, name: Rival SA}
accounts: {facebook: acme, instagram: acme.ig, x: AcmeX}
primary_kpis: [impressions, engagement_rate_reach, lost_followers]
thresholds: {watch: 0.10}
branding: {primary_color: "#123456", secondary_color: "#abcdef"}
"""

# Local time Europe/Paris. P6 is 2026-10-01 00:30 local (in October), P5 is 2026-11-01 00:30
# local (in November, after the DST change of 25 October).
POSTS_CSV = """\
platform,account,post_id,published_at,format,text,impressions,reach,reactions,comments,shares,saves,clicks,link_clicks
facebook,acme,fb1,2026-10-05T08:00:00+00:00,image,Nos croissants,1000,800,40,10,5,,60,20
facebook,acme,fb2,2026-10-20T08:00:00+00:00,link,"Recette, pas à pas",500,400,10,0,0,,5,0
facebook,acme,fb5,2026-10-31T23:30:00+00:00,image,Novembre,700,500,7,0,0,,1,0
facebook,acme,fb6,2026-09-30T22:30:00+00:00,text,Minuit pile,100,100,0,0,0,,0,0
facebook,acme,fb0,2026-09-15T08:00:00+00:00,image,Septembre,800,600,20,5,5,,10,8
instagram,acme.ig,ig1,2026-10-10T18:00:00+00:00,reel,Le pétrin,2000,1500,100,20,10,30,,
x,AcmeX,x1,2026-10-12T12:00:00+00:00,text,=HYPERLINK("http://x"),300,,6,2,1,1,4,3
"""


def _audience_csv() -> str:
    rows = ["platform,account,date,followers,new_followers,lost_followers"]
    fb, ig = 1000, 5000
    rows.append(f"facebook,acme,2026-09-30,{fb},,")
    rows.append(f"instagram,acme.ig,2026-09-30,{ig},,")
    for day in pd.date_range("2026-10-01", "2026-11-01"):
        fb += 2 - 1
        ig += 10
        d = day.date().isoformat()
        rows.append(f"facebook,acme,{d},{fb},2,1")
        rows.append(f"instagram,acme.ig,{d},{ig},10,0")
    return "\n".join(rows) + "\n"


CONVERSIONS_CSV = """\
date,source,sessions,leads,sales,revenue,ad_spend
2026-10-05,facebook,100,5,2,150,50
2026-10-06,instagram,200,0,1,80,0
2026-10-07,other,999,9,9,999,0
"""

TARGETS_CSV = """\
kpi,platform,period,target
impressions,all,month,3500
engagement_rate_reach,all,2026-10,0.085
engagement_rate_reach,all,month,0.5
lost_followers,all,month,20
cost_per_lead,facebook,month,12
"""

ANNOTATIONS_CSV = """\
date,end_date,kind,platform,kpi,period,title,text,author
2026-10-10,2026-10-12,campaign,instagram,,,Lancement,"Lancement du pain, 3 jours",Léa
2026-10-28,,comment,,,2026-10,,La portée progresse ; l'engagement recule.,Léa
"""

MENTIONS = [
    # id, platform, published_at (UTC), author, brand, sentiment, compound, addresses, replied_at
    ("m1", "facebook", "2026-10-02T10:00:00Z", "ann", "acme", "positive", 0.8, False, None),
    ("m2", "facebook", "2026-10-03T09:00:00Z", "ann", "acme", "positive", 0.6, False, None),
    (
        "m3",
        "instagram",
        "2026-10-03T10:00:00Z",
        "bob",
        "acme",
        "negative",
        -0.7,
        True,
        "2026-10-03T12:00:00Z",
    ),
    (
        "m4",
        "x",
        "2026-10-04T10:00:00Z",
        "cat",
        "acme",
        "neutral",
        0.0,
        True,
        "2026-10-05T10:00:00Z",
    ),
    ("m5", "x", "2026-10-06T10:00:00Z", "dan", "acme", "unscored", None, True, None),
    ("m6", "facebook", "2026-10-07T10:00:00Z", "ann", "rival", "positive", 0.5, False, None),
    ("m7", "instagram", "2026-10-08T10:00:00Z", "eve", "rival", "negative", -0.4, False, None),
    ("m8", "x", "2026-10-09T10:00:00Z", "ann", "acme", "positive", 0.9, False, None),
]


def mentions_frame() -> pd.DataFrame:
    """The scored mentions of the tiny workspace, as the store holds them."""
    df = pd.DataFrame(
        MENTIONS,
        columns=[
            "mention_id",
            "platform",
            "published_at",
            "author",
            "brand",
            "sentiment",
            "compound",
            "addresses_brand",
            "replied_at",
        ],
    )
    df["client"] = "acme"
    df["text"] = "texte"
    return schema.coerce("mentions", df)


@pytest.fixture
def tiny_workspace(tmp_path: Path) -> Path:
    """A workspace with one client, ``acme``, whose KPIs are hand-computed in the tests."""
    c = tmp_path / "ws" / "clients" / "acme"
    (c / "exports" / "meta").mkdir(parents=True)
    (c / "exports" / "crm").mkdir(parents=True)
    (c / "client.yml").write_text(CLIENT_YML, "utf-8")
    (c / "exports" / "meta" / "posts.csv").write_text(POSTS_CSV, "utf-8")
    (c / "exports" / "meta" / "audience.csv").write_text(_audience_csv(), "utf-8")
    (c / "exports" / "crm" / "conversions.csv").write_text(CONVERSIONS_CSV, "utf-8")
    (c / "targets.csv").write_text(TARGETS_CSV, "utf-8")
    (c / "annotations.csv").write_text(textwrap.dedent(ANNOTATIONS_CSV), "utf-8")
    return tmp_path / "ws"
