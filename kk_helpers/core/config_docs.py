"""Generate ``docs/config.md`` from the config schema, so the reference never drifts.

Run ``python -m kk_helpers.core.config_docs`` after changing :mod:`kk_helpers.core.config`;
``tests/test_config_docs.py`` fails when the committed file is out of date.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from kk_helpers.core.config import ClientConfig
from kk_helpers.core.paths import project_root, sample_client_dir

HEADER = """# Client configuration (`client.yml`)

Every client folder holds a `client.yml` next to the client's data files. Commands take
the folder or the file (`kk validate data/sample`, `kk run data/sample/client.yml`).
Unknown keys, wrong types and missing files are reported with the key's path, e.g.
`files.transactions.delimter: unknown key`.

Data files (`files.*.path`, `levers.questionnaires`) must lie inside the client folder;
a path such as `../other_client/transactions.csv` or `/etc/...` is refused. To read
exports from one folder shared by several clients, name it in `files.shared_folder`
(the explicit opt-in). `client.id` names the report folder and must be a plain folder
name (letters, digits, `.`, `_`, `-`).

This page is generated from the schema in `kk_helpers/core/config.py`
(`python -m kk_helpers.core.config_docs`); the worked example at the end is the sample
client's own config.

## Canonical columns

`files.<table>.columns` maps canonical names to the client's column headers (names not
mapped are looked up as they are). Required columns are **bold**.

| table | columns |
|---|---|
| customers | **customer_id**, name, industry, region, sales_rep, customer_since, employees, potential, current_class, and the soft criteria named in `soft_criteria` |
| transactions | **customer_id**, **date**, **revenue** (net; negative = credit note), order_id, margin (contribution margin I) or cost (cost of goods), quantity, product_group, channel |
| activities | **customer_id**, **date**, **type** (visit, call, email, quote, complaint, event), duration_min, cost |

Canonical channels: `field_sales`, `inside_sales`, `webshop`, `edi`, `dealer` (map the
client's values with `files.transactions.values.channel`).

## Keys
"""


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (list, tuple, dict):
        inner = ", ".join(_type_name(a) for a in args if a is not Ellipsis)
        return f"{origin.__name__}[{inner}]"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()
    elif field.default is PydanticUndefined:
        return ""
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return "(section defaults)"
    if value is None:
        return "—"
    return f"`{value!r}`" if not isinstance(value, str) else f'`"{value}"`'


def _model_of(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *typing.get_args(annotation)]
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
        for inner in typing.get_args(c):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _rows(
    model: type[BaseModel], prefix: str, seen: dict[type, str] | None = None
) -> list[tuple[str, str, str, str]]:
    seen = {} if seen is None else seen
    rows = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        path = f"{prefix}{name}"
        sub = _model_of(field.annotation)
        is_map = typing.get_origin(field.annotation) is dict or any(
            typing.get_origin(a) is dict for a in typing.get_args(field.annotation)
        )
        desc = (field.description or "").replace("|", "\\|")
        if sub is not None and is_map:
            rows.append((path, f"map of {sub.__name__}", _default(field), desc))
            rows.extend(_rows(sub, f"{path}.<key>.", seen))
        elif sub is not None and sub in seen:
            rows.append(
                (path, "section", _default(field), f"{desc} Same keys as `{seen[sub]}`.".strip())
            )
        elif sub is not None:
            seen[sub] = path
            rows.append((path, "section", _default(field), desc))
            rows.extend(_rows(sub, f"{path}.", seen))
        else:
            rows.append((path, _type_name(field.annotation), _default(field), desc))
    return rows


def render() -> str:
    """The full Markdown text of ``docs/config.md``."""
    lines = [HEADER, "| key | type | default | meaning |", "|---|---|---|---|"]
    for path, typ, default, desc in _rows(ClientConfig, ""):
        typ_md = typ.replace("|", "\\|")
        lines.append(f"| `{path}` | {typ_md} | {default} | {desc} |")
    example = (sample_client_dir() / "client.yml").read_text(encoding="utf-8")
    lines += [
        "",
        "## Worked example: the sample client",
        "",
        "```yaml",
        example.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    out = project_root() / "docs" / "config.md"
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
