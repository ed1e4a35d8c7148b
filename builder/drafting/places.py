"""Countries in an article, named, by demonym or capital, or as a group ('the Baltic states')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

# pycountry has official and common names; news also uses these, which it lacks.
COUNTRY_ALIASES = {
    "Russia": "ru", "Britain": "gb", "Great Britain": "gb", "UK": "gb", "U.K.": "gb", "US": "us", "U.S.": "us",
    "USA": "us", "U.S.A.": "us", "Turkey": "tr", "Czech Republic": "cz", "Holland": "nl", "Ivory Coast": "ci",
    "Cape Verde": "cv", "Burma": "mm", "Macedonia": "mk", "Swaziland": "sz", "Vatican": "va", "Palestine": "ps",
    "the Netherlands": "nl", "East Timor": "tl", "America": "us",
}
_DEMONYMS = {
    "Afghan": "af", "Albanian": "al", "Algerian": "dz", "American": "us", "Argentine": "ar", "Argentinian": "ar",
    "Armenian": "am", "Australian": "au", "Austrian": "at", "Azerbaijani": "az", "Belarusian": "by",
    "Belgian": "be", "Bosnian": "ba", "Brazilian": "br", "British": "gb", "Bulgarian": "bg", "Canadian": "ca",
    "Chinese": "cn", "Colombian": "co", "Croatian": "hr", "Cypriot": "cy", "Czech": "cz", "Danish": "dk",
    "Dutch": "nl", "Egyptian": "eg", "Emirati": "ae", "Estonian": "ee", "Ethiopian": "et", "Finnish": "fi",
    "French": "fr", "Georgian": "ge", "German": "de", "Greek": "gr", "Hungarian": "hu", "Icelandic": "is",
    "Indian": "in", "Indonesian": "id", "Iranian": "ir", "Iraqi": "iq", "Irish": "ie", "Israeli": "il",
    "Italian": "it", "Japanese": "jp", "Jordanian": "jo", "Kazakh": "kz", "Kenyan": "ke", "Kuwaiti": "kw",
    "Latvian": "lv", "Lebanese": "lb", "Libyan": "ly", "Lithuanian": "lt", "Luxembourgish": "lu",
    "Mexican": "mx", "Moldovan": "md", "Montenegrin": "me", "Moroccan": "ma", "Nigerian": "ng",
    "Norwegian": "no", "Pakistani": "pk", "Palestinian": "ps", "Polish": "pl", "Portuguese": "pt",
    "Qatari": "qa", "Romanian": "ro", "Russian": "ru", "Saudi": "sa", "Serbian": "rs", "Slovak": "sk",
    "Slovenian": "si", "Somali": "so", "Spanish": "es", "Sudanese": "sd", "Swedish": "se", "Swiss": "ch",
    "Syrian": "sy", "Turkish": "tr", "Ukrainian": "ua", "Uzbek": "uz", "Venezuelan": "ve", "Vietnamese": "vn",
    "Yemeni": "ye",
    # irregular plurals: the people rather than the adjective
    "Poles": "pl", "Finns": "fi", "Swedes": "se", "Danes": "dk", "Turks": "tr", "Brits": "gb",
}
# Capitals that news uses for their governments ('Moscow says'); only these, as a city's name may also name a
# treaty or a conference held there.
_CAPITALS = {
    "Moscow": "ru", "Kremlin": "ru", "White House": "us",
    "Kyiv": "ua", "Kiev": "ua", "Warsaw": "pl", "Vilnius": "lt", "Riga": "lv", "Tallinn": "ee",
    "Helsinki": "fi", "Minsk": "by", "Beijing": "cn", "Tehran": "ir", "Beirut": "lb", "Washington": "us",
    "Berlin": "de", "Paris": "fr", "London": "gb", "Ankara": "tr", "Damascus": "sy", "Baghdad": "iq",
    "Tokyo": "jp", "Seoul": "kr", "Pyongyang": "kp", "Islamabad": "pk", "New Delhi": "in", "Budapest": "hu",
    "Prague": "cz", "Bucharest": "ro", "Stockholm": "se", "Copenhagen": "dk",
}
# Groups of countries named as one, with the words that name them.
_COUNTRY_GROUPS = (
    (r"Baltics?(?!\s+Sea)", ("ee", "lv", "lt")),
    (r"Nordics?", ("dk", "fi", "is", "no", "se")),
    (r"Scandinavian?", ("dk", "no", "se")),
    (r"Benelux", ("be", "nl", "lu")),
    (r"Visegr[aá]d", ("cz", "hu", "pl", "sk")),
    (r"South Caucasus", ("am", "az", "ge")),
)


@dataclass(frozen=True)
class CountryMention:
    """A country, or a group of them, named in a text; `how` is 'name', 'demonym', 'capital' or 'group'."""

    start: int
    end: int
    words: str
    codes: tuple[str, ...]
    how: str


@cache
def _country_names() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, ...], str]]]:
    """Every spelling that names a country, one pattern to find them, and what each one names."""
    names: dict[str, tuple[tuple[str, ...], str]] = {}
    before_comma: dict[str, set[str]] = {}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = ((code,), "name")
        if ", " in country.name:  # 'Iran, Islamic Republic of' is called 'Iran'
            before_comma.setdefault(country.name.split(", ")[0], set()).add(code)
    for short, codes in before_comma.items():
        if len(codes) == 1 and short not in names:  # 'Korea' and 'Congo' name two countries: left out
            names[short] = ((codes.pop(),), "name")
    for alias, code in COUNTRY_ALIASES.items():
        names[alias] = ((code,), "name")
    for capital, code in _CAPITALS.items():
        names[capital] = ((code,), "capital")
    for demonym, code in _DEMONYMS.items():
        names[demonym] = ((code,), "demonym")
        if demonym.endswith(("an", "i")) and demonym + "s" not in names:
            names[demonym + "s"] = ((code,), "demonym")
    # A name of two words or more is matched in any case ('the russian federation', as some outlets write it).
    spelled = "|".join(f"(?i:{re.escape(name)})" if " " in name else re.escape(name)
                       for name in sorted(names, key=len, reverse=True))
    groups = "|".join(f"(?:{pattern})" for pattern, _ in _COUNTRY_GROUPS)
    pattern = re.compile(rf"(?<![\w@#/])(?:(?P<name>{spelled})|(?P<group>{groups}))(?![\w])")
    return pattern, names


@cache
def _names_folded() -> dict[str, tuple[tuple[str, ...], str]]:
    return {name.lower(): value for name, value in _country_names()[1].items()}


def _folded(names: dict[str, tuple[tuple[str, ...], str]]) -> dict[str, tuple[tuple[str, ...], str]]:
    return _names_folded()


def find_countries(text: str) -> list[CountryMention]:
    """Countries named in a text by name, demonym ('Polish'), capital ('Moscow') or group ('the Baltic states'),
    as ISO codes."""
    pattern, names = _country_names()
    found = []
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 8):match.start()]
        if before.endswith("New "):  # New Mexico, New Jersey: not the countries
            continue
        if match.group("name") in ("America", "American", "Americans") and re.search(r"(?:Latin|South|North|Central) $",
                                                                          before):
            continue
        if match.group("name"):
            codes, how = names.get(match.group("name")) or _folded(names)[match.group("name").lower()]
        else:
            codes = next(c for p, c in _COUNTRY_GROUPS if re.fullmatch(p, match.group("group")))
            how = "group"
        found.append(CountryMention(match.start(), match.end(), match.group(), codes, how))
    return found


# A dash introduces a list ('bordering Russia—Poland, Finland') rather than joining its items.
_LIST_SEPARATOR = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?$")


def country_group(text: str, mentions: list[CountryMention]) -> tuple[str, ...]:
    """The longest list of countries named together ('Poland, Finland, and the Baltic states'), if any."""
    best: list[CountryMention] = []
    run: list[CountryMention] = []
    for mention in mentions:
        if run and _LIST_SEPARATOR.match(text[run[-1].end:mention.start]):
            run.append(mention)
        else:
            run = [mention]
        if sum(len(m.codes) for m in run) > sum(len(m.codes) for m in best):
            best = list(run)
    codes = tuple(dict.fromkeys(code for m in best for code in m.codes))
    return codes if len(codes) >= 2 else ()


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or (country.name if country else code)
