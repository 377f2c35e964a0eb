from __future__ import annotations

from services.processor.extract.text import clean_article, split_sentences


def test_boilerplate_lines_are_removed():
    raw = "\n".join(
        [
            "Updated December 31st, 2021 at 10:07 IST",
            "Reported by: Aparna Shandilya",
            "Image: AP | Image:self",
            "Advertisement",
            "The two leaders spoke for fifty minutes on Thursday evening.",
            "A soldier standing in snow is smoking a cigarette.",
            "The phone call comes amid rising tensions.(AP: Andriy Dubchak)",
            "FILE PHOTO: U. S.  President Joe Biden holds virtual talks",
            "Exit mobile version",
            "Biden2",
            "Published December 31st, 2021 at 10:07 IST",
        ]
    )
    clean = clean_article("Leaders talk", raw)
    assert clean.paragraphs == ["The two leaders spoke for fifty minutes on Thursday evening."]


def test_repeated_headline_is_dropped_from_body():
    clean = clean_article("Beck Wows the CPAC Crowd", "Beck Wows the CPAC Crowd\n\nGlenn Beck spoke on Saturday.")
    assert clean.paragraphs == ["Glenn Beck spoke on Saturday."]


def test_sentence_split_keeps_abbreviations_and_ordinal_dates():
    text = "Mr. Biden met Sen. Smith in the U.S. capital. Talks follow on 9-10. January in Geneva. Done."
    assert split_sentences(text) == [
        "Mr. Biden met Sen. Smith in the U.S. capital.",
        "Talks follow on 9-10. January in Geneva.",
        "Done.",
    ]


def test_lead_is_bounded():
    body = " ".join(["The quick brown fox jumps over the lazy dog again."] * 40)
    assert len(clean_article("T", body).lead.split()) <= 100


def test_dotted_initialisms_of_three_letters_or_more_lose_their_periods():
    clean = clean_article("N.A.A.C.P. Challenges Tea Party", "The G.O.P. and the F.B.I. met in the U.S. on Monday.")
    assert clean.title == "NAACP Challenges Tea Party"
    assert clean.paragraphs == ["The GOP and the FBI met in the U.S. on Monday."]  # two letters kept as written
    clean = clean_article("T", 'Officials spoke on Monday, according to the F.B.I.\n"Ask the N.R.A." he said.')
    assert clean.paragraphs == ["Officials spoke on Monday, according to the FBI.", '"Ask the NRA." he said.']
