"""Markup to plain text (schemas.text.plain_text): what a reader of the page would see."""

import pytest

from schemas.text import plain_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("Why We Love Movies Like <i>Mean Girls</i>", "Why We Love Movies Like Mean Girls"),
        ("Tom &amp; Jerry&#39;s &#x2019; day&nbsp;out", "Tom & Jerry's \u2019 day out"),
        ("<p>First paragraph.</p>\n<p>Second <a href='x'>link</a>.</p>", "First paragraph.\n\nSecond link."),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("before <script>alert('<b>x</b>')</script><style>p {}</style>after", "before after"),
        ("<IFRAME src=x>player</iframe>caption", "caption"),
        ("<!-- comment -->kept", "kept"),
    ],
)
def test_markup_becomes_plain_text(markup, text):
    assert plain_text(markup) == text


@pytest.mark.parametrize(
    "prose",
    ["Inflation < 2% and growth > 3%, x<y", "AT&T and R&D", "para one\n\n\tpara two", "click javascript:void(0)"],
)
def test_plain_text_is_returned_unchanged(prose):
    assert plain_text(prose) == prose


def test_unknown_tag_names_in_prose_with_markup_are_kept_as_text():
    assert plain_text("the <unnamed> official &amp; <b>aide</b>") == "the <unnamed> official & aide"


def test_nothing_left():
    assert plain_text("<br><script>x()</script>") == ""
