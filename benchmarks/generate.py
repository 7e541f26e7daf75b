"""Generate synthetic but realistic, valid timelines (format v1) for benchmarks.

    python benchmarks/generate.py --events 10000 --out /tmp/events-10k.yaml [--seed N]

or, from Python::

    from benchmarks.generate import generate_timeline
    text = generate_timeline(10_000, seed=0)

The output is deterministic for a given (events, seed), passes ``timeline check`` with no
errors and no warnings, and is written the way editors write the seed file: quoted dates,
folded (``>-``) Markdown summaries, flow lists for actors and tags, comments here and there,
Arabic names. It has a few hundred sources, about 100 actors and 100 places, events spread
over 2011-2020 in every date form the format knows (day, month, year, ``~``, ``?``, ``%``,
intervals), claims, quoted citations, tags and a handful of narratives. An event takes
about 1 KB, so 10,000 events make a file of about 10 MB.

The people, quotes and articles are invented; countries, organisations and places are
real names used only to make the text look like the real thing.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

STATUSES = ("confirmed", "reported", "claimed", "disputed")
STATUS_WEIGHTS = (30, 45, 15, 10)

FIRST_DAY = date(2011, 3, 15)
LAST_DAY = date(2020, 12, 31)

# (name, Arabic name or None, latitude, longitude) -- coordinates are approximate.
PLACES = [
    ("Aleppo", "حلب", 36.20, 37.16), ("Eastern Aleppo", "شرق حلب", 36.20, 37.19),
    ("Damascus", "دمشق", 33.51, 36.29), ("Homs", "حمص", 34.73, 36.71),
    ("Hama", "حماة", 35.13, 36.75), ("Idlib", "إدلب", 35.93, 36.63),
    ("Latakia", "اللاذقية", 35.52, 35.79), ("Tartus", "طرطوس", 34.89, 35.89),
    ("Raqqa", "الرقة", 35.95, 39.01), ("Deir ez-Zor", "دير الزور", 35.34, 40.14),
    ("Daraa", "درعا", 32.62, 36.10), ("Al-Hasakah", "الحسكة", 36.50, 40.75),
    ("Qamishli", "القامشلي", 37.05, 41.23), ("Kobani", "عين العرب", 36.89, 38.35),
    ("Manbij", "منبج", 36.53, 37.95), ("Afrin", "عفرين", 36.51, 36.87),
    ("Palmyra", "تدمر", 34.56, 38.27), ("Douma", "دوما", 33.57, 36.40),
    ("Eastern Ghouta", "الغوطة الشرقية", 33.55, 36.45), ("Darayya", "داريا", 33.46, 36.24),
    ("Madaya", "مضايا", 33.69, 36.10), ("Zabadani", "الزبداني", 33.72, 36.10),
    ("Khan Shaykhun", "خان شيخون", 35.44, 36.65), ("Maarat al-Numan", "معرة النعمان", 35.64, 36.67),
    ("Saraqib", "سراقب", 35.86, 36.80), ("Jisr al-Shughur", "جسر الشغور", 35.81, 36.32),
    ("Al-Bab", "الباب", 36.37, 37.52), ("Azaz", "أعزاز", 36.59, 37.05),
    ("Jarabulus", "جرابلس", 36.82, 38.01), ("Tal Abyad", "تل أبيض", 36.70, 38.95),
    ("Ras al-Ayn", "رأس العين", 36.85, 40.07), ("Al-Mayadin", "الميادين", 35.02, 40.45),
    ("Abu Kamal", "البوكمال", 34.45, 40.92), ("Quneitra", "القنيطرة", 33.13, 35.82),
    ("As-Suwayda", "السويداء", 32.71, 36.57), ("Qusayr", "القصير", 34.51, 36.58),
    ("Yarmouk camp", "مخيم اليرموك", 33.47, 36.30), ("Handarat camp", "مخيم حندرات", 36.27, 37.16),
    ("Ramadi", "الرمادي", 33.42, 43.30), ("Mosul", "الموصل", 36.34, 43.13),
    ("Baghdad", "بغداد", 33.31, 44.37), ("Beirut", "بيروت", 33.89, 35.50),
    ("Amman", "عمّان", 31.95, 35.93), ("Gaziantep", None, 37.07, 37.38),
    ("Geneva", None, 46.20, 6.14), ("Astana", None, 51.17, 71.45),
    ("Sochi", None, 43.60, 39.73), ("Vienna", None, 48.21, 16.37),
    ("UN Headquarters, New York", None, 40.75, -73.97), ("Moscow", None, 55.76, 37.62),
]
DISTRICTS = ["al-Sukkari", "al-Shaar", "Bustan al-Qasr", "al-Sakhour", "Masaken Hanano",
             "al-Ansari", "Salaheddine", "al-Kalaseh", "Karm al-Jabal", "Tariq al-Bab",
             "Jobar", "Qaboun", "Barzeh", "Harasta", "Zamalka", "Ain Tarma", "Arbin",
             "Kafr Batna", "Saqba", "Hamouriyah", "al-Waer", "Baba Amr", "Khalidiya",
             "Bab Amr", "al-Qadam", "al-Hajar al-Aswad", "Tadamon", "Qudsaya", "al-Tal",
             "Wadi Barada", "Kafr Nabl", "Ariha", "Binnish", "Sarmin", "Taftanaz",
             "Atarib", "Daret Azza", "Anadan", "Haritan", "Tal Rifaat", "Mare",
             "Nubl", "Zahraa", "Kuweires", "Sheikh Maqsoud", "Ashrafieh", "Ramouseh",
             "Khan Touman", "al-Eis", "Zarbah"]

COUNTRIES = [("Syrian government", "الحكومة السورية"), ("Syrian army", "الجيش العربي السوري"),
             ("Russia", "روسيا"), ("United States", "الولايات المتحدة"), ("Turkey", "تركيا"),
             ("Iran", "إيران"), ("France", "فرنسا"), ("United Kingdom", "المملكة المتحدة"),
             ("China", "الصين"), ("Saudi Arabia", "السعودية"), ("Qatar", "قطر"),
             ("Jordan", "الأردن"), ("Lebanon", "لبنان"), ("Israel", "إسرائيل"),
             ("Germany", "ألمانيا"), ("Iraq", "العراق"), ("Egypt", "مصر"),
             ("United Arab Emirates", "الإمارات العربية المتحدة")]
ORGANISATIONS = [
    ("United Nations", "الأمم المتحدة", "The UN Secretariat and its agencies."),
    ("UN Security Council", "مجلس الأمن", None),
    ("World Health Organization", "منظمة الصحة العالمية", None),
    ("UNHCR", "المفوضية السامية للأمم المتحدة لشؤون اللاجئين", "The UN refugee agency."),
    ("UNICEF", "اليونيسف", None),
    ("OPCW", "منظمة حظر الأسلحة الكيميائية", "Organisation for the Prohibition of Chemical Weapons."),
    ("International Committee of the Red Cross", "اللجنة الدولية للصليب الأحمر", None),
    ("Syrian Arab Red Crescent", "الهلال الأحمر العربي السوري", None),
    ("Syrian Observatory for Human Rights", "المرصد السوري لحقوق الإنسان", "A monitoring group based in Britain."),
    ("Syria Civil Defence", "الدفاع المدني السوري", "Rescue workers known as the White Helmets."),
    ("Médecins Sans Frontières", None, "The medical aid organisation, also known as Doctors Without Borders."),
    ("Amnesty International", None, None), ("Human Rights Watch", None, None),
    ("Syrian American Medical Society", None, None),
    ("Violations Documentation Center", "مركز توثيق الانتهاكات", None),
    ("Hezbollah", "حزب الله", "The Lebanese Shi'ite movement and militia."),
    ("Free Syrian Army", "الجيش السوري الحر", None),
    ("Islamic State", "الدولة الإسلامية", "The jihadist group, also known as ISIS or ISIL."),
    ("Jabhat Fateh al-Sham", "جبهة فتح الشام", "Formerly the Nusra Front."),
    ("Ahrar al-Sham", "أحرار الشام", None), ("Jaish al-Islam", "جيش الإسلام", None),
    ("Syrian Democratic Forces", "قوات سوريا الديمقراطية", None),
    ("YPG", "وحدات حماية الشعب", "The Kurdish People's Protection Units."),
    ("Syrian National Coalition", "الائتلاف الوطني السوري", None),
    ("High Negotiations Committee", "الهيئة العليا للمفاوضات", None),
    ("Rebel groups", None, "Armed groups fighting President Bashar al-Assad's forces."),
    ("Residents", None, "Residents speaking to reporters, usually by telephone."),
    ("State media", None, "Syrian state television and the SANA news agency."),
]
GIVEN = ["Ahmad", "Layla", "Omar", "Rania", "Khaled", "Nour", "Yusuf", "Huda", "Sami",
         "Dima", "Tariq", "Mariam", "Hassan", "Lina", "Ibrahim", "Salma", "Anna", "Pierre",
         "James", "Elena", "Dmitri", "Sarah", "Mehmet", "Ayşe", "Karim", "Fatima"]
FAMILY = ["Haddad", "Khalil", "al-Hamwi", "Mansour", "Darwish", "Sabbagh", "Nasser",
          "al-Halabi", "Kassem", "Ayoub", "Petrov", "Morel", "Walker", "Fischer", "Yılmaz",
          "Okafor", "Lindqvist", "Romano", "Ivanova", "Bakr", "Jaber", "Othman"]
ROLES = ["foreign minister", "UN envoy", "military spokesman", "rebel commander",
         "ambassador to the United Nations", "aid worker", "doctor", "local council head",
         "opposition negotiator", "defence ministry spokesman", "human rights researcher"]

PUBLISHERS = [("Reuters", "www.reuters.com", "en"), ("Associated Press", "apnews.com", "en"),
              ("Agence France-Presse", "www.afp.com", "fr"), ("BBC News", "www.bbc.com", "en"),
              ("Al Jazeera", "www.aljazeera.com", "en"), ("Al Jazeera Arabic", "www.aljazeera.net", "ar"),
              ("The Guardian", "www.theguardian.com", "en"), ("Enab Baladi", "www.enabbaladi.net", "ar"),
              ("SANA", "sana.sy", "ar"), ("TASS", "tass.com", "ru"), ("RIA Novosti", "ria.ru", "ru"),
              ("Anadolu Agency", "www.aa.com.tr", "tr"), ("Le Monde", "www.lemonde.fr", "fr"),
              ("The New York Times", "www.nytimes.com", "en"), ("The Washington Post", "www.washingtonpost.com", "en"),
              ("Asharq Al-Awsat", "aawsat.com", "ar"), ("Syria Direct", "syriadirect.org", "en"),
              ("UN News", "news.un.org", "en"), ("OCHA", "reliefweb.int", "en"),
              ("Der Spiegel", "www.spiegel.de", "de"), ("Bloomberg", "www.bloomberg.com", "en")]

TAGS = ["military", "air-strikes", "shelling", "ground-offensive", "siege", "ceasefire",
        "diplomacy", "humanitarian", "aid-convoy", "casualties", "civilians", "hospitals",
        "chemical-weapons", "incendiary-weapons", "barrel-bombs", "refugees", "displacement",
        "evacuation", "negotiations", "un-security-council", "sanctions", "prisoners",
        "detention", "protests", "reconstruction", "water", "electricity", "schools",
        "journalists", "kidnapping", "landmines", "bread", "fuel", "border", "background"]

VERBS = ["shell", "bomb", "enter", "besiege", "evacuate", "recapture", "attack", "secure",
         "encircle", "reach", "withdraw from", "negotiate over", "deliver aid to"]
OBJECTS = ["the old city", "the main road", "the hospital", "the bakery", "a market",
           "the water station", "the airbase", "the bridge", "the grain silos",
           "a school", "the power plant", "the ring road", "the industrial zone",
           "residential districts", "the border crossing", "the camp"]
CLAUSES = [
    "according to residents reached by telephone",
    "the report said, without giving a source",
    "in what monitors called the heaviest bombardment in weeks",
    "while aid agencies warned of shortages of food and fuel",
    "a claim that could not be independently verified",
    "as talks in Geneva stalled",
    "days after a local truce was announced",
    "despite a pledge to allow aid convoys through",
    "shortly before dawn",
    "the second such attack in a week",
]
ADJECTIVES = ["heavy", "sporadic", "renewed", "intense", "fresh", "limited", "sustained"]
NUMBERS = ["at least 12", "more than 30", "some 20", "dozens of", "hundreds of", "at least 7",
           "nearly 50", "about 250,000", "tens of thousands of", "several"]
QUOTES = [
    "We could hear the planes circling for hours before the first strike",
    "The convoy was hit while it was unloading",
    "Our forces are targeting only terrorist positions",
    "There is no more medicine in the hospital and the generators have stopped",
    "The truce exists only on paper",
    "We call on all parties to allow safe passage for civilians",
    "The claims are fabricated and have nothing to do with reality",
    "Hundreds of families left the district overnight",
    "The water station has been out of service for nine days",
    "We retook the positions after a counter-attack at night",
]


_ASCII = str.maketrans({"ş": "s", "ı": "i", "é": "e", "è": "e", "ç": "c", "ö": "o", "ü": "u",
                        "'": None, "’": None})


def _slug(text: str) -> str:
    ascii_text = text.lower().translate(_ASCII)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()'\-]*[A-Za-z0-9.)]")


def _scalar(text: str) -> str:
    """Plain when YAML would read it back as the same text, double-quoted otherwise."""
    if _PLAIN.fullmatch(text) and ": " not in text and " #" not in text \
            and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null"):
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folded(text: str, indent: int, width: int = 78) -> list[str]:
    """A ``>-`` block scalar body: the text wrapped into lines at ``indent`` spaces."""
    pad = " " * indent
    lines, line = [], ""
    for word in text.split(" "):
        if line and indent + len(line) + 1 + len(word) > width:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(pad + line)
    return lines


class _Generator:
    def __init__(self, events: int, seed: int):
        self.n_events = events
        self.rng = random.Random(f"timeline-bench:{seed}")
        self.out: list[str] = []

    # -- registries -----------------------------------------------------------------------
    def make_actors(self) -> None:
        rng = self.rng
        actors = []  # (id, name, arabic, description)
        for name, arabic in COUNTRIES:
            actors.append((_slug(name), name, arabic, None))
        for name, arabic, description in ORGANISATIONS:
            actors.append((_slug(name), name, arabic, description))
        seen = {a[0] for a in actors}
        while len(actors) < 100:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            ident = _slug(name)
            if ident in seen:
                continue
            seen.add(ident)
            role = rng.choice(ROLES)
            where = rng.choice(COUNTRIES)[0]
            actors.append((ident, name, None, f"{where} {role} (invented for the benchmark)."))
        self.actors = actors
        self.actor_ids = [a[0] for a in actors]

    def make_places(self) -> None:
        rng = self.rng
        places = []  # (id, name, arabic, lat, lon, description)
        for name, arabic, lat, lon in PLACES:
            places.append((_slug(name), name, arabic, lat, lon, None))
        for district in DISTRICTS:
            city, _, lat, lon = rng.choice(PLACES[:12])
            name = f"{district}, {city}"
            has_coordinates = rng.random() < 0.6
            places.append((_slug(name), name, None,
                           round(lat + rng.uniform(-0.05, 0.05), 4) if has_coordinates else None,
                           round(lon + rng.uniform(-0.05, 0.05), 4) if has_coordinates else None,
                           f"A district of {city}." if rng.random() < 0.5 else None))
        self.places = places
        self.place_ids = [p[0] for p in places]

    def make_sources(self) -> None:
        rng = self.rng
        count = min(300, max(1, self.n_events // 4))
        span = (LAST_DAY - FIRST_DAY).days
        sources = []
        seen = set()
        while len(sources) < count:
            publisher, domain, language = rng.choice(PUBLISHERS)
            published = FIRST_DAY + timedelta(days=rng.randrange(span))
            headline = self.headline()
            ident = f"{_slug(publisher)[:20].strip('-')}-{published.isoformat()}"
            if ident in seen:
                ident = f"{ident}-{len(sources)}"
            seen.add(ident)
            sources.append((ident, publisher, domain, language, published, headline))
        self.sources = sources
        self.source_ids = [s[0] for s in sources]

    # -- text -------------------------------------------------------------------------------
    def headline(self, actor: str | None = None, place: str | None = None) -> str:
        rng = self.rng
        actor = actor or rng.choice(COUNTRIES + [(o[0], o[1]) for o in ORGANISATIONS])[0]
        place = place or rng.choice(PLACES)[0]
        forms = [
            f"{actor} forces {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {place}",
            f"{rng.choice(NUMBERS).capitalize()} killed in {rng.choice(ADJECTIVES)} strikes "
            f"on {place}",
            f"{actor} says it will {rng.choice(VERBS)} {rng.choice(OBJECTS)} near {place}",
            f"Aid agencies warn of shortages in {place} as fighting continues",
            f"{actor}: talks on {place} to resume next week",
        ]
        return rng.choice(forms)

    def link(self, words: str) -> str:
        _, publisher, domain, _, published, headline = self.rng.choice(self.sources)
        return f"[{words}](https://{domain}/{published:%Y/%m/%d}/{_slug(headline)[:40]})"

    def summary(self, place_name: str, actor_names: list[str]) -> str:
        rng = self.rng
        who = actor_names[0] if actor_names else "Unidentified forces"
        other = actor_names[1] if len(actor_names) > 1 else "the opposition"
        sentences = [
            f"{who} launched {rng.choice(ADJECTIVES)} attacks on {rng.choice(OBJECTS)} "
            f"in {place_name}, {rng.choice(CLAUSES)}.",
            f"{rng.choice(NUMBERS).capitalize()} people were reported killed or wounded, "
            f"*{rng.choice(CLAUSES)}*.",
            f"{other} said the strikes hit {rng.choice(OBJECTS)}; this is **disputed** by "
            f"{who}, {rng.choice(CLAUSES)}.",
            f"An earlier {self.link('report')} described the situation as "
            f"\"{rng.choice(QUOTES).lower()}\".",
            f"The account rests on {self.link('a wire report')} and statements by "
            f"{other}, {rng.choice(CLAUSES)}.",
            f"See also the _{rng.choice(ADJECTIVES)}_ fighting around {rng.choice(PLACES)[0]}, "
            f"{rng.choice(CLAUSES)}.",
        ]
        rng.shuffle(sentences)
        return " ".join(sentences[:rng.choice((2, 2, 3, 3, 4))])

    def when(self, day: date) -> str:
        """A date in one of the forms the format knows, starting on ``day``."""
        rng = self.rng
        roll = rng.random()
        q = rng.choice(["~", "?", "%"])
        if roll < 0.50:
            return day.isoformat()
        if roll < 0.60:
            return f"{day:%Y-%m}"
        if roll < 0.63:
            return f"{day:%Y}"
        if roll < 0.71:
            return f"{day.isoformat()}~" if rng.random() < 0.5 else f"{day:%Y-%m}~"
        if roll < 0.78:
            return f"{day.isoformat()}?" if rng.random() < 0.7 else f"{day:%Y}?"
        if roll < 0.80:
            return f"{day.isoformat()}%"
        end = min(day + timedelta(days=rng.randint(1, 90)), LAST_DAY)
        form = rng.random()
        if form < 0.6:
            return f"{day.isoformat()}/{end.isoformat()}"
        if form < 0.8:
            return f"{day:%Y-%m}/{end:%Y-%m}"
        return f"{day.isoformat()}{q}/{end.isoformat()}"

    # -- output -----------------------------------------------------------------------------
    def emit(self, line: str = "") -> None:
        self.out.append(line)

    def write_header(self) -> None:
        self.emit("# yaml-language-server: $schema=./schema/events.schema.json")
        self.emit("#")
        self.emit(f"# Synthetic benchmark timeline: {self.n_events} events, generated by")
        self.emit("# benchmarks/generate.py. The people, quotes and articles are invented.")
        self.emit()
        self.emit("timeline:")
        self.emit("  title: Synthetic benchmark timeline, Syria 2011-2020")
        self.emit("  description: >-")
        self.out.extend(_folded(
            "A generated timeline used to measure how fast the records are checked and the "
            "site is built. It has the shape of a real one: *sources*, actors, places, "
            "events with claims and quotes, and narratives.", 4))
        self.emit()

    def write_sources(self) -> None:
        rng = self.rng
        self.emit("sources:")
        for ident, publisher, domain, language, published, headline in self.sources:
            self.emit(f"  {ident}:")
            self.emit(f"    title: {_quoted(headline)}")
            self.emit(f"    publisher: {_scalar(publisher)}")
            day_precision = rng.random() < 0.9
            self.emit(f'    published: "{published.isoformat() if day_precision else f"{published:%Y-%m}"}"')
            roll = rng.random()
            url = f"https://{domain}/{published:%Y/%m/%d}/{_slug(headline)[:70]}"
            if roll < 0.85:
                self.emit(f"    url: {url}")
            if roll < 0.5:
                day = published + timedelta(days=rng.randint(0, 30))
                stamp = f"{day:%Y%m%d}{rng.randint(0, 235959):06d}"
                self.emit(f"    archive_url: https://web.archive.org/web/{stamp}/{url}")
            elif roll < 0.7:
                self.emit('    archive_url: ""')
            if roll < 0.85 and rng.random() < 0.7:
                accessed = min(published + timedelta(days=rng.randint(0, 400)), LAST_DAY)
                self.emit(f'    accessed: "{accessed.isoformat()}"')
            if rng.random() < 0.4:
                self.emit(f"    author: {rng.choice(GIVEN)} {rng.choice(FAMILY)}")
            self.emit(f"    language: {language}")
            if roll >= 0.85:
                self.emit("    note: >-")
                self.out.extend(_folded(
                    "No address is recorded for this wire report, so it is cited without a "
                    "URL; the text is held in the project's source archive.", 6))
        self.emit()

    def write_actors(self) -> None:
        self.emit("actors:")
        for ident, name, arabic, description in self.actors:
            self.emit(f"  {ident}:")
            self.emit(f"    name: {_scalar(name)}")
            if arabic:
                if self.rng.random() < 0.8:
                    self.emit(f'    names: {{ar: "{arabic}"}}')
                else:
                    self.emit("    names:")
                    self.emit(f"      ar: {arabic}")
            if description:
                self.emit(f"    description: {_scalar(description)}")
        self.emit()

    def write_places(self) -> None:
        self.emit("places:")
        for ident, name, arabic, lat, lon, description in self.places:
            self.emit(f"  {ident}:")
            self.emit(f"    name: {_scalar(name)}")
            if arabic:
                self.emit(f'    names: {{ar: "{arabic}"}}')
            if description:
                self.emit(f"    description: {_scalar(description)}")
            if lat is not None:
                self.emit(f"    lat: {lat}")
                self.emit(f"    lon: {lon}")
        self.emit()

    def write_events(self) -> None:
        rng = self.rng
        n = self.n_events
        span = (LAST_DAY - FIRST_DAY).days
        # Mostly chronological, as editors add events, with some added out of order.
        days = sorted(FIRST_DAY + timedelta(days=rng.randrange(span)) for _ in range(n))
        for _ in range(n // 20):
            i, j = rng.randrange(n), rng.randrange(n)
            days[i], days[j] = days[j], days[i]
        actor_names = dict((a[0], a[1]) for a in self.actors)
        place_names = dict((p[0], p[1]) for p in self.places)
        self.tag_seen: list[str] = []
        self.event_ids: list[str] = []
        self.event_actors: list[str] = []
        self.event_years: list[int] = []
        self.emit("events:")
        for number, day in enumerate(days):
            place = rng.choice(self.place_ids) if rng.random() < 0.85 else None
            actors = rng.sample(self.actor_ids, rng.choice((1, 1, 2, 2, 3, 4)))
            tags = rng.sample(TAGS, rng.choice((1, 2, 2, 3, 4)))
            title = self.headline(actor_names[actors[0]] if rng.random() < 0.5 else None,
                                  place_names[place].split(",")[0] if place else None)
            ident = f"{day:%Y-%m-%d}-{_slug(title)[:40].strip('-')}-{number}"
            self.event_ids.append(ident)
            self.event_actors.extend(a for a in actors[:1] if a not in self.event_actors)
            self.event_years.append(day.year)
            self.tag_seen.extend(tags[:1])
            # Every source is cited by some event, so no 'unused-source' warnings.
            cited = [self.source_ids[number % len(self.source_ids)]]
            cited += [s for s in rng.sample(self.source_ids, min(len(self.source_ids), 2))
                      if s not in cited][:rng.choice((0, 1, 1, 2, 0))]
            if number % 7 == 0:
                self.emit(f"  # Added from {cited[0]}; dates resolved against the "
                          "publication date.")
            self.emit(f"  - id: {ident}")
            self.emit(f'    date: "{self.when(day)}"')
            self.emit(f"    title: {_scalar(title)}")
            self.emit("    summary: >-")
            self.out.extend(_folded(self.summary(place_names.get(place, "the area"),
                                                 [actor_names[a] for a in actors]), 6))
            if place:
                self.emit(f"    place: {place}")
            if rng.random() < 0.9:
                self.emit(f"    actors: [{', '.join(actors)}]")
            else:
                self.emit("    actors:")
                self.out.extend(f"      - {a}" for a in actors)
            self.emit(f"    tags: [{', '.join(tags)}]")
            self.emit(f"    status: {rng.choices(STATUSES, STATUS_WEIGHTS)[0]}")
            claims = rng.choice((0, 0, 0, 1, 1, 2))
            if claims:
                self.emit("    claims:")
                for _ in range(claims):
                    by = rng.choice(actors)
                    text = (f"{rng.choice(QUOTES)}, {rng.choice(CLAUSES)} "
                            f"({actor_names[by]}, as reported).")
                    self.emit(f"      - by: {by}")
                    self.emit(f"        text: {_scalar(text)}")
                    self.emit(f"        source: {rng.choice(cited)}")
            self.emit("    sources:")
            for k, source in enumerate(cited):
                if rng.random() < (0.75 if k == 0 else 0.2):
                    quote = f"{rng.choice(QUOTES)}, {rng.choice(CLAUSES)}."
                    self.emit(f"      - source: {source}")
                    self.emit(f"        quote: {_quoted(quote)}")
                else:
                    self.emit(f"      - {source}")
            self.emit()

    def write_narratives(self) -> None:
        rng = self.rng
        n = self.n_events
        self.emit("narratives:")
        # An explicit list of events.
        picked = sorted(rng.sample(range(n), min(n, 12)))
        self.emit("  - id: selected-events")
        self.emit("    title: A hand-picked selection")
        self.emit("    intro: >-")
        self.out.extend(_folded("Events chosen by an editor, told in the order they happened. "
                                "See the *full timeline* for context.", 6))
        self.emit("    events:")
        self.out.extend(f"      - {self.event_ids[i]}" for i in picked)
        # Selections by tag, by actor and by date; each matches at least one event.
        for k in range(max(1, n // 2000)):
            tag = self.tag_seen[rng.randrange(len(self.tag_seen))]
            self.emit(f"  - id: by-tag-{tag}-{k}")
            self.emit(f"    title: Everything tagged {tag}")
            self.emit(f"    intro: Every event tagged **{tag}**.")
            self.emit(f"    tags: [{tag}]")
        self.emit("  - id: by-actor")
        self.emit("    title: Events involving the first actors")
        self.emit("    intro: Every event in which one of these actors appears.")
        self.emit(f"    actors: [{', '.join(self.event_actors[:3])}]")
        year = self.event_years[len(self.event_years) // 2]
        self.emit(f"  - id: year-{year}")
        self.emit(f"    title: The year {year}")
        self.emit(f"    intro: Every event that may have happened in {year}.")
        self.emit(f'    from: "{year}"')
        self.emit(f'    to: "{year}"')
        self.emit("  - id: everything")
        self.emit("    title: The whole period")
        self.emit("    intro: Every event, as a check that date selections reach the ends.")
        self.emit(f'    from: "{FIRST_DAY.year}"')
        self.emit(f'    to: "{LAST_DAY.year}"')

    def generate(self) -> str:
        self.make_actors()
        self.make_places()
        self.make_sources()
        self.write_header()
        self.write_sources()
        self.write_actors()
        self.write_places()
        self.write_events()
        self.write_narratives()
        return "\n".join(self.out) + "\n"


def generate_timeline(events: int, seed: int = 0) -> str:
    """A valid format-v1 timeline with ``events`` events, as YAML text (deterministic)."""
    if events < 1:
        raise ValueError("a timeline needs at least one event")
    return _Generator(events, seed).generate()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000,
                        help="number of events (default 10000)")
    parser.add_argument("--out", type=Path, required=True, help="file to write ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    text = generate_timeline(args.events, args.seed)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out}: {args.events} events, {len(text.encode('utf-8')):,} bytes",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
