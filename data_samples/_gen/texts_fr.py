"""French mention banks: generic, per sector, and for the story's events (data only).

Slots: ``{brand}`` (brand name), ``{handle}`` (``@handle``), ``{product}``, ``{emo}``.
"""

from __future__ import annotations

__all__ = ["FR_EVENTS", "FR_GENERIC", "FR_SECTOR"]

FR_GENERIC: dict[str, list[str]] = {
    "pos": [
        "Vraiment satisfait de {brand} {emo}",
        "Aucun problème, parfait comme d'habitude 👌",
        "Je valide à 100 % {brand} {emo}",
        "Toujours au top, bravo à toute l'équipe {brand} 👏",
        "Pas déçu du tout, je recommande {brand} les yeux fermés",
        "{product} : rien à redire, c'est excellent",
        "Franchement {brand} c'est trop bien, merci !",
        "Super expérience avec {brand}, équipe adorable {emo}",
        "Ça fait plaisir de voir une boîte comme {brand} qui fait les choses bien",
    ],
    "neu": [
        "Quelqu'un a déjà testé {product} chez {brand} ?",
        "Vu la pub de {brand} dans le métro ce matin",
        "{brand} vs la concurrence, vous en pensez quoi ?",
        "Article intéressant sur {brand} dans Le Progrès",
        "J'hésite entre {brand} et un autre, des avis ?",
        "Il paraît que {brand} change ses horaires",
        "Bon à savoir : {brand} propose {product} maintenant",
    ],
    "neg": [
        "Je ne recommande pas {brand}, vraiment pas terrible",
        "Pas terrible {product} aujourd'hui {emo}",
        "Déçue, vraiment déçue par {brand}. C'était mieux avant.",
        "Franchement nul, plus jamais {brand}",
        "Super, 40 minutes d'attente… merci {brand} 🙃",
        "Bravo {brand}, encore un service impeccable… ou pas. 😡",
        "Trop cher pour ce que c'est, je n'y retournerai pas",
        "{product} franchement pas à la hauteur du prix",
    ],
    "question": [
        "{handle} vous êtes ouverts le 15 août ?",
        "Bonjour {handle}, est-ce que {product} est disponible en ce moment ?",
        "{handle} c'est possible d'avoir une facture ?",
        "{handle} vous avez un numéro de téléphone pour vous joindre ?",
        "Petite question {handle} : vous recrutez en alternance ?",
    ],
    "complaint": [
        "{handle} aucune réponse à mon mail depuis une semaine, c'est inadmissible",
        "{handle} j'ai été débité deux fois, vous pouvez regarder ?",
        "{handle} personne ne répond au téléphone, c'est normal ?",
        "Toujours pas de réponse {handle}… je commence à perdre patience 😤",
    ],
}

FR_SECTOR: dict[str, dict[str, list[str]]] = {
    "bakery": {
        "pos": [
            "Les croissants de {brand} sont une tuerie {emo}",
            "Meilleure baguette tradition de Lyon, sans hésiter 🥖",
            "{product} de chez {brand} trop bon 😋",
            "Le flan de {brand} 😍 je pourrais en manger tous les jours",
            "Petit-déj du dimanche avec {product} de {brand}, le bonheur ☕🥐",
            "Accueil toujours aussi sympa chez {brand}, et le pain est top",
            "Merci {brand} pour le gâteau d'anniversaire, tout le monde a adoré !!",
        ],
        "neu": [
            "Passée devant {brand} ce matin, il y avait une queue énorme",
            "{brand} ouvre une nouvelle boutique à Caluire apparemment",
            "Qui connaît {brand} ? Il paraît que leurs croissants sont réputés",
            "Tradition ou campagne, vous prenez quoi chez {brand} ?",
        ],
        "neg": [
            "Baguette pas cuite ce matin chez {brand}, dommage",
            "{product} sec et cher, je ne recommande pas",
            "Les croissants de {brand} ont perdu en qualité je trouve",
            "Plus de pain à 18 h chez {brand}, sérieusement ?",
        ],
        "question": [
            "{handle} vous livrez le dimanche ?",
            "{handle} vous faites des gâteaux sans gluten ?",
            "Bonjour {handle}, il reste des galettes à la Croix-Rousse ?",
            "{handle} c'est possible de commander 50 viennoiseries pour un séminaire ?",
            "{handle} le click & collect marche aussi le lundi ?",
        ],
        "complaint": [
            "{handle} ma commande click & collect n'était pas prête, deuxième fois ce mois-ci",
            "{handle} il manquait deux croissants dans mon sachet 😤",
            "{handle} vendeuse très désagréable ce matin à Villeurbanne",
        ],
    },
    "software": {
        "pos": [
            "On utilise {brand} depuis un an : plannings bouclés en 10 minutes au lieu d'une "
            "demi-journée 👏",
            "Support {brand} ultra réactif, problème réglé en 20 minutes",
            "{product} de {brand} nous change la vie côté RH",
            "Franchement {brand} c'est l'outil RH le plus simple qu'on ait testé",
            "Merci {brand} pour le webinaire, très concret 👍",
            "Migration vers {brand} terminée, aucun souci, équipe au top",
        ],
        "neu": [
            "Des retours sur {brand} pour une PME de 80 personnes ?",
            "{brand} ou un tableur, pour 15 salariés ça vaut le coup ?",
            "{brand} recrute des devs à Nantes, pour ceux que ça intéresse",
            "Comparatif des logiciels de planning : {brand}, Planeo, Tempora…",
            "Quelqu'un a testé l'intégration de {brand} avec Silae ?",
        ],
        "neg": [
            "L'appli mobile de {brand} plante encore, pas terrible pour un outil payant",
            "Le nouveau tarif de {brand} pique un peu… +20 % sans prévenir",
            "{product} de {brand} c'est lent, vraiment lent",
            "Je ne recommande pas {brand} pour les horaires décalés, trop rigide",
        ],
        "question": [
            "{handle} l'export paie gère les heures de nuit ?",
            "{handle} vous avez une API publique ?",
            "{handle} c'est possible d'avoir une démo pour 3 sites ?",
            "{handle} vos données sont hébergées en France ?",
        ],
        "complaint": [
            "{handle} impossible de me connecter depuis ce matin, vous pouvez regarder ?",
            "{handle} ticket ouvert il y a 5 jours, toujours sans réponse",
            "{handle} l'export paie a sauté des lignes, c'est grave pour nous",
        ],
    },
}

FR_EVENTS: dict[str, dict[str, list[str]]] = {
    "bakery-buzz": {
        "neg": [
            "Un cheveu dans le flan chez {brand} ?? 🤢 la vidéo tourne partout",
            "Je ne mettrai plus les pieds chez {brand} après cette vidéo",
            "Hygiène zéro chez {brand}, dégoûtée 🤮",
            "#BoycottDupont franchement la vidéo est immonde",
            "Et dire que j'achetais mon pain là-bas tous les jours… {emo}",
            "Bravo {brand}, belle pub sur TikTok 👏 (non)",
        ],
        "complaint": [
            "{handle} vous comptez réagir à la vidéo ou pas ?",
            "{handle} j'ai acheté un flan hier à la Croix-Rousse, je dois m'inquiéter ?",
            "{handle} c'est quoi cette histoire d'hygiène ?? On attend des explications",
        ],
        "neu": [
            "La vidéo sur {brand} est peut-être un fake non ? 🤔",
            "Ça arrive partout ce genre de chose, attendons la réponse de {brand}",
        ],
        "pos": [
            "Soutien à {brand}, j'y vais depuis 10 ans et jamais eu un souci ❤️",
            "Réponse très claire de {brand}, ça me rassure. J'y retourne !",
        ],
    },
    "software-buzz": {
        "neg": [
            "2e jour de panne chez {brand}, c'est inadmissible pour un outil payant",
            "Aucune communication de {brand} sur la panne, bravo 👏 (non)",
            "On paie pour un service qui ne marche pas. Je ne recommande pas {brand}.",
            "PANNE {brand} ENCORE !!! 40 salariés sans planning ce matin",
            "{brand} en carafe depuis hier, on refait tout sur papier 🙃",
        ],
        "complaint": [
            "{handle} toujours en panne ?? On ne peut plus faire les plannings",
            "{handle} un geste commercial est prévu pour la panne ?",
            "{handle} quand est-ce que ça revient ? On a des équipes à planifier !",
        ],
        "neu": [
            "Quelqu'un d'autre a {brand} en panne ou c'est juste nous ?",
            "Page de statut de {brand} : incident en cours depuis 8 h 40",
        ],
        "pos": [
            "Ça revient ! Merci aux équipes de {brand} d'avoir tenu au courant",
            "Post-mortem de {brand} très transparent, respect 👏",
        ],
    },
    "bakery-launch": {
        "pos": [
            "Le croissant pistache de {brand} 😍😍 trooop bon",
            "Testé le croissant pistache : validé à 200 % 💚",
            "Enfin un vrai croissant pistache à Lyon, merci {brand} !!",
        ],
    },
    "software-launch": {
        "pos": [
            "Testé Pilote IA ce matin : bluffant, le planning de la semaine en 2 minutes",
            "La démo de Pilote IA par {brand} 🤯 ça va faire gagner un temps fou",
            "Enfin une IA utile pour les RH. Bravo {brand} 🚀",
        ],
        "neu": ["Pilote IA de {brand} : quelqu'un l'a déjà en production ?"],
    },
}
