"""Lever questionnaire format: the columns of the Excel and CSV questionnaires.

Shared by :mod:`~kk_helpers.stages.levers.questionnaire_write` (the blank questionnaire)
and :mod:`~kk_helpers.stages.levers.questionnaire_import` (reading filled ones).
"""

from __future__ import annotations

from pathlib import Path

from kk_helpers.core.config import ClientConfig

FORMAT_NAME = "kk-lever-questionnaire"
FORMAT_VERSION = 1
META_SHEET = "_meta"

#: Score columns (1-5 each).
SCORES: tuple[str, ...] = ("current", "target", "importance")
#: Columns of the question table in the XLSX, A to G.
COLUMNS: tuple[str, ...] = ("question_id", "lever", "question", *SCORES, "comment")
#: Excel column letter of each question-table column.
COLUMN_LETTERS = dict(zip(COLUMNS, "ABCDEFG", strict=True))
#: Columns of the long CSV (``lever``, ``question`` and ``comment`` are optional).
CSV_COLUMNS: tuple[str, ...] = ("respondent", "role", *COLUMNS)
CSV_REQUIRED: tuple[str, ...] = ("respondent", "role", "question_id", *SCORES)
#: Columns of :attr:`QuestionnaireImport.responses`.
RESPONSE_COLUMNS: tuple[str, ...] = (
    "respondent",
    "role",
    "file",
    "row",
    "question_id",
    "lever",
    *SCORES,
    "comment",
)
#: Rows searched for the header row (first cell "ID") of the question table.
HEADER_SCAN_ROWS = 40
ID_HEADER = "ID"


def questionnaire_source(config: ClientConfig) -> Path:
    """The configured questionnaire folder or CSV (absolute); like every data path it
    must lie inside the client folder (``ConfigError`` otherwise)."""
    return config.data_path(config.levers.questionnaires, key="levers.questionnaires")
