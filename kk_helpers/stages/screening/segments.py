"""Portfolio quadrants (attractiveness x supplier position) and smart accounts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core.config import PortfolioSettings, SmartAccountSettings
from kk_helpers.stages.screening.schema import (
    HEADROOM,
    NONE,
    PRIORITY_CLASS,
    QUADRANT,
    SMART_ACCOUNT,
    SMART_REASON,
)


def portfolio_quadrants(
    attractiveness: pd.Series,
    position: pd.Series,
    settings: PortfolioSettings | None = None,
) -> pd.Series:
    """Portfolio quadrant per customer (after Homburg / Link).

    star = high attractiveness and strong position (hold and expand); question_mark =
    high attractiveness, weak position (invest or withdraw); cash = low attractiveness,
    strong position (hold efficiently); opportunistic = both low (selective
    withdrawal). "High" means ≥ the threshold (default: the median).

    Args:
        attractiveness: score per customer (0-100).
        position: supplier position per customer (e.g. share of wallet); NaN -> ``none``.
        settings: thresholds (None = median).

    Returns:
        Series ``portfolio_quadrant`` (str); ``attrs["thresholds"]`` = (x, y) used.

    >>> q = portfolio_quadrants(pd.Series([80.0, 80.0, 20.0, 20.0]), pd.Series([0.9, 0.1, 0.9, None]),
    ...                         PortfolioSettings(attractiveness_threshold=50, position_threshold=0.5))
    >>> q.tolist()
    ['star', 'question_mark', 'cash', 'none']
    """
    s = settings or PortfolioSettings()
    x = attractiveness.to_numpy(dtype="float64")
    y = pd.to_numeric(position, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    x_thr = s.attractiveness_threshold
    y_thr = s.position_threshold
    if x_thr is None:
        x_thr = float(np.nanmedian(x)) if np.isfinite(x).any() else 50.0
    if y_thr is None:
        y_thr = float(np.nanmedian(y)) if np.isfinite(y).any() else 0.5
    hx, hy = x >= x_thr, y >= y_thr
    q = np.select([hx & hy, hx & ~hy, ~hx & hy], ["star", "question_mark", "cash"], "opportunistic")
    q = np.where(np.isnan(x) | np.isnan(y), NONE, q)
    out = pd.Series(q, index=attractiveness.index, name=QUADRANT, dtype="str")
    out.attrs["thresholds"] = (float(x_thr), float(y_thr))
    return out


def _join_codes(parts: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """``name=value`` pairs joined by ``;`` per row (values as Python float text)."""
    out = None
    for name, values in parts:
        text = f"{name}=" + pd.Series(values, dtype="float64").astype("str").to_numpy(dtype=object)
        out = text if out is None else out + ";" + text
    return out


def smart_accounts(
    frame: pd.DataFrame,
    settings: SmartAccountSettings | None = None,
    *,
    explain: bool = True,
) -> pd.DataFrame:
    """Smart accounts: small customers that grow and can be served profitably.

    Rule: small (priority class in ``settings.classes`` or last-year revenue below
    ``max_revenue``) and trend > ``min_trend`` and CM I % ≥ ``min_margin_pct``
    (default: median CM I % of all customers) and unused potential
    (potential − last-year revenue) ≥ ``min_headroom`` × potential.

    Missing data: a trend or margin condition that no customer has data for is left
    out (``attrs["skipped"]`` names it: ``trend`` / ``margin``); without any potential
    no customer can be a smart account (unused potential defines them:
    ``attrs["skipped"]`` holds ``potential``, ``attrs["available"]`` is False).

    Args:
        frame: per customer ``priority_class``, ``revenue_last_year``, ``trend``,
            ``margin_pct`` (share), ``potential`` (currency).
        settings: the rule's parameters.
        explain: build the reason codes (False: empty, faster).

    Returns:
        DataFrame with ``smart_account`` (bool), ``potential_headroom`` (currency) and
        ``smart_account_reason`` (language-free codes with the numbers behind the flag,
        ``trend=<share>;margin=<share>;limit=<share>;headroom=<currency>`` for the
        conditions applied, empty when not a smart account; shown as text by
        :func:`kk_helpers.stages.screening.texts.translate_smart_reason`);
        ``attrs["min_margin_pct"]`` is the margin limit used (NaN when left out).

    >>> f = pd.DataFrame({"priority_class": ["C", "C", "A"], "revenue_last_year": [100.0, 100.0, 900.0],
    ...     "trend": [0.2, -0.1, 0.3], "margin_pct": [0.4, 0.4, 0.4], "potential": [500.0, 500.0, 2000.0]})
    >>> out = smart_accounts(f)
    >>> out["smart_account"].tolist(), out["smart_account_reason"].tolist()
    ([True, False, False], ['trend=0.2;margin=0.4;limit=0.4;headroom=400.0', '', ''])
    """
    s = settings or SmartAccountSettings()
    cls = frame[PRIORITY_CLASS].astype("str")
    rev = pd.to_numeric(frame["revenue_last_year"], errors="coerce").fillna(0.0)
    trend = pd.to_numeric(frame["trend"], errors="coerce")
    mpct = pd.to_numeric(frame["margin_pct"], errors="coerce")
    pot = pd.to_numeric(frame["potential"], errors="coerce")
    has = {
        "trend": bool(trend.notna().any()),
        "margin": bool(mpct.notna().any()),
        "potential": bool((pot > 0).any()),
    }
    small = cls.isin(s.classes)
    if s.max_revenue is not None:
        small |= rev < s.max_revenue
    limit = s.min_margin_pct if s.min_margin_pct is not None else float(mpct.median())
    if not has["margin"]:
        limit = float("nan")
    headroom = (pot - rev).clip(lower=0.0)
    flag = small & (headroom >= s.min_headroom * pot) & (pot > 0)
    if has["trend"]:
        flag &= trend > s.min_trend
    if has["margin"]:
        flag &= mpct >= limit
    flag = flag.fillna(False).astype(bool)
    reason = np.full(len(frame), "", dtype=object)
    f = flag.to_numpy()
    if explain and f.any():
        parts = []
        if has["trend"]:
            parts.append(("trend", trend.to_numpy()[f]))
        if has["margin"]:
            parts.append(("margin", mpct.to_numpy()[f]))
            parts.append(("limit", np.full(int(f.sum()), limit)))
        parts.append(("headroom", headroom.to_numpy()[f]))
        reason[f] = _join_codes(parts)
    out = pd.DataFrame(
        {
            SMART_ACCOUNT: f,
            HEADROOM: headroom.to_numpy(),
            SMART_REASON: pd.array(reason.astype(str), dtype="str"),
        }
    )
    out.index = frame.index
    out.attrs["min_margin_pct"] = limit
    out.attrs["skipped"] = [k for k, v in has.items() if not v]
    out.attrs["available"] = has["potential"]
    return out
