"""Markup to plain text: the one cleaner for headlines, bodies and outlet names from every input path.

Scrapers, aggregators and feeds send titles like "... Like <i>Mean Girls</i>" and bodies of HTML paragraphs
with character entities (&amp; &#39; &nbsp;). The stdlib HTML parser (html.parser, entities decoded by it)
turns them into what a reader sees: tags dropped, entities decoded, block elements as line breaks, and the
content of scripts, styles and embedded players left out entirely.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A tag, comment or declaration ("<i>", "</p>", "<br/>", "<!-- -->"), or a character entity.
_MARKUP = re.compile(r"<[a-zA-Z/!][^<>]*>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
# Elements whose content is never text a reader sees.
_HIDDEN = frozenset({"script", "style", "iframe", "object", "noscript", "template", "svg", "head", "video", "audio"})
# Elements rendered on a line of their own.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td",
    "th", "tr", "ul",
})
# Other HTML elements: dropped, their text kept. A tag of any other name ("the <unnamed> official") is prose.
_INLINE = frozenset({
    "a", "abbr", "acronym", "area", "b", "base", "bdi", "bdo", "big", "body", "button", "canvas", "caption",
    "center", "cite", "code", "col", "colgroup", "data", "del", "details", "dfn", "dialog", "em", "embed", "font",
    "form", "html", "i", "img", "input", "ins", "kbd", "label", "link", "map", "mark", "menu", "meta", "meter",
    "nav", "option", "output", "param", "picture", "progress", "q", "rp", "rt", "ruby", "s", "samp", "select",
    "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "tbody", "textarea", "tfoot", "thead",
    "time", "title", "track", "tt", "u", "var", "wbr",
})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        else:
            self._tag(tag, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # a self-closed hidden element has no content to skip
            self._tag(tag, self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        else:
            self._tag(tag, f"</{tag}>")

    def _tag(self, tag: str, source: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag not in _INLINE:
            self.handle_data(source)

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def has_markup(value: str) -> bool:
    return _MARKUP.search(value) is not None


def plain_text(value: str) -> str:
    """`value` as plain text. Text without tags or entities is returned unchanged ("x < y" stays)."""
    if not has_markup(value):
        return value
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    lines = [" ".join(line.split()) for line in "".join(collector.parts).split("\n")]
    # One blank line at most between paragraphs, none at the ends.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
