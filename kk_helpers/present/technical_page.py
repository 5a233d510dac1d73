"""``technical.html``: the technical appendix of a report folder.

The client pages speak the client's language; file names, configuration keys and
notebook names are kept here, for the analyst and the client's IT: the data files read,
the files written, the cache, the configuration keys behind the assumptions (e.g.
``target.scenario.*``) with their values, and the run (client id, language, version,
notebooks with status and run time). Linked from ``index.html``.
"""

from __future__ import annotations

import datetime as dt
import html
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kk_helpers.core.formatting import format_number
from kk_helpers.core.i18n import check_language, t
from kk_helpers.present.page_style import TECHNICAL_FILE, nav_html, page_css
from kk_helpers.stages.status_quo.tables import table_name

FILE_NAME = TECHNICAL_FILE

#: configuration sections whose keys are listed (the assumptions behind stage 2 and 4)
CONFIG_SECTIONS: tuple[str, ...] = ("target.scenario", "screening.capacity")


@dataclass
class NotebookRun:
    """One notebook of the run: step, file name, status code, run time (seconds)."""

    step: str
    notebook: str
    status: str
    seconds: float = 0.0


@dataclass
class TechnicalInfo:
    """What the appendix lists (collected by :func:`collect_info`)."""

    client_id: str
    config_path: str
    lang: str
    anonymized: bool = False
    scenario: str = ""  # the named scenario laid over client.yml ("" = none)
    data_files: list[tuple[str, str]] = field(default_factory=list)  # (table, path)
    outputs: list[tuple[str, int]] = field(default_factory=list)  # (file name, bytes)
    cache: list[tuple[str, int]] = field(default_factory=list)  # (file name, bytes)
    config_keys: list[tuple[str, Any]] = field(default_factory=list)  # (key, value)
    notebooks: list[NotebookRun] = field(default_factory=list)
    created: str = ""


def _flat(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """``(key, value)`` of a config section, nested keys joined with dots."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, Mapping):
        rows: list[tuple[str, Any]] = []
        for k, v in value.items():
            rows.extend(_flat(f"{prefix}.{k}", v))
        return rows
    return [(prefix, value)]


def config_keys(cfg: Any, sections: Sequence[str] = CONFIG_SECTIONS) -> list[tuple[str, Any]]:
    """The keys and values of the given config sections (``"target.scenario"`` ->
    ``("target.scenario.shift_to_inside", 0.5)``, ...); missing sections are skipped."""
    rows: list[tuple[str, Any]] = []
    for section in sections:
        node: Any = cfg
        for part in section.split("."):
            node = getattr(node, part, None) if not isinstance(node, Mapping) else node.get(part)
            if node is None:
                break
        if node is not None:
            rows.extend(_flat(section, node))
    return rows


def data_files(cfg: Any) -> list[tuple[str, str]]:
    """``(table, path)`` of every data file named in the config (paths as configured)."""
    files = getattr(cfg, "files", None)
    if files is None:
        return []
    names = getattr(type(files), "model_fields", None) or vars(files)
    rows = []
    for name in names:
        spec = getattr(files, name, None)
        path = getattr(spec, "path", None)
        if path:
            rows.append((str(name), str(path)))
    # the interview questionnaires: folder and count only (file names carry personal names)
    folder = getattr(getattr(cfg, "levers", None), "questionnaires", None)
    base = getattr(cfg, "base_dir", None)
    if folder and base is not None and (Path(base) / folder).is_dir():
        n = sum(1 for p in (Path(base) / folder).glob("*.xlsx") if not p.name.startswith("~$"))
        rows.append(("questionnaires", f"{folder}/ ({n} × .xlsx)"))
    return rows


def _sizes(folder: Path, *, skip: Sequence[str] = ()) -> list[tuple[str, int]]:
    if not folder.is_dir():
        return []
    return [
        (p.name, p.stat().st_size)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in skip and not p.name.endswith(".tmp")
    ]


def _masked_paths(
    config_path: Path, files: Sequence[tuple[str, str]], *, lang: str
) -> tuple[str, list[tuple[str, str]]]:
    """``config_path`` and the data-file paths with the client's folder replaced by a
    neutral placeholder (for an anonymized report).

    >>> _masked_paths(Path("/data/Muster GmbH/client.yml"),
    ...               [("transactions", "/data/Muster GmbH/tx.csv"), ("customers", "c.csv")],
    ...               lang="en")
    ('<client folder>/client.yml', [('transactions', '<client folder>/tx.csv'), ('customers', 'c.csv')])
    """
    folder = str(config_path.parent)
    shown = t("tech.client_folder", lang)
    config_text = f"{shown}/{config_path.name}"
    return config_text, [(name, path.replace(folder, shown)) for name, path in files]


def collect_info(
    cfg: Any,
    folder: str | Path,
    *,
    lang: str,
    anonymized: bool = False,
    notebooks: Sequence[NotebookRun] = (),
) -> TechnicalInfo:
    """Everything the appendix shows for the report ``folder`` of the client ``cfg``
    (a loaded :class:`~kk_helpers.core.config.ClientConfig`)."""
    folder = Path(folder)
    config_path = str(getattr(cfg, "config_path", "") or "")
    files = data_files(cfg)
    if anonymized and config_path:  # the client folder is often named after the client
        config_path, files = _masked_paths(Path(config_path), files, lang=lang)
    return TechnicalInfo(
        client_id=str(getattr(cfg, "client_id", "")),
        config_path=config_path,
        lang=check_language(lang),
        anonymized=anonymized,
        scenario=str(getattr(cfg, "scenario", None) or ""),
        data_files=files,
        outputs=_sizes(folder, skip=("run.json",)),
        cache=_sizes(folder / "cache"),
        config_keys=config_keys(cfg),
        notebooks=list(notebooks),
        created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )


def _value_text(value: Any, lang: str) -> str:
    """A config value as text in ``lang``: numbers with the language's decimal mark."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("common.yes" if value else "screen.no", lang)
    if isinstance(value, int | float):
        decimals = 0 if float(value).is_integer() else min(4, len(repr(float(value)).split(".")[1]))
        return format_number(value, lang, decimals=decimals)
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(v, lang) for v in value) or "–"
    return str(value)


def _kb(size: int, lang: str) -> str:
    return format_number(size / 1024, lang, decimals=1)


def _table(
    heads: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    esc = html.escape

    def cell(i: int, tag: str, text: str) -> str:
        cls = " class='value'" if i in right else ""
        return f"<{tag}{cls}>{esc(text)}</{tag}>"

    head = "".join(cell(i, "th", h) for i, h in enumerate(heads))
    body = "".join(
        "<tr>" + "".join(cell(i, "td", str(v)) for i, v in enumerate(r)) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def technical_html(info: TechnicalInfo, *, client: str) -> str:
    """The appendix as a self-contained HTML page (inline CSS, no scripts); every value
    is escaped."""
    lang = info.lang
    esc = html.escape
    none = f"<p>{esc(t('tech.none', lang))}</p>"
    file_head = [t("col.file", lang), t("tech.col.size", lang)]
    outputs = [(n, _kb(s, lang)) for n, s in info.outputs]
    cache = [(n, _kb(s, lang)) for n, s in info.cache]
    keys = [(k, _value_text(v, lang)) for k, v in info.config_keys]
    runs = [
        (nr.step, nr.notebook, t(f"index.status.{nr.status}", lang),
         f"{format_number(nr.seconds, lang, decimals=1)} s")
        for nr in info.notebooks
    ]  # fmt: skip
    run = [
        (t("tech.run.client_id", lang), info.client_id),
        (t("tech.run.config", lang), info.config_path),
        (t("index.language", lang), info.lang),
        (t("col.scenario", lang), info.scenario or "–"),
        (t("tech.run.anonymized", lang), t("common.yes" if info.anonymized else "screen.no", lang)),
        (t("tech.run.created", lang), info.created),
        (t("tech.run.version", lang), _version()),
        (t("tech.run.python", lang), platform.python_version()),
    ]
    sections = [
        (t("tech.run", lang), _table([t("tech.col.item", lang), t("col.value", lang)], run)),
        (
            t("tech.notebooks", lang),
            _table(
                [
                    t("index.step", lang),
                    t("index.notebook", lang),
                    t("col.status", lang),
                    t("index.runtime", lang),
                ],
                runs,
                right=(3,),
            )
            if runs
            else none,
        ),  # fmt: skip
        (
            t("tech.data_files", lang),
            _table(
                [t("col.table", lang), t("col.file", lang)],
                [(table_name(name, lang), path) for name, path in info.data_files],
            )  # fmt: skip
            if info.data_files
            else none,
        ),
        (t("tech.outputs", lang), _table(file_head, outputs, right=(1,)) if outputs else none),
        (t("tech.cache", lang), _table(file_head, cache, right=(1,)) if cache else none),
        (
            t("tech.config_keys", lang),
            f"<p>{esc(t('tech.config_keys.text', lang))}</p>"
            + (
                _table([t("tech.col.key", lang), t("col.value", lang)], keys, right=(1,))
                if keys
                else none
            ),
        ),  # fmt: skip
    ]
    body = "".join(
        f"<h2>{esc(title)}</h2><div class='kk-scroll'>{part}</div>" for title, part in sections
    )
    title = t("tech.title", lang)
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<title>{esc(client)} – {esc(title)}</title><style>{page_css()}</style></head><body>
{nav_html(lang)}
<h1>{esc(title)}</h1><p class="meta">{esc(client)}</p>
<p>{esc(t("tech.intro", lang))}</p>
{body}
</body></html>
"""


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("kk_helpers")
    except Exception:  # pragma: no cover - not installed as a distribution
        import kk_helpers

        return str(getattr(kk_helpers, "__version__", "–"))


def write_technical_page(info: TechnicalInfo, folder: str | Path, *, client: str) -> Path:
    """Write ``technical.html`` into ``folder`` atomically and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(technical_html(info, client=client), encoding="utf-8")
    tmp.replace(path)
    return path
