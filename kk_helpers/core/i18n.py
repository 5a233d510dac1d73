"""The one translation table for user-facing text (German and English).

All labels, headings and generated findings come from ``translations.yml``
(key -> {de: ..., en: ...}). Texts may hold ``str.format`` placeholders.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("de", "en")


class _UniqueKeyLoader(yaml.SafeLoader):
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


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return lang


def t(key: str, lang: str = "de", **kwargs: Any) -> str:
    """Translate ``key`` into ``lang`` and fill placeholders.

    >>> t("table.customers", "en")
    'customers'
    """
    check_language(lang)
    try:
        text = translations()[key][lang]
    except KeyError:
        raise KeyError(
            f"no translation for {key!r} in {lang!r} (add it to kk_helpers/core/translations.yml)"
        ) from None
    return text.format(**kwargs) if kwargs else text


def label_map(keys: list[str] | tuple[str, ...], lang: str, prefix: str = "") -> dict[str, str]:
    """Map names to their translations, e.g. column headers: ``{name: t(prefix + name)}``.

    Names without an entry keep their own spelling.
    """
    table = translations()
    return {k: table[prefix + k][lang] if prefix + k in table else k for k in keys}
