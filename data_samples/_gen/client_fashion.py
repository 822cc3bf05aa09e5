"""Sample client 3: Threadline, an English-speaking fashion e-shop based in London."""

from __future__ import annotations

from datetime import date as d

from .specs import Campaign, ClientSpec, Event, PlatformSpec, RivalSpec

__all__ = ["FASHION"]

_EVENING_HOURS = (0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 1, 2, 4, 2, 1, 1, 2, 3, 5, 6, 5, 3, 1, 0)
_PAID = ("instagram", "facebook", "tiktok")

FASHION = ClientSpec(
    id="threadline-fashion",
    name="Threadline",
    language="en",
    timezone="Europe/London",
    currency="GBP",
    sector="Fashion e-commerce",
    sector_key="fashion",
    competitors=(
        ("loom-and-lane", "Loom & Lane"),
        ("northwear", "Northwear"),
        ("atelier-nine", "Atelier Nine"),
    ),
    accounts={
        "instagram": "threadline",
        "tiktok": "threadline.fashion",
        "facebook": "ThreadlineFashion",
        "x": "threadline",
        "youtube": "ThreadlineFashion",
    },
    platforms={
        "instagram": PlatformSpec(
            84000, 121000, 8.0, 0.22, 0.055, {"image": 3, "carousel": 4, "reel": 5}
        ),
        "tiktok": PlatformSpec(38000, 96000, 5.5, 0.8, 0.065, {"video": 1}),
        "facebook": PlatformSpec(
            30500, 32200, 3.5, 0.06, 0.03,
            {"image": 3, "carousel": 2, "link": 2, "reel": 1, "video": 0.5},
            page_id="100063512288410",
        ),
        "x": PlatformSpec(9100, 9400, 4.0, 0.22, 0.012, {"text": 2, "image": 4, "link": 2}),
        "youtube": PlatformSpec(6100, 8300, 0.5, 0.5, 0.04, {"video": 2, "short": 2}),
    },
    primary_kpis=(
        "reach", "engagement_rate_reach", "net_new_followers", "sales", "revenue", "roi",
        "share_of_voice", "net_sentiment", "ambassadors", "response_rate",
    ),
    colors=("#0f766e", "#ccfbf1"),
    initials="TL",
    weekly=(0.85, 0.85, 0.9, 0.95, 1.05, 1.25, 1.3),
    post_hours=_EVENING_HOURS,
    campaigns=(
        Campaign("Summer Sale 2025", d(2025, 6, 26), d(2025, 7, 20), ("instagram", "facebook"),
                 600.0, "#ThreadlineSale", topic="sale", title="Summer Sale 2025",
                 text="Up to 50% off; paid carousels on Instagram and Facebook."),
        Campaign("Black Friday 2025", d(2025, 11, 21), d(2025, 12, 1), _PAID, 1500.0,
                 "#ThreadlineBF", boost=2.3, topic="bf", title="Black Friday 2025",
                 text="Black Friday week: 30% off sitewide, paid reels and TikTok Spark Ads."),
        Campaign("Winter Sale 2026", d(2026, 1, 2), d(2026, 1, 25), ("instagram", "facebook"),
                 700.0, "#ThreadlineSale", topic="sale", title="Winter Sale 2026",
                 text="January sale; paid carousels and retargeting."),
        Campaign("Linen Edit SS26", d(2026, 4, 13), d(2026, 5, 3), ("instagram", "tiktok"),
                 550.0, "#LinenEdit", topic="linen", title="SS26 Linen Edit",
                 text="Spring capsule collection with creator partnerships on TikTok."),
        Campaign("Summer Sale 2026", d(2026, 6, 25), d(2026, 7, 19), ("instagram", "facebook"),
                 650.0, "#ThreadlineSale", topic="sale", title="Summer Sale 2026",
                 text="Up to 50% off; paid carousels on Instagram and Facebook."),
        Campaign("Heritage Knit AW26", d(2026, 9, 24), d(2026, 10, 25), _PAID, 900.0,
                 "#HeritageKnit", boost=2.0, topic="knit", title="AW26 Heritage Knit launch",
                 text="Launch of the Heritage Knit collection: paid reels, TikTok creators, "
                 "Facebook catalogue ads."),
        Campaign("Early Black Friday 2026", d(2026, 11, 16), d(2026, 11, 25), _PAID, 1200.0,
                 "#ThreadlineBF", boost=2.2, topic="bf", title="Early Black Friday 2026",
                 text="Early access for subscribers, then 30% off sitewide."),
    ),
    launch=Event("event", d(2026, 9, 24), d(2026, 9, 24), "Heritage Knit collection launch",
                 "Twelve-piece knitwear collection made in Scotland, launched with a lookbook "
                 "film on YouTube and creator content on TikTok.", platform="instagram",
                 kpi="reach"),
    bad_buzz=Event("incident", d(2025, 12, 8), d(2025, 12, 21), "Late-delivery wave",
                   "Warehouse backlog after Black Friday plus courier strikes: thousands of "
                   "orders late before Christmas, angry posts and replies on X and Instagram.",
                   platform="x", kpi="net_sentiment", intensity=1.3),
    events=(
        Event("event", d(2025, 12, 22), d(2025, 12, 22), "Apology and free returns",
              "CEO apology video and free express shipping until 31 December.",
              platform="instagram"),
        Event("event", d(2026, 3, 5), d(2026, 3, 5), "Vogue UK feature",
              "Threadline's recycled-wool coat featured in Vogue UK's spring edit."),
    ),
    mentions_per_day=3.4,
    basket=64.0,
    sessions_per_day=950.0,
    lead_rate=0.01,
    sale_rate=0.021,
    mention_platforms={
        "instagram": 0.4, "tiktok": 0.25, "x": 0.18,
        "facebook": 0.11, "youtube": 0.06,
    },
    competitor_push=("northwear", d(2026, 10, 1), d(2026, 10, 31), 2.2),
    analyst="Priya Shah",
    comments={
        "2026-07": "Summer Sale delivered £41.6k revenue from social traffic (+34% on June) and "
        "633 orders, but ROI of 2.3 sits under the 2.6 target: paid carousels were expensive in "
        "the first week. Engagement rate dipped to 4.8% (more promotional content), as usual in "
        "sale periods.",
        "2026-08": "Quiet month between campaigns: reach down to 3.7M without paid support, but "
        "engagement back to 6.3% of reach, on target, and 8 ambassadors (creators of the linen "
        "try-on series). No action needed before the AW26 launch.",
        "2026-09": "Heritage Knit launch on 24 September started strongly: +8,119 followers and "
        "£40.1k revenue with only one week of campaign. Response rate slipped to 71% (target "
        "80%) during launch week: we need a second community manager on launch days.",
        "2026-10": "Strong October: reach 12.7M and revenue £61.5k, well above target. ROI fell to "
        "1.8 (target 2.6) as the paid budget reached £22k. Share of voice dropped to 46%: "
        "Northwear's influencer push doubled their mentions. Only 4 ambassadors vs 6 targeted: "
        "re-engage our regular creators before Black Friday.",
    },
    benchmark_platforms=("instagram", "tiktok"),
    rivals=(
        RivalSpec("loom-and-lane", ("instagram", "tiktok"), 1.6, 0.8, 1.2, 0.85),
        RivalSpec("northwear", ("instagram", "tiktok"), 0.7, 1.15, 1.1, 1.0),
        RivalSpec("atelier-nine", ("instagram",), 0.3, 1.3, 0.7, 1.4),
    ),
)
