from __future__ import annotations

from datetime import UTC, date, datetime

from services.processor.extract.dates import find_dates, mentioned_events, resolve_event_date

FRI_31_DEC = datetime(2021, 12, 31, 9, 0, tzinfo=UTC)


def test_bare_weekday_is_most_recent_on_or_before_publication():
    event_date, _ = resolve_event_date(["Biden and Putin spoke on Thursday."], [], FRI_31_DEC)
    assert event_date.date == date(2021, 12, 30)
    assert event_date.source == "text" and event_date.precision == "day"


def test_same_weekday_as_publication_is_that_day():
    event_date, _ = resolve_event_date(["The vote on Friday passed."], [], FRI_31_DEC)
    assert event_date.date == date(2021, 12, 31)


def test_month_day_takes_year_nearest_publication():
    mentions = find_dates("Talks are due in Geneva on January 10.", FRI_31_DEC.date())
    assert mentions[0].date == date(2022, 1, 10)
    mentions = find_dates("They last spoke on December 7.", FRI_31_DEC.date())
    assert mentions[0].date == date(2021, 12, 7)


def test_day_month_forms_and_ranges():
    pub = FRI_31_DEC.date()
    assert find_dates("a meeting on 9-10. January", pub)[0].date == date(2022, 1, 9)
    summit = find_dates("a summit on the 9th and 10th of January", pub)[0]
    assert (summit.date, summit.end) == (date(2022, 1, 9), date(2022, 1, 10))
    assert find_dates("on 12 January 2020", pub)[0].date == date(2020, 1, 12)


def test_past_tense_month_is_the_previous_one():
    mentions = find_dates("Biden and Putin met in Geneva in June.", FRI_31_DEC.date())
    assert mentions[0].date == date(2021, 6, 1) and mentions[0].precision == "month"


def test_future_lead_date_is_not_the_event_date():
    event_date, _ = resolve_event_date(["Leaders will meet on January 10."], [], FRI_31_DEC)
    assert event_date.source == "published"


def test_early_utc_publication_falls_back_to_previous_day():
    early = datetime(2021, 12, 31, 0, 13, tzinfo=UTC)
    event_date, _ = resolve_event_date(["No date here."], [], early)
    assert event_date.date == date(2021, 12, 30) and event_date.source == "published"


def test_no_publication_and_no_date():
    event_date, mentions = resolve_event_date(["Nothing dated."], ["Still nothing."], None)
    assert event_date.date is None and event_date.source == "none" and mentions == []


def test_relative_words():
    event_date, _ = resolve_event_date(["The minister resigned yesterday."], [], FRI_31_DEC)
    assert event_date.date == date(2021, 12, 30)


def test_scheduled_and_earlier_mentioned_events():
    body = [
        "The call came ahead of a security summit in Geneva on January 10.",
        "They last held a video call on December 7.",
    ]
    event_date, mentions = resolve_event_date(["They spoke on Thursday."], body, FRI_31_DEC)
    events = mentioned_events(mentions, event_date, FRI_31_DEC)
    by_relation = {e.relation: e for e in events}
    assert by_relation["scheduled"].date == date(2022, 1, 10)
    assert "summit" in by_relation["scheduled"].text
    assert by_relation["earlier"].date == date(2021, 12, 7)


def test_impossible_dates_are_ignored():
    assert find_dates("on February 30", FRI_31_DEC.date()) == []


def test_date_only_publication_time_is_not_shifted():
    midnight = datetime(2010, 2, 20, 0, 0, tzinfo=UTC)
    event_date, _ = resolve_event_date(["No date here."], [], midnight)
    assert event_date.date == date(2010, 2, 20)


def test_future_weekday_is_the_coming_one_and_not_the_event_date():
    # Published Friday 31 Dec 2021.
    mentions = find_dates(
        "Ms Lerner will invoke the Fifth Amendment when she testifies on Wednesday.", date(2021, 12, 31)
    )
    assert mentions[0].date == date(2022, 1, 5)
    event_date, _ = resolve_event_date(["She will testify on Wednesday."], [], FRI_31_DEC)
    assert event_date.source == "published"


def test_nearest_tense_cue_wins():
    mentions = find_dates("The Senate would vote again after the bill passed on Monday.", date(2021, 12, 31))
    assert mentions[0].date == date(2021, 12, 27)


def test_reporting_verb_does_not_push_a_month_day_into_the_past():
    assert find_dates("Psaki said January 10 talks would go ahead.", date(2021, 12, 31))[0].date == date(2022, 1, 10)


def test_weeks_old_lead_date_is_background():
    event_date, _ = resolve_event_date(["It was their second call since the December 7 video summit."], [], FRI_31_DEC)
    assert event_date.source == "published"


def test_undated_lead_keeps_the_weekday_of_the_happening_not_of_scheduled_things():
    """No publication date, so "Thursday" resolves to no date; the weekday itself is still evidence."""
    lead = ["Biden and Putin spoke by phone on Thursday.", "They will meet again on Monday in Geneva."]
    event_date, _ = resolve_event_date(lead, [], None)
    assert event_date.date is None
    assert event_date.weekdays == [3]  # Thursday; Monday is scheduled


def test_weekdays_in_other_languages_and_only_from_the_lead():
    event_date, _ = resolve_event_date(["Jeudi soir, Joe Biden et Vladimir Poutine se sont parlé."],
                                       ["Mardi, le Kremlin avait prévenu."], None, language="fr")
    assert event_date.weekdays == [3]
    dated, _ = resolve_event_date(["Biden and Putin spoke on Thursday."], [], FRI_31_DEC)
    assert dated.weekdays == [3] and dated.date == date(2021, 12, 30)
