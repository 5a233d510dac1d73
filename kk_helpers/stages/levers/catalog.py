"""The 8 levers of small-customer management: assessment questions and data indicators.

The catalog follows Belz & Schmitz (St. Gallen; docs/method.md, section 1):

1. ``customers``     customer count and structure
2. ``offering``      offering configuration (standard vs. tailored, low-service products)
3. ``conditions``    conditions (list prices, minimum order values, small-order surcharges)
4. ``coverage``      efficiency of market coverage (inside sales, events, outsourcing)
5. ``channels``      distribution channels (e-commerce, self-service, remote selling)
6. ``it``            IT (automated enquiry/order tracking, reporting, mailings)
7. ``organisation``  structure and management (small-customer team, digital processes)
8. ``cooperations``  cooperations (dealers, service partners)

Each lever has 3-5 **questions** that interviewees rate on three 1-5 scales (current
maturity, target maturity, importance) and 0-3 **indicators** computed from the
client's data (see :mod:`kk_helpers.stages.levers.indicators`), each with a traffic light.

Texts live in the translation table: lever names ``lever.<lever>.name``, questions
``lever.q.<question id>``, indicator labels ``lever.ind.<indicator id>``. A client's
config (``levers:`` in ``client.yml``, :class:`~kk_helpers.core.config.LeverSettings`) can
add or replace questions (with their own de/en text), remove questions, change the
thresholds of indicators, switch them off, or add indicators with a value the client
provides (e.g. for IT, which the transaction data cannot show).

Traffic lights (:func:`traffic_light`): for an indicator where higher is better, the
value is green when ``value >= green``, red when ``value <= red``, amber between; where
lower is better, green when ``value <= green``, red when ``value >= red``. Missing values
get ``"na"``. The default thresholds are in :data:`INDICATORS` (with a comment each).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from kk_helpers.core.config import ConfigError, LeverSettings
from kk_helpers.core.i18n import ROLE_SCOPES, check_language, label, t
from kk_helpers.metrics.figures import DEFINITIONS

#: The 8 levers in the order of the method.
LEVERS: tuple[str, ...] = (
    "customers",
    "offering",
    "conditions",
    "coverage",
    "channels",
    "it",
    "organisation",
    "cooperations",
)

#: Roles of interviewees offered in the questionnaire (``role.<role>``, else ``channel.<role>``); other
#: texts are accepted and kept as they are.
ROLES: tuple[str, ...] = (
    "management",
    "sales_manager",
    "field_sales",
    "inside_sales",
    "customer_service",
    "marketing",
    "it",
    "controlling",
)
#: Role of a respondent who gave none.
ROLE_UNKNOWN = "unknown"

#: Score scale of all three ratings (current, target, importance).
SCORE_MIN = 1
SCORE_MAX = 5

#: Traffic-light values, from good to bad, plus "na" (no value).
LIGHTS: tuple[str, ...] = ("green", "amber", "red", "na")

Unit = Literal["share", "number", "money", "points"]
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Question:
    """One assessment question.

    ``de``/``en`` hold the text of client-specific questions; built-in questions take
    their text from the translation table (``lever.q.<id>``).
    """

    id: str
    lever: str
    de: str | None = None
    en: str | None = None

    def text(self, lang: str) -> str:
        """The question text in ``lang``.

        >>> Question("it.q1", "it").text("en").startswith("Enquiries")
        True
        """
        check_language(lang)
        own = self.de if lang == "de" else self.en
        return own if own else t(f"lever.q.{self.id}", lang)


@dataclass(frozen=True)
class Indicator:
    """A data indicator of a lever with its traffic-light thresholds.

    Attributes:
        id: indicator id (``lever.ind.<id>`` is its label unless ``de``/``en`` are set;
            a headline figure's code for indicators read from the registry).
        lever: lever id.
        unit: ``share`` (0-1, shown as %), ``points`` (difference of shares, shown in
            percentage points), ``number`` or ``money``.
        better: ``higher`` or ``lower`` is better.
        green, red: thresholds (see module docstring).
        value: a value the client provides in the config (None: computed from data).
    """

    id: str
    lever: str
    unit: Unit
    better: Better
    green: float
    red: float
    de: str | None = None
    en: str | None = None
    value: float | None = None

    def label(self, lang: str) -> str:
        """The indicator label in ``lang``.

        >>> INDICATORS["visit_share_small"].label("en")
        'Share of all visits going to C/D customers'
        """
        check_language(lang)
        own = self.de if lang == "de" else self.en
        if own:
            return own
        # a headline figure used as an indicator keeps its one label
        return t(f"fig.{self.id}.label" if self.id in DEFINITIONS else f"lever.ind.{self.id}", lang)


def _questions(lever: str, n: int) -> list[Question]:
    return [Question(f"{lever}.q{i}", lever) for i in range(1, n + 1)]


#: Built-in questions (texts: ``lever.q.<id>`` in translations.yml).
QUESTIONS: tuple[Question, ...] = tuple(
    q
    for lever, n in (
        ("customers", 4),
        ("offering", 4),
        ("conditions", 4),
        ("coverage", 4),
        ("channels", 4),
        ("it", 4),
        ("organisation", 4),
        ("cooperations", 3),
    )
    for q in _questions(lever, n)
)

#: Built-in indicators with default thresholds. All refer to the last analysis year
#: and to C/D customers ("small customers") unless the id says otherwise.
INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        # share of C/D customers among all customers: typical 50-70 % (seed 000)
        Indicator("abc_small_customer_share", "customers", "share", "lower", 0.50, 0.70),
        # revenue share of the top 20 % customers: dependence on few large customers
        Indicator("top20_revenue_share", "customers", "share", "lower", 0.70, 0.85),
        # customers lost in the last year / customers active the year before
        Indicator("lost_customer_rate", "customers", "share", "lower", 0.08, 0.15),
        # new customers in the last year / customers active in the last year
        Indicator("new_customer_rate", "customers", "share", "higher", 0.08, 0.04),
        # revenue share of standard product groups (config) among C/D customers
        Indicator("standard_revenue_share_small", "offering", "share", "higher", 0.60, 0.40),
        # share of C/D orders below the minimum order value
        Indicator("small_orders_share_small", "conditions", "share", "lower", 0.20, 0.40),
        # CM I % of C/D customers minus CM I % of A customers (list prices pay off)
        Indicator("margin_pct_gap_small", "conditions", "points", "higher", 0.03, 0.0),
        # cost-to-serve of C/D customers as a share of their CM I
        Indicator("cts_margin_ratio_small", "coverage", "share", "lower", 0.30, 0.60),
        # share of all visits that go to C/D customers
        Indicator("visit_share_small", "coverage", "share", "lower", 0.20, 0.40),
        # share of C/D orders through digital channels (webshop, EDI)
        Indicator("digital_order_share_small", "channels", "share", "higher", 0.50, 0.25),
        # share of C/D customers visited by a field rep in the last year
        Indicator("visited_small_share", "organisation", "share", "lower", 0.15, 0.40),
        # revenue share of the dealer channel among C/D customers
        Indicator("dealer_revenue_share_small", "cooperations", "share", "higher", 0.15, 0.05),
    )
}


@dataclass(frozen=True)
class LeverCatalog:
    """Questions and indicators in force for one client (built-ins plus config)."""

    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def questions_frame(self, lang: str) -> pd.DataFrame:
        """One row per question: ``question_id``, ``lever``, ``lever_name``, ``question``,
        ``order`` (0-based position in the catalog).

        >>> build_catalog().questions_frame("en").iloc[0]["lever_name"]
        'Customer count and structure'
        """
        return pd.DataFrame(
            {
                "question_id": [q.id for q in self.questions],
                "lever": [q.lever for q in self.questions],
                "lever_name": [lever_name(q.lever, lang) for q in self.questions],
                "question": [q.text(lang) for q in self.questions],
                "order": np.arange(len(self.questions), dtype="int64"),
            }
        )

    def indicators_frame(self) -> pd.DataFrame:
        """One row per indicator: ``indicator``, ``lever``, ``unit``, ``better``, ``green``,
        ``red``, ``provided`` (value from the config or NaN); labels: :meth:`Indicator.label`.
        """
        return pd.DataFrame(
            {
                "indicator": [i.id for i in self.indicators],
                "lever": [i.lever for i in self.indicators],
                "unit": [i.unit for i in self.indicators],
                "better": [i.better for i in self.indicators],
                "green": np.array([i.green for i in self.indicators], dtype="float64"),
                "red": np.array([i.red for i in self.indicators], dtype="float64"),
                "provided": np.array(
                    [np.nan if i.value is None else i.value for i in self.indicators],
                    dtype="float64",
                ),
            }
        )


def lever_name(lever: str, lang: str) -> str:
    """Display name of a lever; unknown ids are shown as they are.

    >>> lever_name("conditions", "de"), lever_name("conditions", "en")
    ('Konditionen', 'Conditions')
    """
    key = f"lever.{lever}.name"
    try:
        return t(key, lang)
    except KeyError:
        return str(lever)


def role_name(role: str, lang: str) -> str:
    """Display name of a role key; other role texts are shown as they are.

    >>> role_name("field_sales", "en"), role_name("Einkauf", "en")
    ('Field sales', 'Einkauf')
    """
    return label(role, lang, scopes=ROLE_SCOPES)


def role_key(text: object) -> str:
    """Role key for a role text as typed in a questionnaire (de or en name, or the key).

    Unknown texts are returned stripped; empty or missing gives :data:`ROLE_UNKNOWN`.

    >>> role_key("Außendienst"), role_key(" field sales "), role_key("Einkauf"), role_key(None)
    ('field_sales', 'field_sales', 'Einkauf', 'unknown')
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ROLE_UNKNOWN
    s = " ".join(str(text).split())
    if not s:
        return ROLE_UNKNOWN
    norm = s.casefold().replace("_", " ")
    for role in (*ROLES, ROLE_UNKNOWN):
        names = {role.replace("_", " "), role_name(role, "de").casefold()}
        names.add(role_name(role, "en").casefold())
        if norm in names:
            return role
    return s


def _check_lever(lever: str | None, where: str) -> str:
    if lever not in LEVERS:
        raise ConfigError(f"{where}: unknown lever {lever!r}; expected one of {list(LEVERS)}")
    return lever


def build_catalog(settings: LeverSettings | None = None) -> LeverCatalog:
    """The catalog for a client: built-in questions and indicators with config overrides.

    Args:
        settings: ``config.levers``; None gives the built-in catalog.

    Returns:
        :class:`LeverCatalog`. Questions are ordered by lever (method order), built-in
        questions first; a config question with a built-in id replaces it in place.

    Raises:
        ConfigError: unknown lever, unknown question id in ``remove_questions``, a new
        indicator without lever/label/unit/better/thresholds, or thresholds in the wrong
        order (for ``higher`` green must be above red, for ``lower`` below).

    >>> cat = build_catalog(LeverSettings(remove_questions=["cooperations.q3"]))
    >>> len(cat.questions), len(build_catalog().questions)
    (30, 31)
    """
    settings = settings or LeverSettings()
    where = "levers"
    questions = {q.id: q for q in QUESTIONS}
    unknown = sorted(set(settings.remove_questions) - set(questions))
    if unknown:
        raise ConfigError(f"{where}.remove_questions: unknown question id(s) {unknown}")
    for qid in settings.remove_questions:
        questions.pop(qid)
    for i, spec in enumerate(settings.questions):
        _check_lever(spec.lever, f"{where}.questions.{i}.lever")
        questions[spec.id] = Question(spec.id, spec.lever, spec.de, spec.en)
    order = {lever: i for i, lever in enumerate(LEVERS)}
    ordered = sorted(questions.values(), key=lambda q: order[q.lever])  # stable sort

    indicators = dict(INDICATORS)
    for iid, spec in settings.indicators.items():
        loc = f"{where}.indicators.{iid}"
        if not spec.enabled:
            indicators.pop(iid, None)
            continue
        base = indicators.get(iid)
        if base is None:
            missing = [
                k
                for k in ("lever", "de", "en", "unit", "better", "green", "red")
                if getattr(spec, k) is None
            ]
            if missing:
                raise ConfigError(f"{loc}: a new indicator needs {missing}")
        changes = {
            k: getattr(spec, k)
            for k in ("lever", "de", "en", "unit", "better", "green", "red", "value")
            if getattr(spec, k) is not None
        }
        if "lever" in changes:  # always there for a new indicator
            _check_lever(changes["lever"], f"{loc}.lever")
        ind = Indicator(iid, **changes) if base is None else replace(base, **changes)
        good_order = ind.green > ind.red if ind.better == "higher" else ind.green < ind.red
        if not good_order:
            rel = ">" if ind.better == "higher" else "<"
            raise ConfigError(
                f"{loc}: thresholds need green {rel} red when {ind.better} is better, "
                f"got green={ind.green}, red={ind.red}"
            )
        indicators[iid] = ind
    ind_sorted = sorted(indicators.values(), key=lambda i: order[i.lever])
    return LeverCatalog(tuple(ordered), tuple(ind_sorted))


def traffic_light(
    values: pd.Series | np.ndarray | list[float],
    *,
    green: pd.Series | np.ndarray | list[float] | float,
    red: pd.Series | np.ndarray | list[float] | float,
    better: pd.Series | np.ndarray | list[str] | str,
) -> np.ndarray:
    """Traffic light per value (vectorised; thresholds may be per value or scalars).

    Args:
        values: indicator values (units as the thresholds).
        green, red: thresholds (see module docstring).
        better: ``"higher"`` or ``"lower"`` (per value or one for all).

    Returns:
        Object array of ``"green"``, ``"amber"``, ``"red"`` or ``"na"`` (missing value).
        A value exactly on a threshold gets that threshold's colour.

    >>> traffic_light([0.1, 0.3, 0.5, np.nan], green=0.2, red=0.4, better="lower").tolist()
    ['green', 'amber', 'red', 'na']
    >>> traffic_light([0.6, 0.1], green=0.5, red=0.25, better="higher").tolist()
    ['green', 'red']
    """
    v = np.asarray(values, dtype="float64")
    g = np.broadcast_to(np.asarray(green, dtype="float64"), v.shape)
    r = np.broadcast_to(np.asarray(red, dtype="float64"), v.shape)
    b = np.broadcast_to(np.asarray(better, dtype=object), v.shape)
    higher = b == "higher"
    with np.errstate(invalid="ignore"):
        is_green = np.where(higher, v >= g, v <= g)
        is_red = np.where(higher, v <= r, v >= r)
    out = np.select([np.isnan(v), is_green, is_red], ["na", "green", "red"], "amber")
    return out.astype(object)
