"""First names from the shipped dictionary, dates and names in other languages (pure logic, no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.processor.extract.dates import find_dates, resolve_event_date
from services.processor.extract.demonyms import adjective_pattern, country_adjectives
from services.processor.extract.figures import extract_figures
from services.processor.extract.gazetteer import load_gazetteer
from services.processor.extract.given_names import can_be_first_name, can_be_surname, same_given_name
from services.processor.extract.multilingual import capitalized_mentions, ner_pipeline
from services.processor.extract.names import GPE, NORP, ORG, PERSON, clean_person_name
from tests.unit.processor.extract.seeds import SeedArticle, shared_extractor

PUBLISHED = date(2005, 5, 4)  # a Wednesday


@pytest.mark.parametrize("word", ["Barack", "Mitt", "Will", "Bill", "Rand", "Deval", "Malia", "J."])
def test_given_names_and_rare_words_can_be_first_names(word):
    assert can_be_first_name(word)


@pytest.mark.parametrize("word", ["The", "Ask", "Plus", "Dear", "Urge", "Meanwhile", "Russian"])
def test_common_words_are_not_first_names(word):
    assert not can_be_first_name(word)


def test_short_forms_of_given_names_come_from_the_dictionary():
    assert same_given_name("Dave", "David") and same_given_name("Liz", "Elizabeth")
    assert not same_given_name("Mary", "Elizabeth")
    assert same_given_name("Chuck", "Charles") and same_given_name("charles", "Chuck")  # the nicknames package


def test_headline_verbs_do_not_become_first_names():
    assert clean_person_name("Ask Sestak") == "Sestak"
    assert clean_person_name("Plus Obama") == "Obama"
    assert clean_person_name("Will Smith") == "Will Smith"
    assert can_be_surname("Rice") and not can_be_surname("Also")


@pytest.mark.parametrize(
    "language, sentence, expected",
    [
        ("es", "Boeing anunció el 3 de mayo de 2005 un acuerdo.", date(2005, 5, 3)),
        ("it", "Boeing ha annunciato il 3 maggio un accordo.", date(2005, 5, 3)),
        ("nl", "Boeing maakte op 3 mei 2005 bekend.", date(2005, 5, 3)),
        ("de", "Boeing gab am 3. Mai 2005 bekannt.", date(2005, 5, 3)),
        ("fr", "Boeing a annoncé le 3 mai un accord.", date(2005, 5, 3)),
        ("es", "La empresa lo anunció ayer.", date(2005, 5, 3)),
        ("it", "La società lo ha annunciato lunedì.", date(2005, 5, 2)),
    ],
)
def test_dates_in_other_languages(language, sentence, expected):
    mentions = find_dates(sentence, PUBLISHED, language)
    assert [m.date for m in mentions][:1] == [expected]


def test_english_rules_do_not_read_other_languages_month_words():
    assert find_dates("El mar estaba en calma el 3 de mayo.", PUBLISHED, "en") == []


def test_event_date_of_a_spanish_article_comes_from_its_text():
    published = datetime(2005, 5, 4, 12, tzinfo=UTC)
    event_date, _ = resolve_event_date(["Boeing vende aviones a China el martes."], [], published, "es")
    assert (event_date.date, event_date.source) == (date(2005, 5, 3), "text")


def test_capitalized_names_in_spanish_are_labeled_and_countries_translated():
    text = (
        "Boeing vende aviones a China\n"
        "El presidente de Estados Unidos, George Bush, visitó Pekín. Boeing lo confirmó."
    )
    mentions = capitalized_mentions(text, text.index("\n"), "es", load_gazetteer())
    found = {(m.text, m.label) for m in mentions}
    assert ("Boeing", ORG) in found and ("George Bush", PERSON) in found
    assert ("United States", GPE) in found  # "Estados Unidos", in the gazetteer's English
    assert not any(m.text in ("El", "El presidente") for m in mentions)  # sentence-initial article


def test_a_country_the_headline_names_in_another_language_is_counted_as_written():
    """"Stati Uniti" is the United States: the actor is counted by the words the text writes, not only by its
    English name (which an Italian text never writes: it had 0 mentions and was dropped)."""
    title = "I mercati degli Stati Uniti crollano dopo il voto"
    text = ("Le borse degli Stati Uniti hanno chiuso in forte calo lunedì. Il Dow Jones ha perso il tre per cento. "
            "Secondo gli analisti di Goldman Sachs, il calo negli Stati Uniti potrebbe continuare. Il Dow Jones resta "
            "sotto pressione.")
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="it"))
    assert [(a.name, a.type, a.mentions) for a in event.actors] == [("United States", "country", 3)]


def test_a_currency_prefix_is_no_country():
    text = "Aerolíneas chinas compran aviones Boeing por 7.200 millones de US$\nEl acuerdo vale 7.200 millones de US$."
    mentions = capitalized_mentions(text, text.index("\n"), "es", load_gazetteer())
    assert "United States" not in {m.text for m in mentions}
    assert ("Boeing", ORG) in {(m.text, m.label) for m in mentions}


@pytest.mark.parametrize(
    ("language", "form", "iso3"),
    [("es", "japoneses", "JPN"), ("es", "estadounidenses", "USA"), ("es", "alemanas", "DEU"),
     ("es", "israelíes", "ISR"),
     ("it", "tedeschi", "DEU"), ("it", "russe", "RUS"), ("it", "statunitensi", "USA"),
     ("fr", "ukrainienne", "UKR"), ("fr", "turque", "TUR"), ("fr", "françaises", "FRA"),
     ("de", "russischen", "RUS"), ("de", "US-amerikanische", "USA"), ("nl", "Amerikaanse", "USA")],
)
def test_country_adjectives_come_in_each_languages_inflected_forms(language, form, iso3):
    assert country_adjectives(language)[form] == iso3


def test_country_adjectives_are_read_in_the_case_the_language_writes_them():
    assert adjective_pattern("es").search("las aerolíneas chinas") is not None
    assert adjective_pattern("es").search("China compra aviones") is None  # the country's name, not "china"
    assert "Frans" not in country_adjectives("nl")  # a given name as well: only the attributive "Franse"
    assert adjective_pattern("en") is None  # English has gazetteer.DEMONYMS


def test_italian_plurals_are_words_of_the_language():
    forms = country_adjectives("it")
    assert {"tedeschi", "cechi", "greci", "britannici", "austriaci", "belghe"} <= set(forms)
    assert not {"ceci", "tedesci", "britannichi", "belge"} & set(forms)  # "ceci" are chickpeas


@pytest.mark.parametrize(
    ("language", "title", "text", "not_a_country"),
    [("it", "Cosa ha in serbo il governo", "Il governo ha in serbo nuove misure. Il ministro parla in francese.",
      {"Serbia", "France"}),
     ("es", "Los pueblos indios protestan", "Los pueblos indios protestaron el lunes. Hablaron en francés.",
      {"India", "France"})],
)
def test_a_language_or_a_common_word_is_no_country(language, title, text, not_a_country):
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language=language))
    assert not {a.name for a in event.actors} & not_a_country


def test_german_country_adjectives_before_a_capitalized_noun_count():
    title = "Russland droht der Ukraine"
    text = "Die russische Regierung hat am Montag gedroht. Die russische Armee steht an der Grenze."
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="de"))
    assert ("Russia", 3) in {(a.name, a.mentions) for a in event.actors}


def test_a_dutch_adjective_the_text_writes_as_a_name_stays_a_name():
    title = "Albanese: Israël schendt internationaal recht"
    text = "De VN-rapporteur Francesca Albanese zei maandag dat Israël het recht schendt. Albanese sprak in Genève."
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="nl"))
    assert "Albania" not in {a.name for a in event.actors}
    full = f"{title}\n{text}"
    assert "Albania" not in {m.text for m in capitalized_mentions(full, len(title), "nl", load_gazetteer())}


def test_a_country_adjective_inside_a_longer_word_is_not_counted():
    title = "Noord-Koreaanse raket boven Japan"
    text = ("De Noord-Koreaanse raket vloog boven Japan. Noord-Koreaanse media meldden het maandag. "
            "De Koreaanse kustwacht volgde de raket.")
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="nl"))
    names = {a.name: a.mentions for a in event.actors}
    assert names.get("North Korea") == 3 and "South Korea" not in names


def test_a_country_adjective_is_a_mention_of_the_country_and_no_organization():
    text = ("Japanse aandelen blijven dalen\nDonderdag daalde de Japanse Nikkei 225 beursindex opnieuw. "
            "Veel Japanse beleggers verkochten.")
    mentions = capitalized_mentions(text, text.index("\n"), "nl", load_gazetteer())
    adjectives = [(m.text, m.in_title, m.written) for m in mentions if m.label == NORP]
    # the one in the name "Japanse Nikkei" is part of that name
    assert adjectives == [("Japan", True, "Japanse"), ("Japan", False, "Japanse")]
    assert "Japanse" not in {m.text for m in mentions}


def test_a_country_adjective_in_the_headline_makes_the_country_an_actor_counted_as_written():
    title = "Las bolsas rusas en suspenso en medio de la agitación del mercado"
    text = ("La compraventa en las principales bolsas rusas ha sido suspendida por segundo día consecutivo. "
            "El regulador ruso ordenó la suspensión tras la caída de los índices.")
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="es"))
    assert [(a.name, a.type, a.mentions) for a in event.actors] == [("Russia", "country", 3)]


def test_a_country_adjective_before_a_name_describes_that_actor():
    """"la casa statunitense GM": the company is the actor; its country is no mention of the United States."""
    title = "La bancarotta della casa automobilistica statunitense GM diventa quasi inevitabile"
    text = ("La casa automobilistica statunitense General Motors ha annunciato mercoledì un piano. "
            "Il presidente americano Barack Obama ha rifiutato nuovi aiuti a GM. GM ha tempo fino al 1 giugno. "
            "Il mercato statunitense è in calo.")  # the one mention of the country: no actor, not in the headline
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="it"))
    assert "United States" not in {a.name for a in event.actors}
    assert "GM" in {a.name for a in event.actors}


@pytest.mark.parametrize("language, title, text, organization", [
    ("fr", "L'Otan rejette les exigences de Moscou",
     "L'Otan a rejeté mercredi les exigences de Moscou. Jens Stoltenberg a parlé à Bruxelles. L'Otan reste unie.",
     "NATO"),
    ("es", "La ONU pide una tregua en Yemen",
     "La ONU pidió el lunes una tregua inmediata. Antonio Guterres habló en Nueva York. La ONU enviará ayuda.",
     "United Nations"),
    ("de", "Europäische Union verhängt neue Sanktionen",
     "Die Europäische Union hat am Montag neue Sanktionen verhängt. Die Europäische Union berät weiter.",
     "European Union"),
    ("nl", "NAVO versterkt oostflank",
     "De NAVO stuurt extra troepen naar Polen, zei Jens Stoltenberg dinsdag. De NAVO overlegt vrijdag opnieuw.",
     "NATO"),
])
def test_international_organizations_in_their_official_names_of_the_language(language, title, text, organization):
    """"l'Otan" is NATO, as the English reports name it: the organization joins them by its name."""
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language=language))
    assert organization in {a.name for a in event.actors}


@pytest.mark.parametrize("title, text", [
    ("UNO card game sales rise at Mattel", "Mattel said sales of its UNO card game rose. UNO remains popular, it said."),
    ("Nigeria minister Onu opens science fair", "Science minister Ogbonnaya Onu opened the fair in Abuja on Monday. "
     "Onu said Nigeria would invest."),
    ("Carmaker UE Systems recalls cars", "UE Systems recalled 2,000 cars on Monday, UE Systems said."),
])
def test_other_languages_names_of_the_un_and_the_eu_are_no_english_names(title, text):
    event = shared_extractor().extract(SeedArticle(title=title, text=text, published_at=None, language="en"))
    assert not {"United Nations", "European Union"} & {a.name for a in event.actors}


def test_german_capitalized_nouns_are_not_names():
    text = "Regierung streitet\nDie Regierung und die Opposition streiten. Angela Merkel reiste nach Frankreich."
    names = {m.text for m in capitalized_mentions(text, text.index("\n"), "de", load_gazetteer())}
    assert "Regierung" not in names and "Opposition" not in names
    assert "Angela Merkel" in names and "France" in names


def test_french_ner_is_the_shipped_model_and_loaded_once():
    nlp = ner_pipeline("fr")
    assert nlp is not None and ner_pipeline("fr") is nlp
    doc = nlp("Emmanuel Macron a rencontré Vladimir Poutine à Moscou.")
    assert ("Emmanuel Macron", "PER") in {(e.text, e.label_) for e in doc.ents}
    assert ner_pipeline("nl") is None  # no package with real weights: capitalized names instead


@pytest.mark.parametrize(
    "language, text",
    [
        ("es", "una llamada de 50 minutos"),
        ("it", "una telefonata di 50 minuti"),
        ("nl", "een gesprek van 50 minuten"),
        ("de", "ein Gespräch von 50 Minuten"),
    ],
)
def test_durations_in_other_languages(language, text):
    assert [(f.value, f.unit) for f in extract_figures(text, language=language)] == [(50.0, "minute")]


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("fr", "ils se sont parlé pendant un peu plus de deux heures", (2.0, "hour")),
        ("fr", "une minute de silence", (1.0, "minute")),
        ("es", "hablaron durante algo más de una hora", (1.0, "hour")),
        ("de", "das Treffen dauerte rund drei Stunden", (3.0, "hour")),
        ("de", "nach einer Stunde", (1.0, "hour")),
    ],
)
def test_lengths_in_number_words_of_the_language(language, text, expected):
    """The number words dateparser's locale data has for the language's dates ("deux", "una", "drei")."""
    assert [(f.value, f.unit) for f in extract_figures(text, language=language)] == [expected]


def test_a_number_word_counts_only_right_before_a_unit():
    found = extract_figures("deux ministres, trois jours de visite et une heure de débat", language="fr")
    assert [(f.value, f.unit) for f in found] == [(3.0, "day"), (1.0, "hour")]


def test_other_languages_words_are_no_units_in_english():
    assert extract_figures("una llamada de 50 minutos", language="en") == []


@pytest.mark.parametrize("language, text, people, places, not_first", [
    ("ru", "Путин и Байден провели телефонный разговор\n"
           "Президенты России и США Владимир Путин и Джо Байден в четверг провели разговор. "
           "Как сообщил помощник президента России Юрий Ушаков, Путину понравилась беседа с Байденом.",
     {"Vladimir Putin", "Yury Ushakov", "Putin"}, {"Russia", "United States"}, ("SShA", "Rossiya", "Prezident")),
    # before: Ukrainian letters left words as written ("Путін"), and "США Джо Байден" was one name
    ("uk", "Байден і Путін провели телефонну розмову щодо України\n"
           "Президент США Джо Байден і президент Росії Володимир Путін у четвер розмовляли телефоном. "
           "Байден попередив Путіна, що США рішуче відповідять.",
     {"Dzho Baiden", "Volodymyr Putin", "Putin"}, {"Russia", "United States", "Ukraine"}, ("SSHA", "Rosi", "Prezydent")),
])
def test_cyrillic_names_come_back_to_the_nominative_in_latin_letters(language, text, people, places, not_first):
    mentions = capitalized_mentions(text, text.index("\n"), language, load_gazetteer())
    found = {(m.text, m.label) for m in mentions}
    assert {(p, PERSON) for p in people} <= found
    assert {(p, GPE) for p in places} <= found  # genitives ("России", "України"), "США" (a CLDR/ISO name)
    # a title's country and the name after it are two names, not "США Владимир Путин"; a sentence-initial
    # common word ("Президент") is no name
    assert not any(m.text.startswith(not_first) for m in mentions)


@pytest.mark.parametrize("language, name, country", [
    ("ru", "Россия", "Russia"), ("de", "Russland", "Russia"), ("es", "Rusia", "Russia"), ("ru", "США", "United States"),
])
def test_country_names_in_everyday_use_come_from_cldr(language, name, country):
    """Names pycountry's ISO 3166 catalogs lack (they have "Российская Федерация", "Russische Föderation")."""
    from services.processor.extract.gazetteer import localized_country_names

    assert localized_country_names(language)[name].name == country


def test_a_title_before_a_full_name_is_cut_off_and_the_surname_alone_is_the_person():
    text = ("Apple onthult iPhone 4\n"
            "Tijdens de conferentie onthulde CEO Steve Jobs gisteren de iPhone 4. Het toestel is klaar, zei Jobs. "
            "Ook de Dow Jones Industrial Average steeg.")
    mentions = capitalized_mentions(text, text.index("\n"), "nl", load_gazetteer())
    found = {(m.text, m.label) for m in mentions}
    assert ("Steve Jobs", PERSON) in found and ("Jobs", PERSON) in found
    assert not any(m.text == "CEO Steve Jobs" for m in mentions)
    assert ("Dow Jones Industrial Average", ORG) in found  # "Jones" is a given name, but no full name follows


@pytest.mark.parametrize("language, text, name", [
    ("nl", "Bank groeit\nDe omzet van JP Morgan Chase steeg, zei de bank.", "JP Morgan Chase"),
    ("es", "Diario vende\nEl diario San Francisco Chronicle fue vendido ayer.", "San Francisco Chronicle"),
])
def test_names_that_contain_a_given_name_are_not_cut(language, text, name):
    names = {m.text for m in capitalized_mentions(text, text.index("\n"), language, load_gazetteer())}
    assert name in names, names


def test_a_sentence_opening_word_before_a_name_is_no_name():
    text = "Meloni a Bruxelles\nStamattina Giorgia Meloni è arrivata a Bruxelles."
    names = {m.text for m in capitalized_mentions(text, text.index("\n"), "it", load_gazetteer())}
    assert "Stamattina" not in names


def test_german_title_nouns_before_a_full_name_are_cut_and_the_surname_alone_is_the_person():
    """German capitalizes every noun: "US-Präsident Joe Biden" is a title and a name, and "Biden" alone is a
    name only because the article names Joe Biden in full (an unknown capitalized word alone is a noun)."""
    text = ("Telefonat zwischen Biden und Putin\n"
            "US-Präsident Joe Biden und Kremlchef Wladimir Putin haben telefoniert. Putin warnte vor Sanktionen, "
            "die Regierung schwieg.")
    found = {(m.text, m.label) for m in capitalized_mentions(text, text.index("\n"), "de", load_gazetteer())}
    assert {("Joe Biden", PERSON), ("Wladimir Putin", PERSON), ("Biden", PERSON), ("Putin", PERSON)} <= found
    assert not any(m in {"US-Präsident Joe Biden", "Telefonat", "Regierung"} for m, _ in found)


def test_places_in_other_languages_get_the_gazetteers_english_name_and_a_surname_is_no_town():
    text = ("Gespräche in Genf\n"
            "In Genf trafen sich Wendy Sherman und Sergej Rjabkow. Sherman sprach von Fortschritten.")
    found = {(m.text, m.label) for m in capitalized_mentions(text, text.index("\n"), "de", load_gazetteer())}
    assert ("Geneva", GPE) in found and not any(m == "Genf" for m, _ in found)
    assert ("Sherman", PERSON) in found  # Sherman, Texas, but here Wendy Sherman


def test_a_town_named_like_a_given_name_stays_a_place():
    text = "Vliegtuig geleverd\nDe fabriek van Douglas Aircraft staat in Douglas, zei Joe Leonard."
    found = {(m.text, m.label) for m in capitalized_mentions(text, text.index("\n"), "nl", load_gazetteer())}
    assert ("Douglas", PERSON) not in found


def test_a_capital_inside_a_word_starts_no_name():
    """ "iTunes", "iPhone", "eBay": the capital inside the word is no name ("Tunes" is an old name of Tunis)."""
    text = "Apple verkoopt films\nApple verkoopt films via iTunes voor de iPhone, zei Steve Jobs. Ook eBay groeit."
    names = {m.text for m in capitalized_mentions(text, text.index("\n"), "nl", load_gazetteer())}
    assert not names & {"Tunis", "Tunes", "Phone", "Bay"}, names
    assert {"Apple", "Steve Jobs"} <= names


def test_people_a_cyrillic_headline_names_are_its_actors():
    """A Russian headline's people are read romanized ("Байден" -> Bayden), a form the headline itself never
    contains: they are still named in the headline, main actors, and its subject and object (the United States,
    named more often in the body, had been the one actor)."""
    title = "Байден пообещал Зеленскому решительный ответ США в случае вторжения России"
    text = ("Президент США Джо Байден в воскресенье провёл телефонный разговор с президентом Украины Владимиром "
            "Зеленским. Байден дал понять, что США, их союзники и партнёры «решительно ответят», если Россия "
            "предпримет дальнейшее вторжение. Байден подтвердил приверженность США суверенитету Украины. США и "
            "Россия проведут переговоры в январе.")
    for headline in (title, title + " и NATO"):  # a Latin acronym in it changes nothing
        event = shared_extractor().extract(SeedArticle(title=headline, text=text, published_at=None, language="ru"))
        roles = {a.name: a.role for a in event.actors}
        assert (roles.get("Dzho Bayden"), roles.get("Vladimir Zelensky")) == ("actor1", "actor2"), (headline, roles)
