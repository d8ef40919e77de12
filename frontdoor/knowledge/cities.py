"""Big cities of the countries ZuriSend sends from and to: customers name the city ("my mum in Nairobi").

Only the countries of the handbook's corridor table, by their handbook names. A city stands for its country
when the question names no country itself (``slots._spot_country``); for retrieval it is an entity, like a
country no article names, never a topic word.
"""

from __future__ import annotations

from typing import Dict, Tuple

CITIES_OF: Dict[str, Tuple[str, ...]] = {
    "United Kingdom": ("london", "manchester", "birmingham", "leeds", "glasgow", "liverpool", "leicester",
                       "bristol", "edinburgh", "cardiff", "belfast", "sheffield", "nottingham", "coventry", "luton"),
    "United States": ("new york", "los angeles", "chicago", "houston", "atlanta", "dallas", "boston",
                      "minneapolis", "seattle", "miami", "philadelphia"),
    "Canada": ("toronto", "montreal", "vancouver", "calgary", "ottawa", "edmonton", "winnipeg"),
    "France": ("paris", "lyon", "marseille", "toulouse", "lille"),
    "Germany": ("berlin", "munich", "hamburg", "frankfurt", "cologne"),
    "Italy": ("rome", "milan", "naples", "turin"),
    "Spain": ("madrid", "barcelona", "valencia", "seville"),
    "Netherlands": ("amsterdam", "rotterdam", "the hague"),
    "Belgium": ("brussels", "antwerp"),
    "Ireland": ("dublin",),
    "Kenya": ("nairobi", "mombasa", "kisumu", "nakuru", "eldoret"),
    "Uganda": ("kampala", "entebbe", "gulu"),
    "Tanzania": ("dar es salaam", "dodoma", "arusha", "mwanza", "zanzibar"),
    "Ghana": ("accra", "kumasi", "tamale", "takoradi"),
    "Nigeria": ("lagos", "abuja", "kano", "ibadan", "port harcourt", "enugu", "benin city"),
    "Senegal": ("dakar", "touba", "thies"),
    "Cameroon": ("yaounde", "douala", "bamenda"),
    "Zimbabwe": ("harare", "bulawayo"),
    "Ethiopia": ("addis ababa",),
    "Philippines": ("manila", "quezon city", "cebu", "davao"),
    "India": ("mumbai", "delhi", "new delhi", "bangalore", "bengaluru", "chennai", "kolkata"),
    "Pakistan": ("karachi", "lahore", "islamabad", "rawalpindi", "faisalabad", "peshawar"),
    "Bangladesh": ("dhaka", "chittagong", "sylhet"),
    "Mexico": ("mexico city", "guadalajara", "monterrey", "cancun", "puebla", "tijuana"),
}
"""Handbook country -> its big cities, folded."""
CITIES: Tuple[Tuple[str, str], ...] = tuple(
    sorted(((city, country) for country, cities in CITIES_OF.items() for city in cities), key=lambda p: -len(p[0]))
)
"""(folded city name, handbook country), longest names first ("new delhi" before "delhi")."""
