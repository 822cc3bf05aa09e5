"""Sample client 2: Logiciel Pilote, a French B2B software firm (planning and HR for SMEs)."""

from __future__ import annotations

from datetime import date as d

from .specs import Campaign, ClientSpec, Event, PlatformSpec, RivalSpec

__all__ = ["SOFTWARE"]

_OFFICE_HOURS = (0, 0, 0, 0, 0, 0, 0, 1, 4, 6, 4, 3, 2, 2, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0)

SOFTWARE = ClientSpec(
    id="logiciel-pilote",
    name="Logiciel Pilote",
    language="fr",
    timezone="Europe/Paris",
    currency="EUR",
    sector="Logiciel B2B (planning et RH pour PME)",
    sector_key="software",
    competitors=(
        ("planeo", "Planeo"),
        ("orkestra-rh", "Orkestra RH"),
        ("tempora", "Tempora"),
    ),
    accounts={
        "linkedin": "logiciel-pilote",
        "x": "PiloteApp",
        "youtube": "LogicielPilote",
        "facebook": "logicielpilote",
        "instagram": "logiciel.pilote",
    },
    platforms={
        "linkedin": PlatformSpec(
            14200, 21500, 5.0, 0.32, 0.045,
            {"image": 4, "document": 2, "video": 1.5, "link": 2, "text": 1.5, "poll": 0.4},
        ),
        "x": PlatformSpec(4500, 5050, 5.5, 0.3, 0.014, {"text": 4, "link": 3, "image": 2,
                                                         "video": 0.5, "poll": 0.2}),
        "youtube": PlatformSpec(1800, 2650, 0.7, 0.4, 0.035, {"video": 3, "short": 1.5,
                                                               "live": 0.3}),
        "facebook": PlatformSpec(2200, 2380, 1.5, 0.07, 0.025,
                                 {"image": 2, "link": 2, "video": 0.5},
                                 page_id="100089417263550"),
        "instagram": PlatformSpec(900, 1350, 1.0, 0.3, 0.05, {"image": 2, "carousel": 2,
                                                               "reel": 1}),
    },
    primary_kpis=(
        "impressions", "engagement_rate_reach", "follower_growth_rate", "leads",
        "cost_per_lead", "conversion_rate", "share_of_voice", "net_sentiment",
        "response_rate", "median_response_time",
    ),
    colors=("#1d4ed8", "#e0e9ff"),
    initials="LP",
    weekly=(1.05, 1.12, 1.1, 1.05, 0.88, 0.12, 0.08),
    post_hours=_OFFICE_HOURS,
    campaigns=(
        Campaign("Webinaire Planification 2025", d(2025, 3, 10), d(2025, 3, 27), ("linkedin",),
                 250.0, "#WebinairePilote", topic="webinaire",
                 title="Campagne webinaire « Planifier sans stress »",
                 text="Inscriptions au webinaire via LinkedIn Ads (cible DRH, PME 50-500)."),
        Campaign("Pilote 5", d(2025, 9, 15), d(2025, 10, 10), ("linkedin",), 400.0, "#Pilote5",
                 boost=1.8, topic="version", title="Lancement de Pilote 5",
                 text="Nouvelle version majeure ; LinkedIn Ads et vidéo de démonstration."),
        Campaign("Livre blanc RH 2026", d(2026, 2, 2), d(2026, 2, 27), ("linkedin",), 300.0,
                 "#LivreBlancRH", topic="livre", title="Livre blanc « RH des PME 2026 »",
                 text="Génération de leads par téléchargement du livre blanc (LinkedIn Lead Gen)."),
        Campaign("Pilote IA", d(2026, 10, 5), d(2026, 10, 30), ("linkedin", "youtube"), 650.0,
                 "#PiloteIA", boost=2.1, topic="ia", title="Lancement de Pilote IA",
                 text="Assistant de planification par IA ; LinkedIn Ads, pré-rolls YouTube et "
                 "webinaires de démonstration."),
    ),
    launch=Event("event", d(2026, 10, 6), d(2026, 10, 6), "Lancement de Pilote IA",
                 "Sortie de l'assistant IA de planification, démonstration en direct sur "
                 "YouTube.", platform="youtube", kpi="leads"),
    bad_buzz=Event("incident", d(2026, 6, 16), d(2026, 6, 17), "Panne de 2 jours",
                   "Indisponibilité de la plateforme pendant près de 40 h (incident hébergeur) : "
                   "plaintes sur X et LinkedIn, demandes de remboursement, désabonnements.",
                   platform="x", kpi="net_sentiment", intensity=1.0),
    events=(
        Event("event", d(2025, 10, 7), d(2025, 10, 9), "Salon Solutions RH 2025",
              "Stand au salon Solutions RH (Paris, porte de Versailles), lives LinkedIn."),
        Event("event", d(2026, 6, 19), d(2026, 6, 19), "Post-mortem public de la panne",
              "Publication du post-mortem et geste commercial (un mois offert).",
              platform="linkedin"),
    ),
    mentions_per_day=3.0,
    basket=14500.0,
    sessions_per_day=260.0,
    lead_rate=0.016,
    sale_rate=0.0004,
    mention_platforms={
        "linkedin": 0.45, "x": 0.33, "youtube": 0.08,
        "facebook": 0.09, "instagram": 0.05,
    },
    analyst="Julien Marchand",
    comments={
        "2026-07": "Retour à la normale après la panne de juin : sentiment net remonté à +0,53 "
        "(objectif 0,30) et 104 demandes de démo, au-dessus de l'objectif malgré l'été. Point "
        "faible : seulement 63 % des questions adressées ont reçu une réponse (congés de "
        "l'équipe support).",
        "2026-08": "Creux estival attendu : impressions à 223 k (-27 %), 51 demandes de démo. "
        "Aucune action corrective nécessaire ; toutes les questions adressées ont reçu une "
        "réponse, délai médian 1 h 30.",
        "2026-09": "Rentrée solide : abonnés +1,6 %, 124 demandes de démo et taux d'engagement de "
        "4,7 % porté par les cas clients. Part de voix en recul à 42 % : les concurrents occupent "
        "le terrain à la rentrée. Préparer le lancement de Pilote IA.",
        "2026-10": "Lancement de Pilote IA réussi en volume : 1,23 M d'impressions et 330 demandes "
        "de démo, record depuis le début du suivi. Mais le coût par lead (49,7 €) dépasse "
        "l'objectif de 34 € (budget LinkedIn Ads et YouTube x4) et le sentiment net retombe à 0,21 "
        "avec davantage de questions et de critiques sur le prix. Pour novembre : réallouer 30 % "
        "du budget vers le retargeting et publier une FAQ tarifaire.",
    },
    benchmark_platforms=("linkedin", "x"),
    rivals=(
        RivalSpec("planeo", ("linkedin", "x"), 2.3, 0.9, 1.3, 0.7),
        RivalSpec("orkestra-rh", ("linkedin",), 0.6, 1.4, 0.9, 1.1),
        RivalSpec("tempora", ("linkedin",), 0.35, 1.1, 0.6, 1.2),
    ),
)
