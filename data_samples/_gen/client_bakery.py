"""Sample client 1: Boulangerie Dupont, a French artisan bakery chain (three shops in Lyon)."""

from __future__ import annotations

from datetime import date as d

from .specs import Campaign, ClientSpec, Event, PlatformSpec, RivalSpec

__all__ = ["BAKERY"]

# local publishing hours 0..23 (relative weights)
_SHOP_HOURS = (0, 0, 0, 0, 0, 0, 1, 4, 5, 3, 2, 3, 4, 2, 1, 1, 2, 3, 4, 2, 1, 0, 0, 0)

BAKERY = ClientSpec(
    id="boulangerie-dupont",
    name="Boulangerie Dupont",
    language="fr",
    timezone="Europe/Paris",
    currency="EUR",
    sector="Boulangerie artisanale",
    sector_key="bakery",
    competitors=(("maison-martin", "Maison Martin"), ("pains-et-co", "Pains & Co")),
    accounts={
        "facebook": "boulangeriedupont",
        "instagram": "boulangerie.dupont",
        "x": "BoulDupont",
        "tiktok": "boulangeriedupont",
        "linkedin": "boulangerie-dupont",
    },
    platforms={
        "facebook": PlatformSpec(
            11800, 14600, 4.0, 0.11, 0.038,
            {"image": 5, "carousel": 2, "video": 1, "reel": 2, "link": 1, "text": 0.3},
            page_id="104857600312877",
        ),
        "instagram": PlatformSpec(
            17500, 24800, 5.0, 0.28, 0.05, {"image": 4, "carousel": 3, "reel": 4}
        ),
        "x": PlatformSpec(2100, 2350, 3.0, 0.35, 0.018, {"text": 3, "image": 4, "link": 1}),
        "tiktok": PlatformSpec(5200, 16500, 2.0, 0.9, 0.058, {"video": 1}),
        "linkedin": PlatformSpec(780, 1120, 0.7, 0.45, 0.05, {"image": 2, "text": 1, "link": 1}),
    },
    primary_kpis=(
        "reach", "engagement_rate_reach", "net_new_followers", "net_sentiment",
        "share_of_voice", "leads", "sales", "revenue", "response_rate",
    ),
    colors=("#7a4b2a", "#f3e5d0"),
    initials="BD",
    weekly=(0.8, 0.8, 0.9, 0.95, 1.05, 1.3, 1.35),
    post_hours=_SHOP_HOURS,
    campaigns=(
        Campaign("Galette des Rois 2025", d(2025, 1, 2), d(2025, 1, 19), ("facebook",), 25.0,
                 "#GaletteDupont", topic="galette", title="Campagne Galette des Rois 2025",
                 text="Posts sponsorisés Facebook sur la galette frangipane, 3 boutiques."),
        Campaign("Croissant Pistache", d(2025, 4, 7), d(2025, 4, 27), ("facebook", "instagram"),
                 35.0, "#CroissantPistache", boost=1.9, topic="pistache",
                 title="Lancement du croissant pistache",
                 text="Lancement produit soutenu par des reels sponsorisés (Instagram, Facebook)."),
        Campaign("Bûches de Noël 2025", d(2025, 12, 1), d(2025, 12, 24), ("facebook", "instagram"),
                 40.0, "#NoelChezDupont", topic="noel", title="Campagne Bûches de Noël 2025",
                 text="Précommandes des bûches en click & collect, posts sponsorisés."),
        Campaign("Galette des Rois 2026", d(2026, 1, 2), d(2026, 1, 18), ("facebook",), 30.0,
                 "#GaletteDupont", topic="galette", title="Campagne Galette des Rois 2026",
                 text="Reconduction de la campagne galette, budget +20 %."),
        Campaign("Semaine du Goût 2026", d(2026, 10, 10), d(2026, 10, 25),
                 ("facebook", "instagram", "tiktok"), 45.0, "#SemaineDuGoutDupont", boost=2.2,
                 topic="gout", title="Semaine du Goût 2026",
                 text="Ateliers enfants en boutique, jeu concours et posts sponsorisés sur "
                 "Facebook, Instagram et TikTok."),
    ),
    launch=Event("event", d(2025, 4, 7), d(2025, 4, 7), "Lancement du croissant pistache",
                 "Nouveau produit phare, disponible dans les trois boutiques et en click & "
                 "collect.", kpi="reach"),
    bad_buzz=Event("incident", d(2026, 9, 8), d(2026, 9, 14),
                   "Bad buzz : vidéo sur l'hygiène en boutique",
                   "Une vidéo TikTok d'une cliente (cheveu dans un flan, boutique de la Croix-"
                   "Rousse) devient virale ; vague de commentaires négatifs et de désabonnements.",
                   platform="tiktok", kpi="net_sentiment", intensity=1.0),
    events=(
        Event("event", d(2025, 10, 18), d(2025, 10, 18), "Ouverture de la boutique de Caluire",
              "Troisième boutique, inauguration avec dégustation gratuite."),
        Event("event", d(2026, 9, 16), d(2026, 9, 16), "Réponse officielle et audit d'hygiène",
              "Publication du rapport d'audit indépendant et vidéo du chef boulanger.",
              platform="facebook"),
    ),
    mentions_per_day=3.2,
    basket=17.5,
    sessions_per_day=70.0,
    lead_rate=0.012,
    sale_rate=0.11,
    mention_platforms={
        "instagram": 0.35, "facebook": 0.3, "x": 0.13,
        "tiktok": 0.17, "linkedin": 0.05,
    },
    analyst="Camille Roux",
    comments={
        "2026-07": "Portée en recul de 48 % après le pic de juin (reel TikTok viral du 19/06 sur "
        "le pain au levain, 475 k comptes touchés), mais l'engagement remonte à 6,5 % de la "
        "portée, au-dessus de l'objectif. Click & collect : 162 commandes, sous l'objectif de 190 "
        "avec les départs en vacances.",
        "2026-08": "Creux estival habituel : 50 publications, portée à 347 k (-23 %). L'engagement "
        "tient (6,0 %). Les demandes de devis traiteur (15) restent faibles, comme chaque mois "
        "d'août. Service client réactif : 88 % de réponses, délai médian 2 h 20.",
        "2026-09": "Mois marqué par le bad buzz du 8 septembre (vidéo TikTok sur l'hygiène à la "
        "Croix-Rousse) : 399 mentions (x7), dont 201 négatives, sentiment net à -0,42 et 1 609 "
        "abonnés perdus en net. Taux de réponse tombé à 65 % et délai médian à 11 h : l'équipe a "
        "été débordée les trois premiers jours. La réponse officielle du 16/09 a stoppé "
        "l'hémorragie.",
        "2026-10": "Rebond net avec la Semaine du Goût : portée record (1,33 M pour un objectif de "
        "750 k), +3 774 abonnés et sentiment net revenu à +0,53. Les posts sponsorisés tirent le "
        "taux d'engagement vers le bas (3,4 % contre 6,2 % visé), à surveiller. Ventes click & "
        "collect doublées (406 commandes, 6 815 €) et 61 demandes de devis traiteur. Part de voix "
        "à 55 %, juste sous l'objectif.",
    },
    benchmark_platforms=("instagram", "facebook"),
    rivals=(
        RivalSpec("maison-martin", ("instagram", "facebook"), 1.9, 1.2, 1.4, 0.8),
        RivalSpec("pains-et-co", ("instagram",), 0.45, 1.5, 0.8, 1.3),
    ),
)
