"""The one translation table for user-facing text (German and English).

All labels, headings and generated findings come from ``translations.yml``
(key -> {de: ..., en: ...}). Texts may hold ``str.format`` placeholders.

A sentence with a count has plural forms: per language a mapping ``{one: ..., other: ...}``
instead of one text; :func:`t` picks the form by the count (``plural=`` or the ``n`` /
``count`` placeholder), so "1 Wert wurde korrigiert" and "2 Werte wurden korrigiert" come
from one key.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("de", "en")


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built
    """YAML loader that refuses duplicate keys (a silent override is a bug)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(
                    f"translations.yml: duplicate key {key!r} (line {key_node.start_mark.line + 1})"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@cache
def translations() -> dict[str, dict[str, str]]:
    """The whole table: ``{key: {"de": text, "en": text}}``."""
    text = (
        resources.files("kk_helpers.core").joinpath("translations.yml").read_text(encoding="utf-8")
    )
    return yaml.load(text, Loader=_UniqueKeyLoader) or {}


#: plural forms of a count sentence (German and English need only these two)
PLURAL_FORMS = ("one", "other")

#: placeholders whose value chooses the plural form when ``plural=`` is not given
_COUNT_PLACEHOLDERS = ("n", "count")


def plural_form(count: Any) -> str:
    """The plural form (``"one"`` or ``"other"``) for a count in German and English.

    A count is "one" only if it is exactly 1; a number already formatted for display
    counts as shown ("1" is one, "1,0" / "1.0" is other, as in "1,0 Kunden").

    >>> plural_form(1), plural_form(0), plural_form(2), plural_form("1"), plural_form("1,0")
    ('one', 'other', 'other', 'one', 'other')
    """
    if isinstance(count, str):
        return "one" if count.strip().lstrip("+") == "1" else "other"
    try:
        return "one" if abs(float(count)) == 1 else "other"
    except (TypeError, ValueError):
        return "other"


def is_plural_entry(texts: Any) -> bool:
    """True if a language's text is a mapping of plural forms (``{one: ..., other: ...}``)."""
    return isinstance(texts, dict)


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return lang


def t(key: str, lang: str = "de", *, plural: Any = None, **kwargs: Any) -> str:
    """Translate ``key`` into ``lang`` and fill placeholders.

    Args:
        key: translation key.
        lang: "de" or "en".
        plural: for a key with plural forms, the count that chooses the form (a number,
            or the number as displayed); default: the ``n`` or ``count`` placeholder.
        **kwargs: placeholder values.

    Returns:
        The text.

    Raises:
        KeyError: unknown key; ValueError: unknown language, or a key with plural
        forms without a count.

    >>> t("table.customers", "en")
    'customers'
    >>> t("lever.finding.issues.corrected", "de", n="1"), t("lever.finding.issues.corrected", "de", n="2")
    ('1 Wert wurde korrigiert oder markiert', '2 Werte wurden korrigiert oder markiert')
    """
    check_language(lang)
    try:
        text = translations()[key][lang]
    except KeyError:
        raise KeyError(
            f"no translation for {key!r} in {lang!r} (add it to kk_helpers/core/translations.yml)"
        ) from None
    if is_plural_entry(text):
        if plural is None:
            plural = next((kwargs[k] for k in _COUNT_PLACEHOLDERS if k in kwargs), None)
        if plural is None:
            raise ValueError(f"{key!r} has plural forms: pass plural=<count>")
        text = text[plural_form(plural)]
    return text.format(**kwargs) if kwargs else text


def label_map(keys: list[str] | tuple[str, ...], lang: str, prefix: str = "") -> dict[str, str]:
    """Map names to their translations, e.g. column headers: ``{name: t(prefix + name)}``.

    Names without an entry keep their own spelling.
    """
    table = translations()
    return {k: table[prefix + k][lang] if prefix + k in table else k for k in keys}


#: namespaces every label lookup falls back to, in this order, after the caller's own
COMMON_LABEL_SCOPES = ("col", "metric")

#: label scopes of a role (a team such as management or field sales): the shared ``role.``
#: vocabulary, then ``channel.`` (field sales / inside sales are a team and a channel)
ROLE_SCOPES = ("role", "channel")

#: label scopes of a scenario code: its own name, else the name of its parameter (a
#: scenario named after what it sets) or of its stage (``target`` = the target picture)
SCENARIO_SCOPES = ("scen.name", "scen.param", "fig.stage")


def label(name: object, lang: str, *, scopes: tuple[str, ...] = ()) -> str:
    """Display label of a code (a column, metric or category value): the one label lookup.

    Looks up ``<scope>.<name>`` for each of the caller's ``scopes`` first, then the common
    ``col.<name>`` and ``metric.<name>``; the first key that exists wins. Per-year names
    (``<metric>_<year>``) get the metric's label and the year. Names without an entry
    are shown as they are.

    Args:
        name: the code (column name, metric key or category value).
        lang: "de" or "en".
        scopes: translation-key namespaces to search before the common ones, e.g.
            ``("screen.col",)``.

    Returns:
        The translated label (str).

    >>> label("revenue_2024", "en")
    'Revenue 2024'
    >>> label("A", "en", scopes=("class",))
    'A customers'
    """
    check_language(lang)
    table = translations()
    spaces = (*scopes, *COMMON_LABEL_SCOPES)
    for scope in spaces:
        key = f"{scope}.{name}"
        if key in table:
            return table[key][lang]
    metric, _, year = str(name).rpartition("_")
    if year.isdigit():
        for scope in spaces:
            key = f"{scope}.{metric}"
            if key in table:
                return f"{table[key][lang]} {year}"
    return str(name)
