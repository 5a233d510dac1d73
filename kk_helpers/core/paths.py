"""Default locations: the one place for paths the package assumes."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def project_root() -> Path:
    """The workbook's checkout (folder with pyproject.toml), else the current folder."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else Path.cwd()


def notebooks_dir() -> Path:
    """Folder of the four workbook notebooks."""
    return project_root() / "notebooks"


def sample_client_dir() -> Path:
    """Folder of the fictional sample client."""
    return project_root() / "data" / "sample"


def reports_dir() -> Path:
    """Default root of all report folders (git-ignored)."""
    return project_root() / "reports"


def default_output_dir(client_id: str) -> Path:
    """Default report folder of one client: ``reports/<client id>``."""
    return reports_dir() / client_id
