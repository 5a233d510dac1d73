"""The translation table: every key has German and English text."""

from __future__ import annotations

import string

import pytest

from kk_helpers.core import i18n


def test_every_key_has_both_languages():
    missing = [k for k, v in i18n.translations().items() if set(v or {}) != set(i18n.LANGUAGES)]
    assert missing == []


def test_texts_are_non_empty_strings():
    bad = [
        (k, lang)
        for k, v in i18n.translations().items()
        for lang, text in v.items()
        if not isinstance(text, str) or not text.strip()
    ]
    assert bad == []


def test_placeholders_match_between_languages():
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    bad = [k for k, v in i18n.translations().items() if fields(v["de"]) != fields(v["en"])]
    assert bad == []


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
