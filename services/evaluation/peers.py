"""Peer systems newsfuse is compared with (bench_quality): both work on the raw rows, in stream order.

* `TfidfSinglePass`: the classic TDT baseline. TF-IDF (sublinear tf, English stop words) over title + text,
  IDF fitted on the whole file (the classic setting; favours the peer), single pass, article joins the
  most similar cluster centroid if cosine >= threshold, else starts a cluster. Threshold tuned on dev.
* `MinHashLSHGrouping`: near-duplicate grouping with datasketch MinHash LSH over word 3-shingles of the
  body; an article joins the group of the first earlier article whose estimated Jaccard >= threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


def _doc(row: dict[str, Any]) -> str:
    return f"{row.get('title') or ''}\n{row.get('text') or ''}"


class TfidfSinglePass:
    name = "tfidf-single-pass"

    def __init__(self, threshold: float = 0.225) -> None:
        self.threshold = threshold

    def cluster(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not rows:
            return []
        X = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([_doc(r) for r in rows])
        X = X.tocsr().astype(np.float32)
        labels: list[int] = []
        sums: list[np.ndarray] = []
        cent = np.zeros((0, X.shape[1]), dtype=np.float32)
        for i in range(X.shape[0]):
            v = X[i].toarray()[0]
            if len(sums):
                sims = cent @ v
                j = int(np.argmax(sims))
                if sims[j] >= self.threshold:
                    sums[j] = sums[j] + v
                    cent[j] = sums[j] / max(float(np.linalg.norm(sums[j])), 1e-9)
                    labels.append(j)
                    continue
            sums.append(v.copy())
            cent = np.vstack([cent, (v / max(float(np.linalg.norm(v)), 1e-9))[None, :]])
            labels.append(len(sums) - 1)
        return labels


class MinHashLSHGrouping:
    name = "minhash-lsh"

    def __init__(self, threshold: float = 0.5, num_perm: int = 128, shingle: int = 3) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle

    def _minhash(self, text: str):
        from datasketch import MinHash

        words = [w.lower() for w in _WORD.findall(text)]
        k = self.shingle
        shingles = {" ".join(words[i:i + k]) for i in range(max(len(words) - k + 1, 1))} or {""}
        m = MinHash(num_perm=self.num_perm)
        m.update_batch([s.encode() for s in shingles])
        return m

    def cluster(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        labels: list[int] = []
        for i, row in enumerate(rows):
            text = row.get("text") or row.get("title") or ""
            m = self._minhash(text)
            hits = sorted(int(h) for h in lsh.query(m))
            labels.append(labels[hits[0]] if hits else (max(labels) + 1 if labels else 0))
            lsh.insert(str(i), m)
        return labels
