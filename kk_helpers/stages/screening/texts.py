"""Vectorised texts of the screening: number/percent/money formatting of arrays, templates,
criterion labels and the translation of the "why this class" codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core.formatting import currency_symbol, format_pct
from kk_helpers.core.i18n import check_language, translations


def _vec_number(x: np.ndarray, lang: str, decimals: int = 0) -> np.ndarray:
    """Absolute values as text with grouping, vectorised (half away from zero), no sign."""
    scale = 10.0**decimals
    v = np.floor(np.abs(x) * scale + 0.5)
    whole = pd.Series(np.floor(v / scale).astype("int64")).astype("str")
    grouped = whole.str.replace(r"\B(?=(\d{3})+(?!\d))", "." if lang == "de" else ",", regex=True)
    out = grouped.to_numpy(dtype=object)
    if decimals:
        frac = (
            pd.Series((v % scale).astype("int64"))
            .astype("str")
            .str.zfill(decimals)
            .to_numpy(dtype=object)
        )
        out = out + ("," if lang == "de" else ".") + frac
    return out


def _vec_pct(x: np.ndarray, lang: str, signed: bool = False) -> np.ndarray:
    """Shares as whole percentages, vectorised: ``+12 %`` (de) / ``+12%`` (en); NaN "–"."""
    x = np.asarray(x, dtype="float64")
    body = _vec_number(np.nan_to_num(x) * 100.0, lang)
    zero = body == "0"
    sign = np.where((x < 0) & ~zero, "-", np.where(signed & (x > 0) & ~zero, "+", ""))
    out = sign.astype(object) + body + (" %" if lang == "de" else "%")
    return np.where(np.isnan(x), "–", out)


def _vec_money(x: np.ndarray, lang: str, currency: str = "EUR") -> np.ndarray:
    """Money amounts without decimals, vectorised: ``8.200 €`` (de) / ``€8,200`` (en)."""
    x = np.asarray(x, dtype="float64")
    body = _vec_number(np.nan_to_num(x), lang)
    sym = currency_symbol(currency)
    sign = np.where((x < 0) & (body != "0"), "-", "").astype(object)
    out = (
        sign + body + f" {sym}"
        if lang == "de"
        else sign + sym + (" " if sym[-1:].isalpha() else "") + body
    )
    return np.where(np.isnan(x), "–", out)


def fill_template(key: str, lang: str, n: int, **values: object) -> np.ndarray:
    """Fill a translation template with arrays of texts, vectorised (one text per row).

    Args:
        key: translation key whose text has ``{name}`` placeholders.
        lang: ``de`` or ``en``.
        n: number of rows.
        values: per placeholder a str (same for all rows) or an array of n str.

    Returns:
        object array of n texts.

    >>> fill_template("screen.widget.share", "en", 2, label=np.array(["A", "B"], dtype=object)).tolist()
    ['Share A', 'Share B']
    """
    import string

    text = translations()[key][check_language(lang)]
    out = np.full(n, "", dtype=object)
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out = out + literal
        if name is not None:
            out = out + values[name]
    return out


def criterion_label(name: str, lang: str) -> str:
    """Display name of a criterion (``screen.crit.<name>``, else ``col.<name>``, else the name).

    >>> criterion_label("revenue_last_year", "en")
    'Revenue last year'
    """
    table = translations()
    for key in (f"screen.crit.{name}", f"col.{name}"):
        if key in table:
            return table[key][lang]
    return name.replace("_", " ")


def translate_criteria(codes: pd.Series, lang: str) -> pd.Series:
    """Lists of criterion codes (``"trend, margin_pct"``) as their display names.

    >>> translate_criteria(pd.Series(["trend, margin_pct", ""]), "en").tolist()
    ['Revenue trend, CM I margin', '']
    """
    check_language(lang)
    s = codes.astype("str").fillna("")
    names = {c: criterion_label(c, lang) for c in set(", ".join(s.unique()).split(", ")) if c}
    out = s.map(lambda x: ", ".join(names[c] for c in x.split(", ")) if x else "")
    return pd.Series(out.to_numpy(), index=codes.index, dtype="str", name=codes.name)


def _points_text(values: np.ndarray, lang: str, minus: str = "−") -> np.ndarray:
    """Signed score points with one decimal, vectorised: ``+8,2`` (de) / ``+8.2`` (en).

    Uses a lookup table of the texts 0.0 … 100.0 (contributions never exceed 100 points).
    """
    tenths = np.minimum(np.floor(np.abs(np.nan_to_num(values)) * 10.0 + 0.5), 1000).astype("int64")
    mark = "," if lang == "de" else "."
    table = np.array([f"{k // 10}{mark}{k % 10}" for k in range(1001)], dtype=object)
    sign = np.where(values >= 0, "+", minus).astype(object)
    return sign + table[tenths]


def translate_why(codes: pd.Series, lang: str) -> pd.Series:
    """Texts of :func:`why_codes` in ``lang``: ``"Revenue trend +5.0, CM I p.a. +1.0"``.

    >>> translate_why(pd.Series(["trend=+5.0;margin=-1.5", ""]), "de").tolist()
    ['Umsatztrend +5,0, DB I p.a. −1,5', '']
    """
    check_language(lang)
    values = codes.astype("str").fillna("").tolist()
    rows: list[int] = []
    crits: list[str] = []
    points: list[float] = []
    for i, code in enumerate(values):  # split the codes (plain str ops; pandas' are slower)
        for part in code.split(";") if code else ():
            if not part:
                continue
            crit, _, num = part.partition("=")
            try:
                x = float(num)
            except ValueError:
                x = np.nan
            rows.append(i)
            crits.append(crit)
            points.append(x)
    out = [""] * len(values)
    if rows:
        names = {c: criterion_label(c, lang) for c in dict.fromkeys(crits)}
        texts = _points_text(np.asarray(points, dtype="float64"), lang)
        for i, crit, text in zip(rows, crits, texts, strict=True):
            part = f"{names[crit]} {text}"
            out[i] = f"{out[i]}, {part}" if out[i] else part
    return pd.Series(out, index=codes.index, dtype="str", name=codes.name)


#: parts of a smart-account reason code, in display order: code name -> template key
SMART_REASON_PARTS: tuple[tuple[str, str], ...] = (
    ("trend", "screen.smart.part.trend"),
    ("margin", "screen.smart.part.margin"),
    ("headroom", "screen.smart.part.headroom"),
)


def translate_smart_reason(codes: pd.Series, lang: str, currency: str = "EUR") -> pd.Series:
    """Texts of the smart-account reason codes
    (:func:`kk_helpers.stages.screening.segments.smart_accounts`) in ``lang``.

    >>> translate_smart_reason(pd.Series(["trend=0.2;margin=0.3;limit=0.3;headroom=900.0",
    ...                                   "headroom=50.0", ""]), "de").tolist()
    ['Trend +20 %, DB-I-Marge 30 % (Grenze 30 %), ungenutztes Potenzial 900 €', \
'ungenutztes Potenzial 50 €', '']
    """
    check_language(lang)
    s = codes.astype("str").fillna("").reset_index(drop=True)
    out = np.full(len(s), "", dtype=object)
    rows = (s != "").to_numpy()
    if rows.any():
        sub = s[rows]
        num = {
            k: pd.to_numeric(sub.str.extract(rf"(?:^|;){k}=([^;]*)")[0], errors="coerce").to_numpy(
                dtype="float64"
            )
            for k in ("trend", "margin", "limit", "headroom")
        }
        n = len(sub)
        lim = num["limit"]
        limits = np.full(n, "", dtype=object)
        for x in pd.unique(lim[~np.isnan(lim)]):  # one limit per run
            limits[lim == x] = format_pct(x, lang)
        values = {
            "trend": {"trend": _vec_pct(num["trend"], lang, signed=True)},
            "margin": {"margin": _vec_pct(num["margin"], lang), "limit": limits},
            "headroom": {"headroom": _vec_money(num["headroom"], lang, currency)},
        }
        text = np.full(n, "", dtype=object)
        for name, key in SMART_REASON_PARTS:
            present = ~np.isnan(num[name])
            part = np.where(present, fill_template(key, lang, n, **values[name]), "")
            sep = np.where((text != "") & present, ", ", "")
            text = text + sep + part
        out[rows] = text
    return pd.Series(out, index=codes.index, dtype="str", name=codes.name)
