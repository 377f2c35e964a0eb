"""Nearest-centroid search over the live events: exact up to a size limit, an IVF index above it (pure numpy).

Every row is an event's L2-normalised centroid, in one contiguous (n, dim) float32 matrix.

- Up to `exact_search_limit` rows a query is one matrix-vector product over all rows (exact cosine).
- Above it, an inverted file (IVF): a codebook of `lists` codewords, trained by a few iterations of spherical
  k-means on the rows when the index first exceeds the limit, and again whenever as many rows have been
  inserted since the last training as the index held then (growth or, in a sliding window, turnover). Each
  row belongs to the list of its nearest codeword (re-assigned when `put()` changes it), where it is kept as
  a `sketch_bits`-bit sign sketch (the signs of a random projection: their Hamming distance estimates the
  angle between two rows) in one contiguous block per list. A query scores the codebook, probes the `probe`
  lists of the closest codewords, ranks their rows by sketch Hamming distance (a few bytes a row: the probed
  blocks are concatenated and compared in one pass) and re-scores the best `candidates` exactly.

Removal moves the last row (of the matrix, of the list) into the freed slot, so every block stays dense.
"""

from __future__ import annotations

import numpy as np

TRAIN_ITERATIONS = 5         # spherical k-means (Lloyd) iterations per training
TRAIN_SAMPLE_PER_LIST = 32   # k-means runs on a sample of at most this many rows per codeword
_CHUNK = 8192                # rows assigned per matrix product when a training re-assigns every row


class CentroidIndex:
    """Cosine top-k over (event_id, centroid) rows with insert, update and removal. Not thread-safe."""

    def __init__(self, dim: int, *, exact_search_limit: int = 4096, lists: int = 256, probe: int = 64,
                 candidates: int = 48, sketch_bits: int = 128, seed: int = 13) -> None:
        if sketch_bits % 64 or not 0 < sketch_bits < 256:  # Hamming distances are summed as uint8
            raise ValueError(f"sketch_bits {sketch_bits} is not 64, 128 or 192")
        if dim < sketch_bits:  # the sketch projection has orthonormal columns: at most dim of them
            raise ValueError(f"dim {dim} < sketch_bits {sketch_bits}")
        self.dim = dim
        self.exact_search_limit = exact_search_limit
        self.lists = lists
        self.probe = probe
        self.candidates = candidates
        self._rng = np.random.default_rng(seed)
        q, _ = np.linalg.qr(self._rng.standard_normal((dim, sketch_bits)))
        self._proj = np.ascontiguousarray(q.astype(np.float32))   # (dim, sketch_bits), orthonormal columns
        self._words = sketch_bits // 64
        self._ids: list[str] = []                                  # row -> event_id
        self._row: dict[str, int] = {}                             # event_id -> row
        self._mat = np.zeros((64, dim), dtype=np.float32)          # (cap, dim) normalised centroids
        self._span = np.full((64, 2), np.nan)                      # row -> (first, last) dated time; NaN: none
        # IVF state (codebook None until the index first exceeds exact_search_limit)
        self._codebook: np.ndarray | None = None                   # (lists, dim) normalised codewords
        self._list_of = np.zeros(64, dtype=np.int64)               # row -> its list
        self._slot_of = np.zeros(64, dtype=np.int64)               # row -> its slot in that list
        # list -> (words + 3, cap) uint64, column = slot: the row's sketch words, its span (first, last: the
        # float64 bits), then the row itself (the probed blocks are gathered with a single concatenation, and
        # the time filter reads the spans there: gathering them from `_span` was a third of a probe).
        # Word-major: the query's XOR broadcasts along the long axis ((n, 2) ^ (2,) is ~10x slower).
        self._blocks: list[np.ndarray] = []
        self._sizes: list[int] = []                                # list -> rows in it
        self._filled: list[np.ndarray] = []                        # list -> its block's filled columns (a view)
        self._trained_at = 0                                       # rows at the last training
        self._inserted = 0                                         # rows inserted since then

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._row

    @property
    def trained(self) -> bool:
        """Whether the IVF codebook exists (the index has exceeded `exact_search_limit` rows once)."""
        return self._codebook is not None

    # ------------------------------------------------------------------ mutation
    def put(self, event_id: str, vector: np.ndarray,
            span: tuple[float | None, float | None] = (None, None)) -> None:
        """Insert the event's row, or update it; stored L2-normalised (a zero vector stays zeros). `span`: the
        event's oldest and newest dated time (epoch s), for `search`'s time filter."""
        centroid = np.zeros(self.dim, dtype=np.float32)
        centroid[:] = vector / max(float(np.linalg.norm(vector)), 1e-9)
        span_row = [np.nan if t is None else t for t in span]
        row = self._row.get(event_id)
        if row is not None:
            self._mat[row] = centroid
            self._span[row] = span_row
            if self._codebook is not None:
                self._list_drop(row)
                self._list_add(row, centroid)
            return
        row = len(self._ids)
        if row >= self._mat.shape[0]:
            cap = 2 * self._mat.shape[0]
            self._mat = np.resize(self._mat, (cap, self.dim))
            self._span = np.resize(self._span, (cap, 2))
            self._list_of = np.resize(self._list_of, cap)
            self._slot_of = np.resize(self._slot_of, cap)
        self._ids.append(event_id)
        self._row[event_id] = row
        self._mat[row] = centroid
        self._span[row] = span_row
        self._inserted += 1
        if len(self._ids) > self.exact_search_limit and \
                (self._codebook is None or self._inserted >= self._trained_at):
            self.train()  # assigns the new row too
        elif self._codebook is not None:
            self._list_add(row, centroid)

    def remove(self, event_id: str) -> None:
        """Remove the event's row (KeyError if absent): the last row moves into its place."""
        row = self._row.pop(event_id)
        last = len(self._ids) - 1
        if self._codebook is not None:
            self._list_drop(row)
        if row != last:
            moved = self._ids[last]
            self._mat[row] = self._mat[last]
            self._span[row] = self._span[last]
            self._ids[row] = moved
            self._row[moved] = row
            if self._codebook is not None:
                lst, slot = self._list_of[last], self._slot_of[last]
                self._blocks[lst][-1, slot] = row
                self._list_of[row], self._slot_of[row] = lst, slot
        self._ids.pop()

    # ------------------------------------------------------------------ search
    def search(self, vec: np.ndarray, k: int, min_similarity: float = -1.0, time: float | None = None,
               window_s: float = 0.0) -> list[tuple[str, float]]:
        """(event_id, cosine) of the k rows closest to the normalised `vec` with cosine >= min_similarity, best
        first. Exact up to `exact_search_limit` rows; above it approximate (IVF): a true top-k row can be missed.
        With a `time`, rows whose dated span lies more than `window_s` away from it are left out before the
        top k is taken (rows without a span never are): old look-alikes must not crowd out the real event.
        """
        n = len(self._ids)
        if n == 0 or k <= 0:
            return []
        # np.dot, not @: for matrix @ vector numpy's matmul takes a threaded BLAS path that collapses
        # (x60 measured) when the cores are busy; dot's gemv path stays fast.
        if n > self.exact_search_limit and self._codebook is not None:
            rows = self._probe(vec, time, window_s)
            exact = np.dot(self._mat[rows], vec)
        else:
            rows = None
            exact = np.dot(self._mat[:n], vec)
            if time is not None:
                exact = np.where(self._outside(np.arange(n), time, window_s), -np.inf, exact)
        m = len(exact)
        k = min(k, m)
        top = np.argpartition(-exact, k - 1)[:k] if k < m else np.arange(m)
        top = top[np.argsort(-exact[top])]
        top = top[exact[top] >= min_similarity]
        ids = self._ids
        if rows is None:
            return [(ids[i], float(exact[i])) for i in top.tolist()]
        return [(ids[r], float(exact[i])) for r, i in zip(rows[top].tolist(), top.tolist())]

    def _outside(self, rows: np.ndarray, time: float, window_s: float) -> np.ndarray:
        """Rows whose dated span lies more than window_s from `time`; NaN bounds (undated events) compare False."""
        span = self._span[rows]
        return (time < span[:, 0] - window_s) | (time > span[:, 1] + window_s)

    def _probe(self, vec: np.ndarray, time: float | None = None, window_s: float = 0.0) -> np.ndarray:
        """Rows of the probed lists (those in the time window), narrowed to the `candidates` closest by sketch
        Hamming distance."""
        scores = np.dot(self._codebook, vec)
        p = min(self.probe, len(scores))
        probed = np.argpartition(scores, len(scores) - p)[len(scores) - p:].tolist()
        filled = self._filled  # views kept per list: slicing 64 blocks per query was a fifth of a probe
        found = np.concatenate([filled[lst] for lst in probed], axis=1)
        w = self._words
        rows = found[-1]
        outside = None
        if time is not None:  # before the cut-off: out-of-window look-alikes must not take the places
            span = found[w:w + 2].view(np.float64)  # NaN bounds (undated events) compare False, as in _outside
            outside = (time < span[0] - window_s) | (time > span[1] + window_s)
            if len(rows) - int(np.count_nonzero(outside)) <= self.candidates:
                return rows[~outside]
        elif len(rows) <= self.candidates:
            return rows
        diff = np.bitwise_count(found[:w] ^ self._sketch(vec)[:, None])
        ham = np.add.reduce(diff, axis=0, dtype=np.uint8)  # < 256 bits
        if outside is not None:
            ham[outside] = 255  # after every row in the window (at most 192 bits differ): never among the cut
        # the `candidates` smallest distances, ties in list order: a histogram gives the cut-off (an
        # argpartition of these few distinct values is 3x slower)
        k = self.candidates
        cut = int(np.searchsorted(np.cumsum(np.bincount(ham, minlength=256)), k))
        below = np.flatnonzero(ham < cut)
        return rows[np.concatenate([below, np.flatnonzero(ham == cut)[:k - len(below)]])]

    # ------------------------------------------------------------------ IVF bookkeeping
    def _sketch(self, centroids: np.ndarray) -> np.ndarray:
        """Sign sketches: (..., dim) float -> (..., sketch_bits // 64) uint64."""
        return np.packbits(np.dot(centroids, self._proj) > 0, axis=-1).view(np.uint64)

    def _list_add(self, row: int, centroid: np.ndarray) -> None:
        lst = int(np.argmax(np.dot(self._codebook, centroid)))  # the nearest codeword's list
        slot = self._sizes[lst]
        block = self._blocks[lst]
        if slot >= block.shape[1]:
            grown = np.zeros((block.shape[0], 2 * block.shape[1]), dtype=np.uint64)
            grown[:, :slot] = block
            self._blocks[lst] = block = grown
        block[:self._words, slot] = self._sketch(centroid)
        block[self._words:-1, slot] = self._span[row].view(np.uint64)
        block[-1, slot] = row
        self._list_of[row], self._slot_of[row] = lst, slot
        self._sizes[lst] = slot + 1
        self._filled[lst] = block[:, :slot + 1]

    def _list_drop(self, row: int) -> None:
        lst, slot = self._list_of[row], self._slot_of[row]
        last = self._sizes[lst] - 1
        if slot != last:
            block = self._blocks[lst]
            block[:, slot] = block[:, last]
            self._slot_of[block[-1, slot]] = slot
        self._sizes[lst] = last
        self._filled[lst] = self._blocks[lst][:, :last]

    def train(self) -> None:
        """(Re)train the codebook on the current rows and rebuild every list (seeded: deterministic)."""
        n = len(self._ids)
        if n == 0:
            return
        mat = self._mat[:n]
        n_lists = min(self.lists, n)
        sample = mat[self._rng.choice(n, min(n, n_lists * TRAIN_SAMPLE_PER_LIST), replace=False)]
        codebook = sample[self._rng.choice(len(sample), n_lists, replace=False)]
        for _ in range(TRAIN_ITERATIONS):
            assign = np.argmax(np.dot(sample, codebook.T), axis=1)
            sums = np.zeros_like(codebook)
            np.add.at(sums, assign, sample)
            empty = np.linalg.norm(sums, axis=1) < 1e-9  # a codeword that won no row restarts at a random one
            sums[empty] = sample[self._rng.choice(len(sample), int(empty.sum()))]
            codebook = sums / np.maximum(np.linalg.norm(sums, axis=1), 1e-9)[:, None]
        self._codebook = np.ascontiguousarray(codebook, dtype=np.float32)
        assign = np.concatenate([np.argmax(np.dot(mat[i:i + _CHUNK], self._codebook.T), axis=1)
                                 for i in range(0, n, _CHUNK)])
        sketches = self._sketch(mat)
        order = np.argsort(assign, kind="stable")
        bounds = np.searchsorted(assign[order], np.arange(n_lists + 1))
        self._blocks, self._sizes, self._filled = [], [], []
        for lst in range(n_lists):
            rows = order[bounds[lst]:bounds[lst + 1]]
            block = np.zeros((self._words + 3, max(8, 2 * len(rows))), dtype=np.uint64)
            block[:self._words, :len(rows)] = sketches[rows].T
            block[self._words:-1, :len(rows)] = np.ascontiguousarray(self._span[rows].T).view(np.uint64)
            block[-1, :len(rows)] = rows
            self._blocks.append(block)
            self._sizes.append(len(rows))
            self._filled.append(block[:, :len(rows)])
            self._list_of[rows] = lst
            self._slot_of[rows] = np.arange(len(rows))
        self._trained_at, self._inserted = n, 0
