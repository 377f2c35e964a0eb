"""Country adjectives in Spanish, Italian, French, German and Dutch ("estadounidense", "russi", "Japanse").

English names a country's government or market by its adjective ("Russian stock markets", "US stocks"), and
the English table (`gazetteer.DEMONYMS`) makes that adjective the country. The other languages do the same
with their own adjectives, which no package here ships (CLDR and pycountry have country names, not
adjectives), so this table writes them out for the countries of the English table: the masculine singular
form (Dutch: the attributive form, "Amerikaanse"), as the EU Interinstitutional Style Guide lists them
(Annex A5, "List of countries, territories and currencies", in each EU language), and the inflection rules
of each language below. Written as the languages write them: lower case except in Dutch.

Left out on purpose, as other words first: the words for English (the language as often as the country:
"en inglés"; other languages' names are left out where "en"/"in" comes before them, multilingual.py),
Spanish "indio" (indigenous) and "americano" (of the Americas), and Dutch base forms (the languages' names,
"het Japans"; "Frans" a given name as well).
"""

from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = ("es", "it", "fr", "de", "nl")

# ISO3: "es | it | fr | de | nl", each a comma-separated list of base forms.
_BASE_FORMS = {
    "USA": "estadounidense, norteamericano | statunitense, americano | américain"
           " | amerikanisch, US-amerikanisch | Amerikaanse",
    "RUS": "ruso, soviético | russo, sovietico | russe, soviétique | russisch, sowjetisch | Russische",
    "UKR": "ucraniano | ucraino | ukrainien | ukrainisch | Oekraïense",
    "GBR": "británico | britannico | britannique | britisch | Britse",
    "FRA": "francés | francese | français | französisch | Franse",
    "DEU": "alemán | tedesco | allemand | deutsch | Duitse",
    "CHN": "chino | cinese | chinois | chinesisch | Chinese",
    "JPN": "japonés | giapponese | japonais | japanisch | Japanse",
    "KOR": "surcoreano, coreano | sudcoreano, coreano | sud-coréen, coréen | südkoreanisch, koreanisch"
           " | Zuid-Koreaanse, Koreaanse",
    "PRK": "norcoreano | nordcoreano | nord-coréen | nordkoreanisch | Noord-Koreaanse",
    "IND": " | indiano | indien | indisch | Indiase",
    "PAK": "paquistaní, pakistaní | pakistano | pakistanais | pakistanisch | Pakistaanse",
    "AFG": "afgano | afgano, afghano | afghan | afghanisch | Afghaanse",
    "IRN": "iraní | iraniano | iranien | iranisch | Iraanse",
    "IRQ": "iraquí | iracheno | irakien | irakisch | Iraakse",
    "SYR": "sirio | siriano | syrien | syrisch | Syrische",
    "ISR": "israelí | israeliano | israélien | israelisch | Israëlische",
    "PSE": "palestino | palestinese | palestinien | palästinensisch | Palestijnse",
    "EGY": "egipcio | egiziano | égyptien | ägyptisch | Egyptische",
    "SAU": "saudí | saudita | saoudien | saudisch, saudi-arabisch | Saoedische, Saudische",
    "TUR": "turco | turco | turc | türkisch | Turkse",
    "GRC": "griego | greco | grec | griechisch | Griekse",
    "ITA": "italiano | italiano | italien | italienisch | Italiaanse",
    "ESP": "español | spagnolo | espagnol | spanisch | Spaanse",
    "PRT": "portugués | portoghese | portugais | portugiesisch | Portugese",
    "NLD": "neerlandés, holandés | olandese | néerlandais | niederländisch, holländisch | Nederlandse",
    "BEL": "belga | belga | belge | belgisch | Belgische",
    "CHE": "suizo | svizzero | suisse | schweizerisch | Zwitserse",
    "AUT": "austriaco | austriaco | autrichien | österreichisch | Oostenrijkse",
    "POL": "polaco | polacco | polonais | polnisch | Poolse",
    "CZE": "checo | ceco | tchèque | tschechisch | Tsjechische",
    "HUN": "húngaro | ungherese | hongrois | ungarisch | Hongaarse",
    "ROU": "rumano | rumeno, romeno | roumain | rumänisch | Roemeense",
    "BGR": "búlgaro | bulgaro | bulgare | bulgarisch | Bulgaarse",
    "SRB": "serbio | serbo | serbe | serbisch | Servische",
    "HRV": "croata | croato | croate | kroatisch | Kroatische",
    "BLR": "bielorruso | bielorusso | biélorusse | belarussisch, weißrussisch | Wit-Russische, Belarussische",
    "GEO": "georgiano | georgiano | géorgien | georgisch | Georgische",
    "ARM": "armenio | armeno | arménien | armenisch | Armeense",
    "AZE": "azerbaiyano | azero | azerbaïdjanais | aserbaidschanisch | Azerbeidzjaanse",
    "KAZ": "kazajo | kazako | kazakh | kasachisch | Kazachse",
    "SWE": "sueco | svedese | suédois | schwedisch | Zweedse",
    "NOR": "noruego | norvegese | norvégien | norwegisch | Noorse",
    "DNK": "danés | danese | danois | dänisch | Deense",
    "FIN": "finlandés | finlandese | finlandais | finnisch | Finse",
    "EST": "estonio | estone | estonien | estnisch | Estse",
    "LVA": "letón | lettone | letton | lettisch | Letse",
    "LTU": "lituano | lituano | lituanien | litauisch | Litouwse",
    "IRL": "irlandés | irlandese | irlandais | irisch | Ierse",
    "CAN": "canadiense | canadese | canadien | kanadisch | Canadese",
    "MEX": "mexicano | messicano | mexicain | mexikanisch | Mexicaanse",
    "BRA": "brasileño | brasiliano | brésilien | brasilianisch | Braziliaanse",
    "ARG": "argentino | argentino | argentin | argentinisch | Argentijnse",
    "CHL": "chileno | cileno | chilien | chilenisch | Chileense",
    "COL": "colombiano | colombiano | colombien | kolumbianisch | Colombiaanse",
    "VEN": "venezolano | venezuelano | vénézuélien | venezolanisch | Venezolaanse",
    "CUB": "cubano | cubano | cubain | kubanisch | Cubaanse",
    "AUS": "australiano | australiano | australien | australisch | Australische",
    "NZL": "neozelandés | neozelandese | néo-zélandais | neuseeländisch | Nieuw-Zeelandse",
    "NGA": "nigeriano | nigeriano | nigérian | nigerianisch | Nigeriaanse",
    "KEN": "keniano | keniota | kényan | kenianisch | Keniaanse",
    "ETH": "etíope | etiope | éthiopien | äthiopisch | Ethiopische",
    "ZAF": "sudafricano | sudafricano | sud-africain | südafrikanisch | Zuid-Afrikaanse",
    "LBY": "libio | libico | libyen | libysch | Libische",
    "LBN": "libanés | libanese | libanais | libanesisch | Libanese",
    "JOR": "jordano | giordano | jordanien | jordanisch | Jordaanse",
    "YEM": "yemení | yemenita | yéménite | jemenitisch | Jemenitische",
    "QAT": "catarí | qatariota | qatarien, qatari | katarisch | Qatarese",
    "ARE": "emiratí | emiratino | émirien, émirati | emiratisch | Emiraatse",
    "TWN": "taiwanés | taiwanese | taïwanais | taiwanisch | Taiwanese",
    "VNM": "vietnamita | vietnamita | vietnamien | vietnamesisch | Vietnamese",
    "THA": "tailandés | thailandese | thaïlandais | thailändisch | Thaise",
    "IDN": "indonesio | indonesiano | indonésien | indonesisch | Indonesische",
    "PHL": "filipino | filippino | philippin | philippinisch | Filipijnse",
    "MYS": "malasio | malese | malaisien | malaysisch | Maleisische",
    "SGP": "singapurense | singaporiano | singapourien | singapurisch | Singaporese",
    "BGD": "bangladesí | bengalese | bangladais | bangladeschisch | Bengalese",
    "LKA": "esrilanqués | srilankese | sri-lankais | sri-lankisch | Sri Lankaanse",
    "NPL": "nepalí | nepalese | népalais | nepalesisch | Nepalese",
    "MMR": "birmano | birmano | birman | myanmarisch | Birmese",
    "SDN": "sudanés | sudanese | soudanais | sudanesisch | Soedanese",
    "SOM": "somalí | somalo | somalien | somalisch | Somalische",
    "MAR": "marroquí | marocchino | marocain | marokkanisch | Marokkaanse",
    "DZA": "argelino | algerino | algérien | algerisch | Algerijnse",
    "TUN": "tunecino | tunisino | tunisien | tunesisch | Tunesische",
    "XKX": "kosovar | kosovaro | kosovar | kosovarisch | Kosovaarse",
    "MDA": "moldavo | moldavo | moldave | moldauisch | Moldavische",
    "SVK": "eslovaco | slovacco | slovaque | slowakisch | Slowaakse",
    "SVN": "esloveno | sloveno | slovène | slowenisch | Sloveense",
    "BIH": "bosnio | bosniaco | bosnien | bosnisch | Bosnische",
    "ALB": "albanés | albanese | albanais | albanisch | Albanese",
}


def _spanish(base: str) -> list[str]:
    if base.endswith("o"):  # ruso rusa rusos rusas
        return [base, base[:-1] + "a", base + "s", base[:-1] + "as"]
    if base.endswith("ar"):  # kosovar kosovares
        return [base, base + "es"]
    if base[-2:] in ("és", "án", "ón"):  # japonés japonesa japoneses; alemán alemana; letón letona
        stem = base[:-2] + {"é": "e", "á": "a", "ó": "o"}[base[-2]] + base[-1]
        return [base, stem + "a", stem + "es", stem + "as"]
    if base[-1] in "eaí":  # estadounidense(s), belga(s), israelí(es)
        return [base, base + "s"] + ([base + "es"] if base.endswith("í") else [])
    return [base, base + "a", base + "es", base + "as"]  # español española españoles españolas


_ITALIAN_PLURAL_CI = {"greco"}  # -co -> -chi except after a stressed syllable before it ("-ico", "-aco") and these


def _italian(base: str) -> list[str]:
    if base.endswith("co"):  # tedesco tedesca tedeschi tedesche; britannico britannici; austriaco austriaci
        plural = "ci" if base.endswith(("ico", "aco")) and not base.endswith("cco") or base in _ITALIAN_PLURAL_CI \
            else "chi"
        return [base, base[:-1] + "a", base[:-2] + plural, base[:-1] + "he"]
    if base.endswith("o"):  # russo russa russi russe
        return [base, base[:-1] + "a", base[:-1] + "i", base[:-1] + "e"]
    if base.endswith("ga"):  # belga belgi belghe
        return [base, base[:-1] + "i", base[:-1] + "he"]
    if base.endswith("a"):  # saudita sauditi saudite
        return [base, base[:-1] + "i", base[:-1] + "e"]
    return [base, base[:-1] + "i"]  # cinese cinesi


_FRENCH_IRREGULAR = {"turc": ["turque", "turques"], "grec": ["grecque", "grecques"],
                     "letton": ["lettonne", "lettonnes"]}


def _french(base: str) -> list[str]:
    if base in _FRENCH_IRREGULAR:
        return [base, base + "s", *_FRENCH_IRREGULAR[base]]
    if base.endswith("en"):  # ukrainien ukrainienne(s)
        return [base, base + "s", base + "ne", base + "nes"]
    if base.endswith("e"):  # russe russes
        return [base, base + "s"]
    if base.endswith("s"):  # français française(s)
        return [base, base + "e", base + "es"]
    return [base, base + "e", base + "s", base + "es"]  # américain américaine(s)


def _german(base: str) -> list[str]:
    return [base + ending for ending in ("", "e", "er", "en", "es", "em")]


_INFLECT = {"es": _spanish, "it": _italian, "fr": _french, "de": _german, "nl": lambda base: [base]}


@lru_cache(maxsize=8)
def country_adjectives(language: str) -> dict[str, str]:
    """Every written form of the language's country adjectives -> ISO3; {} for a language without a table."""
    if language not in _INFLECT:
        return {}
    column = LANGUAGES.index(language)
    forms: dict[str, str] = {}
    for iso3, row in _BASE_FORMS.items():
        for base in filter(None, (b.strip() for b in row.split("|")[column].split(","))):
            for form in _INFLECT[language](base):
                forms.setdefault(form, iso3)
    return forms


@lru_cache(maxsize=8)
def adjective_pattern(language: str) -> re.Pattern[str] | None:
    """Whole words only, case as written: "china" is Spanish for Chinese, "China" the country's name."""
    forms = country_adjectives(language)
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@lru_cache(maxsize=1)
def _every_form() -> frozenset[str]:
    return frozenset(form for language in LANGUAGES for form in country_adjectives(language))


def is_country_adjective(word: str) -> bool:
    """A country adjective in any of the languages, as written ("Russische", "estadounidense")."""
    return word in _every_form()
