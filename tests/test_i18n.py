"""The translation table: every key has German and English text."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from kk_helpers.core import i18n


def test_every_key_has_both_languages():
    missing = [k for k, v in i18n.translations().items() if set(v or {}) != set(i18n.LANGUAGES)]
    assert missing == []


def _forms(text: object) -> list[object]:
    """The texts of one language: the text, or each plural form."""
    return list(text.values()) if isinstance(text, dict) else [text]


def test_texts_are_non_empty_strings():
    bad = [
        (k, lang)
        for k, v in i18n.translations().items()
        for lang, text in v.items()
        for form in _forms(text)
        if not isinstance(form, str) or not form.strip()
    ]
    assert bad == []


def test_plural_entries_have_one_and_other_in_both_languages():
    bad = [
        k
        for k, v in i18n.translations().items()
        if any(isinstance(x, dict) for x in v.values())
        and any(not isinstance(x, dict) or set(x) != set(i18n.PLURAL_FORMS) for x in v.values())
    ]
    assert bad == []


def test_placeholders_match_between_languages_and_forms():
    def fields(text: str) -> frozenset[str]:
        return frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f)

    bad = [
        k
        for k, v in i18n.translations().items()
        if len({fields(form) for lang in i18n.LANGUAGES for form in _forms(v[lang])}) != 1
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("count", "de", "en"),
    [
        (0, "0 Werte wurden korrigiert oder markiert", "0 values were corrected or flagged"),
        (1, "1 Wert wurde korrigiert oder markiert", "1 value was corrected or flagged"),
        (2, "2 Werte wurden korrigiert oder markiert", "2 values were corrected or flagged"),
    ],
)
def test_plural_form_follows_the_count(count, de, en):
    key = "lever.finding.issues.corrected"
    assert i18n.t(key, "de", n=count) == de
    assert i18n.t(key, "en", n=str(count)) == en
    # an explicit count wins over the placeholder
    assert i18n.t(key, "en", n="x", plural=count) == en.replace(str(count), "x", 1)


@pytest.mark.parametrize(
    ("count", "de"),
    [(0, "0 gewichtete Kriterien fehlen"), (1, "1 gewichtetes Kriterium fehlt"),
     (2, "2 gewichtete Kriterien fehlen")],
)  # fmt: skip
def test_weighted_criteria_missing_plural(count, de):
    assert i18n.t("screen.missing.n", "de", n=count) == de


def test_plural_form_of_displayed_numbers():
    assert [i18n.plural_form(x) for x in (0, 1, 1.0, -1, 2, "1", "+1", "1,0", "1.086")] == [
        "other", "one", "one", "one", "other", "one", "one", "other", "other"]  # fmt: skip


def test_plural_entry_without_count_is_refused():
    with pytest.raises(ValueError, match="plural"):
        i18n.t("screen.missing.n", "de")


def test_translate_and_fill():
    assert i18n.t("channel.dealer", "de") == "Händler"
    assert i18n.t("channel.dealer", "en") == "Dealer"


def test_unknown_key_and_language():
    with pytest.raises(KeyError, match="no translation"):
        i18n.t("no.such.key", "de")
    with pytest.raises(ValueError, match="language"):
        i18n.t("channel.dealer", "fr")


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="duplicate key"):
        import yaml

        yaml.load("a: {de: x, en: y}\na: {de: z, en: w}\n", Loader=i18n._UniqueKeyLoader)


def test_label_map_keeps_unknown_names():
    assert i18n.label_map(["revenue", "zzz"], "en", prefix="col.") == {
        "revenue": "Revenue",
        "zzz": "zzz",
    }


# --- one key per text -------------------------------------------------------------------

#: Keys that deliberately share a text in one language. Keep short; every entry says why
#: the keys cannot be one.
SYNONYMS: dict[str, frozenset[str]] = {
    # the name of an input table (lower case inside English sentences) vs. the count metric
    "table_vs_metric_customers": frozenset({"table.customers", "metric.customers"}),
    "table_vs_metric_activities": frozenset({"table.activities", "metric.activities"}),
    # a measure's name inside a sentence ("Cumulative share of revenue": lower case in
    # English) vs. the column / axis label
    "in_sentence_revenue": frozenset({"plot.value.revenue", "col.revenue"}),
    "in_sentence_margin": frozenset({"plot.value.margin", "col.margin"}),
    "in_sentence_cm3": frozenset({"plot.value.cm3", "plot.label.cm3"}),
    "unit_vs_column_count": frozenset({"fig.unit.count", "col.count"}),
    # the title of notebook 01 is the name of its stage; fig.stage.* is required for every
    # stage of the figure registry (tests/test_figures.py), notebook.<nn> for every notebook
    "notebook_vs_stage": frozenset({"notebook.01", "fig.stage.status_quo"}),
    # two codes of one quantity that clients write in their config: screening criterion
    # ``margin_pct`` and status-quo column ``cm1_pct``; screening-capacity role ``service``
    # and questionnaire role ``customer_service``
    "margin_pct_codes": frozenset({"screen.crit.margin_pct", "col.cm1_pct"}),
    "service_role_codes": frozenset({"role.service", "role.customer_service"}),
    # a lever named after a department / a care-model term: the lever vs. the thing; the
    # IT lever's short axis name equals its name in English, not in German
    "lever_it": frozenset({"lever.it.name", "lever.it.short", "role.it"}),
    "lever_conditions": frozenset({"lever.conditions.name", "target.col.conditions"}),
    # "medium" on two scales: a measure's priority vs. the middle questionnaire answer
    "medium": frozenset({"measure.priority.medium", "quest.anchor.importance.3"}),
}


def _synonym(keys: list[str]) -> bool:
    return any(set(keys) <= group for group in SYNONYMS.values())


def duplicate_texts(lang: str) -> dict[str, list[str]]:
    """Texts (in ``lang``) that sit under more than one key, not listed in :data:`SYNONYMS`."""
    by_text: dict[str, list[str]] = {}
    for key, texts in i18n.translations().items():
        text = texts[lang]
        by_text.setdefault(tuple(text.values()) if isinstance(text, dict) else text, []).append(key)
    return {text: keys for text, keys in by_text.items() if len(keys) > 1 and not _synonym(keys)}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_text_under_two_keys(lang):
    assert duplicate_texts(lang) == {}


# --- every key used in code exists -----------------------------------------------------

_LITERAL_KEY = re.compile(r"""\bt\(\s*(['"])([a-z0-9_]+(?:\.[a-z0-9_]+)+)\1""")
_SECTION_KEY = re.compile(r"""\bsection(?:_markdown)?\(\s*(['"])([a-z0-9_]+(?:\.[a-z0-9_]+)*)\1""")


def _sources() -> list[tuple[str, str]]:
    root = Path(__file__).resolve().parents[1]
    out = [(str(p.relative_to(root)), p.read_text(encoding="utf-8"))
           for p in sorted((root / "kk_helpers").rglob("*.py"))]  # fmt: skip
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out.append((nb.name, "\n".join("".join(c["source"]) for c in cells)))
    return out


def test_every_literal_key_exists():
    table = i18n.translations()
    missing = []
    for name, text in _sources():
        missing += [(name, m[2]) for m in _LITERAL_KEY.finditer(text) if m[2] not in table]
        missing += [(name, m[2]) for m in _SECTION_KEY.finditer(text)
                    if f"{m[2]}.title" not in table and f"{m[2]}.text" not in table]  # fmt: skip
    assert missing == []


def test_key_scan_finds_keys():
    """The scan above sees the keys of a module (guards against a regex that matches nothing)."""
    found = {m[2] for _, text in _sources() for m in _LITERAL_KEY.finditer(text)}
    assert {"col.value", "common.total"} <= found
    sections = {m[2] for _, text in _sources() for m in _SECTION_KEY.finditer(text)}
    assert "nb01.basis" in sections
