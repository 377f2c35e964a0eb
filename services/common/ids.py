"""Stable identifiers: the same article always gets the same id, wherever it comes from."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the reader; they never change which article a URL names.
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid|smid|partner)$", re.I)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop 'www.', fragments, tracking parameters and trailing slashes."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)))
    path = re.sub(r"/+$", "", parts.path) or "/"
    return urlunsplit(("https", host, path, query, ""))


def article_id(url: str | None, outlet: str | None, title: str, text: str | None) -> str:
    """16 hex chars of SHA-256 of the normalized URL, or of outlet+title+text when there is no URL."""
    if url:
        key = "url:" + normalize_url(url)
    else:
        squash = lambda s: " ".join((s or "").lower().split())  # noqa: E731 - whitespace-insensitive
        key = "content:" + "\x1f".join((squash(outlet), squash(title), squash(text)))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return host or None
