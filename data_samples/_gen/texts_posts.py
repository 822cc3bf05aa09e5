"""Caption banks, one per sector, in the client's language (data only)."""

from __future__ import annotations

__all__ = ["CAPTIONS"]

_BAKERY = {
    "fill": {
        "product": ["la baguette tradition", "le pain au levain", "le croissant pur beurre",
                    "le flan pâtissier", "la tarte aux fraises", "l'éclair au café",
                    "la brioche au sucre", "le pain de campagne", "la fougasse aux olives",
                    "le pain aux noix", "le sachet de chouquettes", "la tarte au citron"],
        "shop": ["la Croix-Rousse", "Villeurbanne", "Caluire"],
        "name": ["Lucas", "Théo", "Mehdi", "Hugo", "Nathan"],
    },
    "lines": [
        "Sortie du four à l'instant : {product} {emo}",
        "Ce matin dans nos fournils : {product}, pétrissage à la main et cuisson sur sole.",
        "Le week-end commence bien avec {product} {emo}",
        "Nos boulangers se lèvent à 3 h pour que {product} sorte du four dès 7 h.",
        "Question du jour : plutôt {product} ou {product2} ? Dites-le en commentaire 👇",
        "Farine locale, levain maison, 48 h de fermentation : le secret de {product}.",
        "Nouveau à {shop} : {product} tous les samedis matin.",
        "Merci pour vos 200 avis 5 étoiles sur la boutique de {shop} 🙏",
        "Portrait : {name}, apprenti boulanger depuis septembre à {shop}.",
        "Goûter en vue ? {product} vous attend à {shop} {emo}",
        "On vous montre les coulisses : 4 h du matin, le façonnage de {product}.",
        "Il pleut sur Lyon, mais {product} sort du four. On vous attend !",
    ],
    "topics": {
        "galette": ["La galette frangipane est de retour jusqu'au 31 janvier 👑 Fève en "
                    "porcelaine signée par une artiste lyonnaise.",
                    "Qui aura la fève cette année ? Précommandez votre galette en click & "
                    "collect 👑"],
        "pistache": ["NOUVEAU : le croissant pistache 💚 Crème de pistache de Sicile, "
                     "feuilletage pur beurre.",
                     "Vous l'avez demandé, il est là : le croissant pistache, dans nos trois "
                     "boutiques 💚"],
        "noel": ["Nos bûches de Noël sont en précommande 🎄 Retrait jusqu'au 24 décembre 17 h.",
                 "Bûche marron-cassis, praliné noisette ou vanille-framboise : laquelle sera sur "
                 "votre table ? 🎄"],
        "gout": ["Semaine du Goût 🍞 Ateliers pain pour les enfants mercredi et samedi dans nos "
                 "boutiques.",
                 "Jeu concours : gagnez un atelier viennoiserie pour 4 ! Abonnez-vous et "
                 "identifiez deux amis 🎁"],
        "crisis": ["Suite à la vidéo qui circule, nous avons fermé la boutique de la "
                   "Croix-Rousse pour un contrôle complet. Nous vous devons la transparence.",
                   "Le rapport d'audit d'hygiène indépendant est en ligne. Merci pour vos "
                   "messages de soutien, nous avons entendu vos critiques."],
    },
    "launch": "pistache",
    "cta": ["Commandez en click & collect : lien en bio.", "À tout de suite en boutique !",
            "Réservez sur https://www.boulangerie-dupont.fr/click-and-collect", ""],
    "hashtags": ["#boulangerie", "#boulangerieartisanale", "#painartisanal", "#faitmaison",
                 "#lyon", "#croissant", "#viennoiserie", "#levain", "#patisserie", "#lyonfood"],
    "emoji": ["🥐", "🥖", "🍞", "😋", "✨", "❤️", "👨‍🍳", "🔥", "☕"],
    "url": "https://www.boulangerie-dupont.fr/click-and-collect",
    "poll": "Sondage : votre viennoiserie préférée ? 🥐",
    "live": "🔴 EN DIRECT du fournil",
}

_SOFTWARE = {
    "fill": {
        "product": ["l'export paie Silae", "la synchronisation Google Agenda",
                    "la badgeuse mobile", "les plannings par compétences",
                    "l'application mobile hors ligne", "les tableaux de bord RH"],
        "shop": ["Groupe Hérisson Logistique", "la clinique Saint-Roch", "Transports Berthier",
                 "Cinéville", "l'Ehpad Les Tilleuls", "Brasseries Lemoine"],
        "name": ["anticipez les congés d'été dès mars", "publiez le planning 7 jours à l'avance",
                 "formalisez les règles d'échange de créneaux",
                 "mesurez les heures supplémentaires chaque semaine"],
    },
    "lines": [
        "Cas client : {shop} a centralisé les congés de ses 240 salariés avec Pilote.",
        "Comment réduire de 30 % le temps passé sur les plannings ? Retour d'expérience de "
        "{shop}.",
        "3 erreurs à éviter quand on planifie des équipes en horaires décalés 👇",
        "Nouveauté : {product} est disponible pour tous nos clients {emo}",
        "Le saviez-vous ? 62 % des PME gèrent encore leurs plannings sur Excel.",
        "Conseil RH du mardi : {name}.",
        "Nous recrutons ! Développeur·se back-end à Nantes ou en télétravail {emo}",
        "Merci aux 1 200 entreprises qui nous font confiance 🙏",
        "Derrière chaque planning, il y a des équipes. Rencontre avec {shop}.",
        "Feuille de route : ce qui arrive dans Pilote ce trimestre, dont {product}.",
    ],
    "topics": {
        "webinaire": ["Webinaire « Planifier sans stress » le 27 mars à 11 h : 45 minutes de "
                      "méthodes concrètes avec {shop}.",
                      "J-3 avant notre webinaire planification ! Plus de 400 inscrits 🎙️"],
        "version": ["Pilote 5 est là 🚀 Nouvelle interface, plannings par compétences et export "
                    "paie en un clic.",
                    "Pilote 5 en 90 secondes : la démo vidéo 🎬"],
        "livre": ["📘 Livre blanc « RH des PME 2026 » : 18 pages de chiffres et de "
                  "retours terrain, à télécharger gratuitement.",
                  "Absentéisme, turnover, temps de planification : les chiffres clés de notre "
                  "livre blanc 2026 📊"],
        "ia": ["Pilote IA est disponible 🤖 Décrivez vos contraintes, l'assistant propose un "
               "planning conforme en quelques secondes.",
               "Démo en direct de Pilote IA jeudi à 11 h : posez vos questions en commentaire."],
        "crisis": ["Incident en cours : la plateforme est indisponible. Nos équipes sont "
                   "mobilisées, suivi en temps réel sur https://status.pilote.fr",
                   "Post-mortem de l'incident des 16 et 17 juin : ce qui s'est passé et ce que "
                   "nous changeons. Un mois offert à tous nos clients."],
    },
    "launch": "ia",
    "cta": ["Démo gratuite : https://www.pilote.fr/demo", "Lien en commentaire 👇",
            "En savoir plus : https://www.pilote.fr/blog", ""],
    "hashtags": ["#RH", "#SaaS", "#PME", "#Planning", "#Productivité", "#FutureOfWork",
                 "#RHDigitale", "#Logiciel", "#FrenchTech", "#QVT"],
    "emoji": ["🚀", "📊", "✅", "💡", "👉", "🤝", "📅"],
    "url": "https://www.pilote.fr/blog",
    "poll": "Sondage : combien de temps passez-vous chaque semaine sur les plannings ? ⏱️",
    "live": "🔴 EN DIRECT : questions-réponses avec l'équipe produit",
    "document": "📄 Notre guide de la planification d'équipes en 12 pages, à feuilleter ici.",
}

_FASHION = {
    "fill": {
        "product": ["linen shirt", "cable-knit jumper", "wide-leg trousers", "trench coat",
                    "slip dress", "recycled-wool coat", "organic cotton tee",
                    "denim chore jacket", "merino roll-neck"],
        "shop": ["oat", "sage", "ink blue", "chocolate", "ecru", "rust"],
        "name": ["Portugal", "Scotland", "Leicester"],
    },
    "lines": [
        "New in: the {product} in {shop} ✨",
        "Weekend uniform: {product} + {product2} {emo}",
        "Made to last. Our {product} is made in {name} from traceable fibres.",
        "Which one are you taking home, 1 or 2? 👇",
        "Styled three ways: the {product} {emo}",
        "Behind the seams: every {product} is finished by hand in {name}.",
        "Back in stock (finally!): the {product} in every size.",
        "Your photos are our favourite part of the week 💛 Tag #WearThreadline to be featured.",
        "Get ready with me: autumn edition 🍂 featuring the {product}.",
        "Three pieces, ten outfits: building a capsule around the {product}.",
    ],
    "topics": {
        "sale": ["SALE is live: up to 50% off the {product}, the {product2} and more 🛍️",
                 "Last chance: the sale ends Sunday at midnight ⏳"],
        "bf": ["Black Friday: 30% off everything, this week only 🖤",
               "Our Black Friday promise: no fake discounts, just 30% off pieces built to last."],
        "linen": ["The Linen Edit is here ☀️ European linen, cut for warm days.",
                  "Linen season. The {product} now comes in {shop} 🌿"],
        "knit": ["Introducing Heritage Knit: twelve pieces knitted in Scotland 🧶",
                 "The Heritage Knit cardigan in {shop}: made to be worn for decades."],
        "crisis": ["We're sorry. Many of you are still waiting for orders placed on Black Friday. "
                   "Here's what happened and what we're doing about it.",
                   "Update: 92% of delayed orders have now shipped. Every delayed order gets free "
                   "express shipping and a £10 credit."],
    },
    "launch": "knit",
    "cta": ["Shop via the link in bio.", "Tap to shop.", "Free UK delivery over £50.",
            "https://threadline.co.uk/new-in", ""],
    "hashtags": ["#WearThreadline", "#slowfashion", "#OOTD", "#newin", "#capsulewardrobe",
                 "#sustainablefashion", "#londonstyle", "#knitwear", "#styleinspo"],
    "emoji": ["✨", "🤍", "🧶", "🍂", "🌿", "💛", "👀"],
    "url": "https://threadline.co.uk/new-in",
    "poll": "Poll: trousers or skirt for the office? 👇",
    "live": "🔴 LIVE: styling Q&A with our design team",
}

CAPTIONS: dict[str, dict] = {"bakery": _BAKERY, "software": _SOFTWARE, "fashion": _FASHION}
