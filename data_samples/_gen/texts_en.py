"""English mention banks (generic, fashion, events) and a few Spanish and German lines."""

from __future__ import annotations

__all__ = ["EN_EVENTS", "EN_GENERIC", "EN_SECTOR", "OTHER_LANGS"]

EN_GENERIC: dict[str, list[str]] = {
    "pos": [
        "Really happy with {brand} {emo}",
        "Not bad at all, actually. {brand} surprised me",
        "Absolutely love {brand}, can't recommend them enough",
        "The {product} from {brand} is so good {emo}",
        "Great service from {brand} today, thank you!",
        "No complaints at all, {brand} never disappoints",
        "Big fan of what {brand} is doing 👏",
    ],
    "neu": [
        "Has anyone tried the {product} from {brand}?",
        "Saw an ad for {brand} on the tube this morning",
        "{brand} or the others, what do you think?",
        "Interesting piece about {brand} in the Guardian today",
        "Apparently {brand} is opening a pop-up in Shoreditch",
    ],
    "neg": [
        "I don't love it. The {product} from {brand} was a letdown",
        "Not great, {brand}. Not great at all.",
        "Honestly disappointed with {brand} this time {emo}",
        "Way overpriced for what it is, won't be going back",
        "Oh great, another 'exclusive' drop from {brand} that sells out in 3 minutes 🙄",
    ],
    "question": [
        "{handle} do you ship to Ireland?",
        "Hi {handle}, will the {product} be restocked soon?",
        "{handle} what's your returns policy for sale items?",
        "{handle} is there a student discount?",
    ],
    "complaint": [
        "{handle} I've emailed three times and nobody has replied",
        "{handle} I was charged twice for one order, can you check?",
        "{handle} the refund still hasn't arrived after 3 weeks 😤",
    ],
}

EN_SECTOR: dict[str, dict[str, list[str]]] = {
    "fashion": {
        "pos": [
            "The {product} from {brand} is EVERYTHING 😍",
            "Wore my {brand} {product} three days in a row, zero regrets",
            "Quality of the {brand} {product} is unreal for the price 🤍",
            "Obsessed with my new {product} from {brand}!!!",
            "Fit is perfect, fabric is gorgeous. {brand} has a customer for life",
            "Sooo happy with my {brand} order, arrived in 2 days ✨",
            "{brand} packaging is so cute, and no plastic 🌿",
        ],
        "neu": [
            "Is the {brand} {product} true to size?",
            "Thinking of getting the {product} from {brand}, any reviews?",
            "{brand} vs Northwear for knitwear?",
            "Just ordered from {brand} for the first time, fingers crossed",
        ],
        "neg": [
            "The {product} from {brand} shrank after one wash. Not impressed",
            "Sizing at {brand} is all over the place",
            "Love the look, but the {product} pilled within a week 👎",
            "'Sustainable' {brand} sending me 3 separate parcels… right 🙄",
        ],
        "question": [
            "{handle} when is the {product} back in a size 10?",
            "{handle} do you do gift wrapping?",
            "{handle} can I still change my delivery address?",
            "{handle} is the {product} lined?",
        ],
        "complaint": [
            "{handle} wrong size sent AGAIN, this is the second time",
            "{handle} my parcel says delivered but nothing here",
            "{handle} the return label in my order doesn't work",
        ],
    },
}

EN_EVENTS: dict[str, dict[str, list[str]]] = {
    "fashion-buzz": {
        "neg": [
            "Ordered 3 weeks ago, no tracking update. Never again {brand}. Terrible service 😡",
            "Worst delivery experience ever. {brand}, this is awful",
            "Great, my Christmas present will arrive in January. Thanks {brand} 🙃",
            "Still waiting... so frustrating #threadlinedelay",
            "STILL NO PARCEL. {brand} you are ruining Christmas 😡",
            "Don't order from {brand} before Christmas. Useless customer service, zero updates",
            "Really disappointed with {brand}, lost my order and no refund",
            "Love the clothes but the delivery is a joke right now",
        ],
        "complaint": [
            "{handle} where is my order?? Placed it on Black Friday and still nothing. "
            "Unacceptable 😡",
            "{handle} can you PLEASE answer your emails, this is ridiculous",
            "{handle} I need my order by the 24th, can you guarantee it or not?",
            "{handle} 19 days and counting. Awful. Refund please.",
            "{handle} no reply, no parcel, no refund. Terrible.",
        ],
        "neu": [
            "Anyone else waiting on a {brand} order? Mine says 'processing' since the 29th",
            "Apparently {brand} has a warehouse backlog after Black Friday",
        ],
        "pos": [
            "Finally got my {brand} parcel and the jumper is worth the wait 🤍",
            "Fair play to {brand} for the apology and the free express shipping",
        ],
    },
    "fashion-launch": {
        "pos": [
            "The Heritage Knit cardigan is EVERYTHING 😍",
            "{brand} Heritage Knit is stunning, knitted in Scotland too 🧶",
            "Just got the Heritage Knit jumper, sooo soft!!!",
        ],
        "neu": ["Has anyone seen the Heritage Knit in person? Worth £140?"],
    },
}

#: Spanish and German lines by tone (sector-neutral).
OTHER_LANGS: dict[str, dict[str, list[str]]] = {
    "es": {
        "pos": ["¡Muy bueno! Me encantó {brand} 😋", "Probé {brand} en mi viaje, ¡genial!"],
        "neu": ["¿Alguien conoce {brand}?", "Visto en Lyon/Londres: {brand}"],
        "neg": ["No me gustó nada, muy caro", "Qué decepción con {brand}"],
        "question": ["{handle} ¿envían a España?"],
        "complaint": ["{handle} mi pedido no ha llegado todavía"],
    },
    "de": {
        "pos": ["Richtig gut, klare Empfehlung! {emo}", "{brand} ist super, danke!"],
        "neu": ["Kennt jemand {brand}?", "Heute {brand} entdeckt"],
        "neg": ["Leider enttäuscht, viel zu teuer", "Nicht gut, {brand}. Schade."],
        "question": ["{handle} liefert ihr auch nach Deutschland?"],
        "complaint": ["{handle} meine Bestellung ist immer noch nicht da"],
    },
}
