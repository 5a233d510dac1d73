"""Static checks of the package layout: layers import one way, modules stay small.

The layers (docs/architecture.md) are ``core <- input <- metrics <- stages <- present <-
batch``: a module may import from its own layer and the layers to its left, never to its
right. Computation (``metrics``) never imports translation or number formatting either:
results hold codes, and text is made where it is displayed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kk_helpers"
LAYERS = ("core", "input", "metrics", "stages", "present", "batch")
#: language-dependent modules that language-free computation must not use
TEXT_MODULES = ("kk_helpers.core.i18n", "kk_helpers.core.formatting")
MAX_LINES = 650


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(path: Path) -> str | None:
    part = path.relative_to(PACKAGE).parts[0]
    return part if part in LAYERS else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``kk_helpers...`` module a file imports (top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}: use absolute imports (kk_helpers....)")
            if node.module == "kk_helpers":
                found += [(node.lineno, f"kk_helpers.{a.name}") for a in node.names]
            elif node.module.startswith("kk_helpers."):
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("kk_helpers")]
    return found


def _imported_layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_one_way(path):
    layer = _layer(path)
    if layer is None:  # the package root and the sample generator stand apart
        return
    wrong = [
        f"line {line}: {module}"
        for line, module in _imports(path)
        if (target := _imported_layer(module)) and LAYERS.index(target) > LAYERS.index(layer)
    ]
    assert not wrong, f"{path.name} ({layer}) imports a higher layer: {wrong}"


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if _layer(p) == "metrics"],
    ids=lambda p: p.name,
)
def test_metrics_are_language_free(path):
    text = [m for _, m in _imports(path) if m.startswith(TEXT_MODULES)]
    assert not text, f"{path.name} computes figures but imports text/formatting: {text}"


def test_no_layer_module_imports_the_sample_generator():
    users = [
        p.name
        for p in _modules()
        if _layer(p) in LAYERS[:-1]
        and any(m.startswith("kk_helpers.sample") for _, m in _imports(p))
    ]
    assert not users


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by job"


def test_every_layer_is_a_package():
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file()


def _public_functions(path: Path):
    """Module-level public functions and public methods of public classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            yield node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    yield item, True


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_options_are_keyword_only(path):
    """A public function with more than three parameters takes its options keyword-only."""
    wrong = []
    for fn, is_method in _public_functions(path):
        positional = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if is_method and positional and positional[0] in ("self", "cls"):
            positional = positional[1:]
        total = len(positional) + len(fn.args.kwonlyargs)
        if total > 3 and not fn.args.kwonlyargs and fn.args.vararg is None:
            wrong.append(f"{fn.name} (line {fn.lineno})")
    assert not wrong, f"{path.name}: make options keyword-only: {wrong}"


def test_architecture_page_lists_every_module():
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        str(p.relative_to(PACKAGE))
        for p in _modules()
        if p.name != "__init__.py" or p.parent.parent != PACKAGE
        if f"`{p.relative_to(PACKAGE).as_posix()}`" not in page and p.parent != PACKAGE
    ]
    assert not missing, f"docs/architecture.md: add {missing}"
