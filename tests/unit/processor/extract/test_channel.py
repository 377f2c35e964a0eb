"""How the sides talked, read from the headline and lead (services/processor/extract/channel.py)."""

import pytest

from services.processor.extract.channel import channel_of, talk_ordinal


@pytest.mark.parametrize("lead, channel", [
    ("Biden and Putin trade warnings in 50-minute phone call", "phone"),
    ("Joe Biden spoke by telephone with Vladimir Putin on Thursday.", "phone"),
    ("Biden warns Putin in two-hour video call over Ukraine", "video"),
    ("Biden and Xi hold first virtual summit", "video"),
    ("Joe Biden et Vladimir Poutine se sont entretenus jeudi soir par téléphone.", "phone"),
    ("Ukraine : en visioconférence, Biden menace Poutine", "video"),
    ("Telefonat zwischen Biden und Putin: Warnungen", "phone"),
    ("Biden und Xi beraten in einer Videoschalte", "video"),
    ("Biden y Putin mantuvieron una conversación telefónica de 50 minutos", "phone"),
    ("Biden y Xi celebran una videoconferencia", "video"),
    ("Ucraina, telefonata Biden-Putin: avvertimenti incrociati", "phone"),
    ("Biden e Xi in videoconferenza per due ore", "video"),
    ("Biden en Poetin voerden een telefoongesprek", "phone"),
    ("Путин и Байден провели телефонный разговор", "phone"),
    ("Путин и Байден провели переговоры по видеосвязи", "video"),
    ("Biden and Putin talk over phone", "phone"),
    ("Biden et Poutine se sont téléphoné jeudi", "phone"),
    ("Biden y Putin mantuvieron conversaciones telefónicas", "phone"),
    ("Nach mehreren Telefonaten mit Putin", "phone"),
    ("Biden en Poetin hadden een telefoontje", "phone"),
    ("Путин и Байден провели телефонный звонок", "phone"),
    ("U.S. President Joe Biden spoke with Russian President Vladimir Putin by phone on Thursday", "phone"),
    ("Biden phoned Putin on Thursday", "phone"),
    ("Putin spoke with U.S. President Joe Biden by phone", "phone"),
    ("Xi and Putin held talks via video link", "video"),
    ("Macron s'est entretenu avec son homologue russe Vladimir Poutine par téléphone", "phone"),
    ("Biden habló con el presidente ruso, Vladimir Putin, por teléfono", "phone"),
    ("Biden e Putin si sono sentiti al telefono", "phone"),
    ("Путин поговорил с президентом США Джо Байденом по телефону", "phone"),
    ("Путин и Си провели переговоры в режиме видеосвязи", "video"),
])
def test_the_channel_the_lead_names(lead, channel):
    assert channel_of([lead]) == channel


@pytest.mark.parametrize("lead", [
    "Biden and Putin agree to return ambassadors at Geneva summit",  # in person: no channel word
    "Phone hacking trial: editor charged",                           # a phone, no call
    "A video shows the moment the bridge collapsed",                 # a video, no call
    "Opérateur téléphonique : Orange relève ses prix",              # a phone company
    "Biden and Putin spoke by phone on Thursday, after their December video call",  # both: none
    # how a quote was obtained, a product, a label: no two sides talking
    "A resident told Reuters by phone that the town was flooded",
    "The minister could not be reached by phone for comment",
    "The poll of 1,000 adults was conducted by telephone",
    "A man phoned in a bomb threat to the school",
    "Zelensky addressed Congress via video link",
    "Concerns over video game violence resurface",
    "EN VIDÉO - Biden et Poutine : un entretien tendu",
    "Der Konzern war telefonisch nicht erreichbar",
])
def test_no_channel_where_the_lead_names_none_or_both(lead):
    assert channel_of([lead]) is None


@pytest.mark.parametrize("lead", [
    "French President Emmanuel Macron and Russian President Vladimir Putin talked for more than five hours in the "
    "Kremlin on Monday.",
    "Emmanuel Macron a été reçu lundi au Kremlin par Vladimir Poutine pour un tête-à-tête de plus de cinq heures.",
    "Obama and Boehner met privately at the White House on Sunday.",
    "The two leaders held a face-to-face meeting for the first time in weeks.",
    "Die Außenminister trafen sich am Freitag in Genf.",
    "Biden y Putin se reunieron este miércoles en Ginebra.",
    "Biden e Putin si sono incontrati a Ginevra.",
    "Biden en Poetin ontmoetten elkaar woensdag in Genève.",
    "Байден и Путин встретились в Женеве.",
])
def test_in_person_where_the_lead_says_the_sides_met_somewhere(lead):
    assert channel_of(["A headline", lead]) == "in_person"


@pytest.mark.parametrize("lead_sentences", [
    ["Biden Talks With Putin At Time Of Tension", "The two leaders spoke on Thursday."],  # title case: no place
    ["Talks at Geneva summit", "The ministers will discuss arms control."],  # the place is in the headline only
    ["Leaders talk", "They met at a time of rising tension."],  # "at a time": no name after it
    ["Leaders talk", "They hope that talks in January could ease tensions."],  # a month says when
    ["Leaders talk", "The two leaders talked about the war in Ukraine and energy security."],  # the topic
    ["Merkel, Putin discuss Ukraine", "Angela Merkel and Vladimir Putin talked in German for about an hour."],
    ["Biden and Putin talk", "Biden and Putin talked for 50 minutes on Thursday at Russia's request."],
    ["Biden and Putin talk", "They talked for two hours on Tuesday, officials in Washington said."],  # a comma
    ["Biden and Macron talk", "Biden and Macron agreed their teams would meet in Washington next week."],
    ["Scholz spricht mit Macron", "Die Gespräche in Sachen Haushalt dauerten zwei Stunden."],  # a German idiom
    ["Ukraine", "Zelensky a demandé une rencontre à Vladimir Poutine."],  # asked for, not held
    ["Biden and Putin", "Biden and Putin spoke on Thursday.", "They met in Geneva in June."],  # a later sentence
    ["Scholz und Putin", "Scholz hat Putin angerufen, die Gespräche in Moskau sollen folgen.",  # a call word
     "Beide beraten."],
    ["Modi, Putin hold talks", "Modi held talks with Putin in the Kremlin on Tuesday.",  # a call recalled later
     "The two leaders spoke by phone last month."],
])
def test_no_way_from_in_person_words_that_are_no_meeting_or_beside_a_call(lead_sentences):
    assert channel_of(lead_sentences) is None


@pytest.mark.parametrize("lead_sentences, way", [
    (["Biden speaks with Xi", "Biden and Xi held a call on Thursday, their first since they met in Bali."],
     None),
    (["Biden calls Scholz", "Biden called Scholz on Tuesday ahead of a NATO meeting in Brussels next week."],
     None),
    (["Ukraine : Macron a appelé Poutine", "Emmanuel Macron a appelé vendredi Vladimir Poutine pour évoquer les "
                                           "discussions sur un cessez-le-feu en Ukraine."], None),
    # the headline and first lead sentence decide; later sentences are background
    (["Biden assures Zelensky", "Biden told Zelensky in a phone call on Sunday that the US would respond.",
      "It came ahead of talks in Geneva and a video conference of NATO leaders."], "phone"),
    (["Байден пообещал Зеленскому", "Джо Байден провёл телефонный разговор с Владимиром Зеленским.",
      "Лидеры обсудили подготовку к предстоящим переговорам в Женеве."], "phone"),
    # where the first sentence names none, the one phone or video way the lead names
    (["Putin tells Macron West ignored demands", "Putin said the West ignored Russia's demands.",
      "In a phone call on Friday, Mr Putin said the replies did not address them."], "phone"),
    # a dateline with a word for a meeting: they met there; unless the sentence names a call, or one to come
    (["Biden and Putin agree", "GENEVA, June 16 - Biden and Putin agreed on Wednesday to return their "
                               "ambassadors, at their first summit."], "in_person"),
    (["Biden and Xi talk", "WASHINGTON (Reuters) - Biden and Xi met at their first virtual summit."], "video"),
    (["Biden and Putin", "WASHINGTON (Reuters) - Biden and Putin will hold talks next month."], None),
    (["NATO, Russia", "NATO, Russia hold talks in a bid to ease tensions."], None),  # capitals, no dateline
])
def test_calls_keep_their_way_whatever_meetings_they_recall(lead_sentences, way):
    assert channel_of(lead_sentences) == way


@pytest.mark.parametrize("lead, ordinal", [
    ("Biden and Putin agreed in their first phone call on Tuesday to extend New START.", 1),
    ("During their second conversation this month, Biden said he needed to see Russia reduce its build-up.", 2),
    ("Joe Biden et Vladimir Poutine ont eu jeudi leur deuxième échange en moins d'un mois.", 2),
    ("Es war der zweite Austausch der beiden Präsidenten binnen eines Monats.", 2),
    ("Путин и Байден провели второй за месяц телефонный разговор.", 2),
    ("Biden and Xi hold their first virtual summit.", 1),
    # no talk's place: another series, a time, or two places
    ("Obama and Boehner meet for the first time in weeks.", None),
    ("The second day of talks ended without a deal.", None),
    ("After their first summit in June, the second call came in December.", 2),  # the summit: background
    ("Biden's first call and his second meeting with Putin were both tense.", None),  # two places
    ("Chinese Premier Li Qiang held talks with the German chancellor.", None),  # a title
    ("Secondo il Cremlino, il colloquio è stato franco.", None),  # "according to"
    ("The first round of talks ended on Tuesday.", None),  # another series
    ("Axios first reported the call.", None),
    ("Biden and Putin spoke on Thursday.", None),
])
def test_the_talks_place_in_a_series(lead, ordinal):
    assert talk_ordinal([lead]) == ordinal
