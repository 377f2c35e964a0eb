"""Map the speaker phrase of a reporting clause to a canonical name.

'Mr Ushakov' -> 'Yuri Ushakov' (surname completed from the body), 'President Biden' -> 'Joe Biden' (an
actor of the article), 'a senior US official' -> 'senior US official' (kept as a role: anonymous
sources are attributions too, and outlets agree on them).
"""

from __future__ import annotations

import re

from services.processor.extract.entities import Entities
from services.processor.extract.names import clean_person_name

_ARTICLE = re.compile(r"^(?:a|an|the|one of the|one)\s+", re.IGNORECASE)
_ROLE_HEAD = re.compile(
    r"\b(?:official|officials|spokesman|spokeswoman|spokesperson|aide|adviser|advisor|source|"
    r"diplomat|minister|president|leader|statement|readout|analyst|lawmaker|senator|officer|"
    r"administration)\b",
    re.IGNORECASE,
)


class SpeakerResolver:
    def __init__(self, entities: Entities, body: str) -> None:
        self._by_surname = {name.split()[-1]: name for name in set(entities.aliases.values())}
        self._aliases = entities.aliases
        self._body = body

    def resolve(self, raw: str) -> str | None:
        raw = raw.strip(" ,.")
        if raw in self._aliases:
            return self._aliases[raw]
        name = clean_person_name(raw)
        if name:
            surname = name.split()[-1]
            if surname in self._by_surname:
                return self._by_surname[surname]
            if len(name.split()) >= 2:
                return name
            return self._complete(surname) or (None if _ROLE_HEAD.search(raw) else surname)
        if _ROLE_HEAD.search(raw):
            return _ARTICLE.sub("", raw)
        return None

    def _complete(self, surname: str) -> str | None:
        match = re.search(rf"\b([A-Z][a-z]+)\s+{re.escape(surname)}\b", self._body)
        if match and match.group(1).lower() not in ("mr", "mrs", "ms", "dr", "sir", "president", "the"):
            return f"{match.group(1)} {surname}"
        return None
