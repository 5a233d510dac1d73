"""Per-customer sums of the orders below any order value, without touching the orders again.

The small-order scenarios (minimum order value, surcharge) ask, on every slider move and
about 30 times for the tornado: per customer, how many orders have ``lower ≤ value < T``
and what do they sum to (value, CM I, processing cost, ...). :class:`OrderSums` answers
for any ``lower`` and ``T`` in O(customers × log orders): the orders are sorted once by
customer and value, and for each summed quantity the running sum within each customer is
kept (accumulated in extended precision, so a difference of two running sums is exact
to far below a cent). A run then costs the same for 100,000 or 10 million orders, and its
results are those of summing the orders one by one (for every threshold, not only for
those on a slider grid): ``tests/test_scenarios.py`` checks both against each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

#: per-customer arrays kept for the last thresholds (8 quantities × a few thresholds;
#: 100,000 customers: 0.8 MB each) and for the last windows (5 arrays each)
_MEMO_SIZE = 64
_WINDOWS = 8


@dataclass(frozen=True)
class OrderSums:
    """Orders sorted by (customer, value) with running sums per customer.

    ``key``: per sorted order ``customer × (len(values) + 1) + rank of its value`` (int64,
    ascending); ``values``: the distinct order values, ascending; ``start`` / ``end``:
    per customer (row of the base) its range in the sorted orders; ``prefix[q]``: per
    sorted order the sum of quantity ``q`` over the same customer's orders before it;
    ``total[q]``: per customer the sum of ``q`` over all its orders. The per-customer
    sums below a threshold are kept for the last thresholds asked (a slider move or a
    tornado run mostly asks for the same thresholds again).
    """

    key: np.ndarray
    values: np.ndarray
    start: np.ndarray
    end: np.ndarray
    prefix: Mapping[str, np.ndarray]
    total: Mapping[str, np.ndarray]
    _memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False, compare=False)
    _windows: dict[tuple[object, ...], dict[str, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def build(
        cls, pos: np.ndarray, value: np.ndarray, n_customers: int, /, **quantities: np.ndarray
    ) -> OrderSums:
        """Sort the orders (``pos``: customer row, ``value``: order value) and keep the
        running sums of each of ``quantities`` (arrays aligned to the orders).

        >>> s = OrderSums.build(np.array([0, 0, 1]), np.array([50.0, 20.0, 70.0]), 2,
        ...                     value=np.array([50.0, 20.0, 70.0]))
        >>> s.count(0.0, 60.0).tolist(), s.sum("value", 0.0, 60.0).tolist()
        ([2, 0], [70.0, 0.0])
        """
        pos = np.asarray(pos, dtype=np.int64)
        value = np.asarray(value, dtype="float64")
        order = np.lexsort((value, pos))
        sp, sv = pos[order], value[order]
        values = np.unique(sv)
        key = sp * np.int64(len(values) + 1) + np.searchsorted(values, sv)
        customers = np.arange(n_customers)
        start = np.searchsorted(sp, customers, side="left")
        end = np.searchsorted(sp, customers, side="right")
        prefix, total = {}, {}
        for name, x in quantities.items():
            run = np.zeros(len(order) + 1, dtype=np.longdouble)
            np.cumsum(np.asarray(x, dtype="float64")[order], dtype=np.longdouble, out=run[1:])
            prefix[name] = (run[:-1] - run[start[sp]]).astype("float64")
            total[name] = (run[end] - run[start]).astype("float64")
        return cls(key, values, start, end, prefix, total)

    def _index(self, threshold: float) -> np.ndarray:
        """Per customer the index of its first sorted order with value ≥ ``threshold``
        (NaN: no order is below it)."""
        if np.isnan(threshold):
            return self.start
        rank = np.searchsorted(self.values, threshold, side="left")
        q = np.arange(len(self.start), dtype=np.int64) * np.int64(len(self.values) + 1) + rank
        return np.searchsorted(self.key, q, side="left")

    def _below(self, name: str | None, threshold: float) -> np.ndarray:
        """Per customer the count (``name`` None) or the sum of ``name`` over its orders
        with value < ``threshold`` (kept for the last thresholds; read-only arrays)."""
        key = (name, float(threshold))
        out = self._memo.get(key)
        if out is not None:
            return out  # type: ignore[return-value]
        k = self._memo.get(("_k", key[1]))  # type: ignore[assignment]
        if k is None:
            k = self._index(threshold)
            self._memo[("_k", key[1])] = k
        if name is None:
            out = k - self.start
        else:
            p = self.prefix[name]
            inside = k < self.end
            at = np.where(inside, k, 0) if len(p) else k * 0
            out = np.where(inside, p[at] if len(p) else 0.0, self.total[name])
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        out.setflags(write=False)
        self._memo[key] = out
        return out

    def count(self, lower: float, upper: float) -> np.ndarray:
        """Per customer the number of orders with ``lower ≤ value < upper`` (int64)."""
        if np.isnan(lower) or np.isnan(upper):
            return np.zeros(len(self.start), dtype=np.int64)
        return np.maximum(self._below(None, upper) - self._below(None, lower), 0)

    def sum(self, name: str, lower: float, upper: float) -> np.ndarray:
        """Per customer the sum of quantity ``name`` over its orders with
        ``lower ≤ value < upper`` (0 where there is none)."""
        if np.isnan(lower) or np.isnan(upper) or not upper > lower:
            return np.zeros(len(self.start))
        return self._below(name, upper) - self._below(name, lower)

    def window(
        self,
        lower: float,
        upper: float,
        chosen: np.ndarray,
        *,
        names: tuple[str, ...],
        shift: tuple[np.ndarray, str, str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Per customer the count (``"count"``) and the sums of ``names`` over its orders
        with ``lower ≤ value < upper``, 0 for customers not ``chosen`` (bool per customer).

        ``shift``: ``(share, q, r)``: quantity ``q`` minus ``share`` (per customer) × ``r``
        (the processing cost after the order shift). Kept for the last windows asked
        (the tornado's runs mostly ask for the same one); read-only arrays.

        >>> s = OrderSums.build(np.array([0, 1]), np.array([5.0, 7.0]), 2, v=np.array([5.0, 7.0]))
        >>> s.window(0.0, 10.0, np.array([True, False]), names=("v",))["v"].tolist()
        [5.0, 0.0]
        """
        key: tuple[object, ...] = (float(lower), float(upper), names,
                                   chosen.tobytes())  # fmt: skip
        if shift is not None:
            key += (shift[0].tobytes(), shift[1], shift[2])
        out = self._windows.get(key)
        if out is not None:
            return out
        out = {"count": np.where(chosen, self.count(lower, upper), 0).astype("float64")}
        for name in names:
            out[name] = np.where(chosen, self.sum(name, lower, upper), 0.0)
        if shift is not None:
            share, q, r = shift
            out[q] = out[q] - share * np.where(chosen, self.sum(r, lower, upper), 0.0)
        for a in out.values():
            a.setflags(write=False)
        if len(self._windows) >= _WINDOWS:
            self._windows.clear()
        self._windows[key] = out
        return out
