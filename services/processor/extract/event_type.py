"""CAMEO event type from a keyword lexicon over headline + lead.

Each rule is (CAMEO code, weight, regex). A rule scores weight x 2 in the headline and weight x 1 per
lead sentence it matches (at most once per sentence). The best-scoring code wins; confidence is its
share of all scores, shrunk when the evidence is thin (a single lead hit).
Weights encode one judgement: the *occurrence* (a call, a meeting, an attack) outranks the *content*
reported from it (warnings exchanged in a call): "Biden and Putin trade warnings in phone call" is a
041 telephone discussion, not a 130 threat. Speech verbs such as "warn" therefore weigh less than
the channel nouns. The codes follow the CAMEO 1.1b3 manual (Schrodt 2012); only codes a lexicon can
recognize reliably are listed, other events fall back to their two-digit root.
"""

from __future__ import annotations

import re

from schemas.extracted import EventType

LABELS = {
    "01": "Make public statement",
    "010": "Make statement",
    "012": "Make pessimistic comment",
    "013": "Make optimistic comment",
    "016": "Deny responsibility",
    "017": "Engage in symbolic act",
    "018": "Make empathetic comment",
    "02": "Appeal",
    "020": "Make an appeal or request",
    "025": "Appeal to yield",
    "03": "Express intent to cooperate",
    "030": "Express intent to cooperate",
    "036": "Express intent to meet or negotiate",
    "04": "Consult",
    "040": "Consult",
    "041": "Discuss by telephone",
    "042": "Make a visit",
    "043": "Host a visit",
    "044": "Meet at a third location",
    "045": "Mediate",
    "046": "Engage in negotiation",
    "05": "Engage in diplomatic cooperation",
    "051": "Praise or endorse",
    "055": "Apologize",
    "057": "Sign formal agreement",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "070": "Provide aid",
    "08": "Yield",
    "081": "Ease administrative sanctions",
    "0871": "Declare ceasefire",
    "083": "Accede to demands",
    "09": "Investigate",
    "090": "Investigate",
    "10": "Demand",
    "100": "Demand",
    "11": "Disapprove",
    "111": "Criticize or denounce",
    "112": "Accuse",
    "114": "Complain officially",
    "115": "Bring lawsuit against",
    "12": "Reject",
    "120": "Reject",
    "13": "Threaten",
    "130": "Threaten",
    "138": "Threaten with military force",
    "14": "Protest",
    "140": "Engage in political dissent",
    "141": "Demonstrate or rally",
    "15": "Exhibit military posture",
    "150": "Demonstrate military or police power",
    "16": "Reduce relations",
    "163": "Impose embargo, boycott, or sanctions",
    "17": "Coerce",
    "172": "Impose administrative sanctions",
    "173": "Arrest, detain, or charge with legal action",
    "18": "Assault",
    "180": "Use unconventional violence",
    "182": "Physically assault",
    "183": "Conduct suicide, car, or other non-military bombing",
    "186": "Assassinate",
    "19": "Fight",
    "190": "Use conventional military force",
    "193": "Fight with small arms and light weapons",
    "195": "Employ aerial weapons",
    "20": "Use unconventional mass violence",
}

_RULES: list[tuple[str, float, str]] = [
    (
        "041",
        3.0,
        r"\b(?:(?:tele)?phone|video)[- ](?:call|calls|conversation|talks?|chat|link|conference)\b|"
        r"\b(?:spoke|speak|speaks|talked|talk|talks|chat(?:ted)?)\s+(?:\w+\s+){0,3}"
        r"(?:by|on the|over the|via)\s+(?:tele)?phone\b|"
        r"\btelephone\b|\bphoned\b|\bvideo ?conference\b",
    ),
    ("042", 2.0, r"\b(?:visit(?:s|ed)?|arriv(?:es|ed) in|trip to|travel(?:s|led|ed) to)\b"),
    ("043", 2.0, r"\b(?:host(?:s|ed)?|welcom(?:es|ed))\b"),
    ("044", 2.0, r"\b(?:summit|met|meet|meets|meeting)\b"),
    ("046", 2.0, r"\b(?:negotiat\w+|talks)\b"),
    (
        "036",
        1.0,
        r"\b(?:(?:agree[sd]?|plan|offer(?:s|ed)?|ready|willing(?:ness)?) to (?:meet|talk|negotiate|hold talks)|"
        r"dialogue|diplomacy)\b",
    ),
    (
        "057",
        2.5,
        r"\b(?:sign(?:s|ed)? (?:a |an |the )?(?:\w+ ){0,2}(?:deal|agreement|treaty|accord|pact)|peace deal)\b",
    ),
    ("051", 1.5, r"\b(?:prais\w+|endors\w+|applaud\w*|hail(?:s|ed)?)\b"),
    ("070", 2.0, r"\b(?:aid|assistance|donat\w+)\b"),
    ("0871", 2.5, r"\b(?:cease-?fire|truce)\b"),
    ("090", 2.0, r"\b(?:investigat\w+|probe[sd]?|inquiry)\b"),
    ("100", 1.5, r"\b(?:demand(?:s|ed)?|call(?:s|ed)? for)\b"),
    (
        "111",
        1.5,
        r"\b(?:critici[sz]\w+|condemn\w*|denounc\w+|slam(?:s|med)?|blast(?:s|ed)?|rip(?:s|ped)?|"
        r"attack(?:s|ed)? .{0,20}(?:remarks|comments|policy|plan))\b",
    ),
    ("112", 1.5, r"\b(?:accus\w+|alleg\w+|blam\w+)\b"),
    ("115", 2.0, r"\b(?:su(?:e|es|ed|ing)|lawsuit)\b"),
    ("120", 1.5, r"\b(?:reject\w*|refus\w+|veto(?:es|ed)?|rebuff\w*)\b"),
    ("130", 1.0, r"\b(?:threat\w*|warn\w*|ultimatum|caution\w*)\b"),
    (
        "138",
        2.0,
        r"\b(?:threat\w* (?:of )?(?:military|invasion|war|force)|(?:massing|build-?up of) (?:\w+ ){0,3}troops)\b",
    ),
    ("141", 2.5, r"\b(?:protest(?:s|ed|ers)?|rall(?:y|ies|ied)|demonstrat\w+|march(?:ed)?)\b"),
    ("150", 1.5, r"\b(?:military (?:drills|exercises|build-?up)|deploy\w*|mobili[sz]\w+)\b"),
    ("163", 2.0, r"\b(?:(?:impose[sd]?|slap(?:s|ped)?|new|tough) (?:\w+ )?sanctions|embargo|boycott)\b"),
    ("173", 2.5, r"\b(?:arrest(?:s|ed)?|detain(?:s|ed)?|charged with|indict\w*|convicted|sentenced)\b"),
    (
        "182",
        2.0,
        r"\b(?:assault\w*|beat(?:s|en)?|grab(?:s|bed)?|punch\w*|shove[sd]?|"
        r"attack(?:s|ed)? (?:a |an |the )?(?:student|man|woman|reporter))\b",
    ),
    ("183", 3.0, r"\b(?:bomb(?:ing|ings|ed)?|explosion|blast)\b"),
    ("186", 3.0, r"\b(?:assassinat\w+)\b"),
    ("190", 2.5, r"\b(?:invade[sd]?|invasion|airstrikes?|shelling|offensive|clashes|fighting)\b"),
    ("012", 1.0, r"\b(?:pessimis\w+|gloomy|bleak)\b"),
    ("013", 1.0, r"\b(?:optimis\w+|hopeful|upbeat)\b"),
    ("016", 1.5, r"\b(?:den(?:y|ies|ied))\b"),
    ("055", 2.0, r"\b(?:apologi[sz]\w+|apology)\b"),
    ("010", 0.6, r"\b(?:said|says|statement|announc\w+|speech|remarks|comments?|told|tells?)\b"),
]
_COMPILED = [(code, weight, re.compile(pattern, re.IGNORECASE)) for code, weight, pattern in _RULES]
# Verbs that report what was *said in* an event: hedged in conditional clauses ("will respond if Russia invades").
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|could|would|might|should|fears?|feared|planning)\b[^.]{0,60}$", re.IGNORECASE
)
MIN_CONFIDENCE = 0.2
VERBAL_ROOTS = {"01", "02", "03", "10", "11", "12", "13"}
OCCURRENCE_SHARE = 0.5


def classify_event(title: str, lead_sentences: list[str]) -> EventType | None:
    scores: dict[str, float] = {}
    for text, factor in [(title, 2.0)] + [(s, 1.0) for s in lead_sentences]:
        for code, weight, pattern in _COMPILED:
            match = pattern.search(text)
            if match and not _hedged(text, match.start()):
                scores[code] = scores.get(code, 0.0) + weight * factor
    if not scores:
        return None
    best = _best_code(scores)
    total = sum(scores.values())
    confidence = scores[best] / total * min(1.0, scores[best] / 4.0)  # thin evidence -> lower confidence
    code = best if best in LABELS else best[:2]
    root = code[:2]
    return EventType(
        code=code,
        root=root,
        label=LABELS.get(code, LABELS.get(root, "")),
        confidence=round(max(MIN_CONFIDENCE, min(1.0, confidence)), 3),
    )


def _best_code(scores: dict[str, float]) -> str:
    """Highest score, except that an occurrence (call, meeting, attack...) beats the words said in it.

    Verbal codes (statements, appeals, demands, criticism, threats) are usually the *content* of a call
    or meeting the same lead reports; when an occurrence scores at least half the best verbal code,
    the occurrence is the event.
    """
    best = max(scores, key=lambda c: (scores[c], c))
    if best[:2] not in VERBAL_ROOTS:
        return best
    occurrences = {c: v for c, v in scores.items() if c[:2] not in VERBAL_ROOTS}
    if occurrences:
        runner = max(occurrences, key=lambda c: (occurrences[c], c))
        if occurrences[runner] >= OCCURRENCE_SHARE * scores[best]:
            return runner
    return best


def _hedged(text: str, start: int) -> bool:
    # "if Russia invades Ukraine": a conditional is not the event that happened.
    return bool(_CONDITIONAL.search(text[max(0, start - 60) : start]))
