"""Questionnaire round trip: write the XLSX, fill it, import it; every bad case reported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.levers.catalog import build_catalog
from kk_helpers.stages.levers.questionnaire_import import (
    anonymize_respondents,
    import_questionnaires,
)
from kk_helpers.stages.levers.questionnaire_write import (
    SAMPLE_RESPONDENTS,
    generate_sample_questionnaires,
    questionnaire_command,
    workbook_values,
    write_questionnaire,
)

CATALOG = build_catalog()
FIRST = 9  # first question row
N = len(CATALOG.questions)


def _blank(path: Path, lang: str = "de") -> Path:
    return write_questionnaire(path, CATALOG, lang=lang, client_name="Test GmbH", client_id="test")


def _fill(path: Path, name: str | None = "Anna Muster", role: str | None = "Innendienst",
          scores=(2, 4, 5), edits: dict[str, object] | None = None, lang: str = "de") -> Path:  # fmt: skip
    """Fill every question with ``scores`` (current, target, importance), then ``edits``."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Fragebogen" if lang == "de" else "Questionnaire"]
    ws["B4"], ws["B5"] = name, role
    for r in range(FIRST, FIRST + N):
        for j, v in enumerate(scores, start=4):
            ws.cell(r, j, v)
    for cell, v in (edits or {}).items():
        ws[cell] = v
    wb.save(path)
    return path


def _reasons(imp) -> list[str]:
    return imp.report.issues["reason"].tolist()


def test_written_questionnaire_has_instructions_fields_and_dropdowns(tmp_path):
    p = _blank(tmp_path / "q.xlsx", "en")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames[:2] == ["Instructions", "Questionnaire"]
    assert wb["_meta"].sheet_state == "hidden"
    ws = wb["Questionnaire"]
    assert ws["A4"].value == "Name" and ws["A5"].value.startswith("Role")
    assert [c.value for c in ws[8]][:1] == ["ID"]
    assert ws.cell(FIRST, 1).value == "customers.q1"
    assert ws.cell(FIRST + N - 1, 1).value == "cooperations.q3"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"D{FIRST}:F{FIRST + N - 1}"] == '"1,2,3,4,5"'
    assert "B5" in lists  # role drop-down
    instr = [v for row in wb["Instructions"].iter_rows(values_only=True) for v in row if v]
    assert any("fully in place" in str(v) for v in instr)  # anchor text of level 5
    assert any("not in place" in str(v) for v in instr)  # anchor text of level 1


def test_round_trip_fill_and_import(tmp_path):
    folder = tmp_path / "questionnaires"
    _fill(_blank(folder / "a.xlsx"), "Anna Muster", "Innendienst", (2, 4, 5))
    _fill(_blank(folder / "b.xlsx", "en"), "Ben Beispiel", "Field sales", (3, 3, 1), lang="en")
    imp = import_questionnaires(folder, CATALOG)
    r = imp.responses
    assert len(r) == 2 * N
    assert set(r["role"]) == {"inside_sales", "field_sales"}
    a = r[r["respondent"] == "Anna Muster"]
    assert (a["current"] == 2).all() and (a["target"] == 4).all() and (a["importance"] == 5).all()
    assert a["question_id"].tolist() == [q.id for q in CATALOG.questions]
    assert imp.report.n_issues() == 0
    files = imp.report.files()
    assert files["rows_in"].tolist() == [N, N] and files["rows_rejected"].sum() == 0


def test_scores_out_of_range_and_not_numbers_name_file_and_cell(tmp_path):
    p = _fill(_blank(tmp_path / "q.xlsx"), edits={"D9": 7, "E10": "viel", "F11": 0, "D12": "4,0"})
    imp = import_questionnaires(tmp_path, CATALOG)
    msgs = imp.report.messages("en")
    assert "q.xlsx, cell D9: score outside 1-5, left empty (value: 7)" in msgs
    assert any(m.startswith("q.xlsx, cell E10:") and "not a number" in m for m in msgs)
    assert any(m.startswith("q.xlsx, cell F11:") for m in msgs)
    r = imp.responses.set_index("question_id")
    assert pd.isna(r.loc["customers.q1", "current"]) and r.loc["customers.q4", "current"] == 4.0
    assert imp.report.count("corrected") == 3
    assert p.name in imp.report.files()["file"].tolist()


def test_unknown_renamed_matched_and_duplicate_questions(tmp_path):
    _fill(
        _blank(tmp_path / "q.xlsx"),
        edits={
            "A9": "customers.q99", "C9": "Eine ganz neue Frage",  # unknown -> rejected
            "C10": "Umformulierte Aussage",  # known id, changed text -> warning
            "A11": None,  # id removed, text still matches -> matched by text
            "A12": "customers.q2",  # duplicate of row 10 -> rejected
        },
    )  # fmt: skip
    imp = import_questionnaires(tmp_path, CATALOG)
    reasons = _reasons(imp)
    for reason in ("unknown_question", "question_renamed", "question_matched_by_text",
                   "duplicate_question"):  # fmt: skip
        assert reason in reasons
    issues = imp.report.issues.set_index("reason")
    assert issues.loc["unknown_question", "row"] == 9
    assert issues.loc["duplicate_question", "row"] == 12
    files = imp.report.files()
    assert files.loc[0, "rows_rejected"] == 2 and files.loc[0, "rows_accepted"] == N - 2
    assert "customers.q3" in set(imp.responses["question_id"])
    # the replaced id customers.q4 (row 12) is now missing from the file
    assert "question_missing" in reasons


def test_missing_respondent_and_role(tmp_path):
    _fill(_blank(tmp_path / "fragebogen_x.xlsx"), name=None, role=None)
    imp = import_questionnaires(tmp_path, CATALOG)
    assert set(imp.responses["respondent"]) == {"fragebogen_x"}
    assert set(imp.responses["role"]) == {"unknown"}
    msgs = imp.report.messages("de")
    assert any(m.startswith("fragebogen_x.xlsx, Zelle B4: Name fehlt") for m in msgs)
    assert any(m.startswith("fragebogen_x.xlsx, Zelle B5: Rolle fehlt") for m in msgs)


def test_duplicate_respondents_keep_the_first_file(tmp_path):
    _fill(_blank(tmp_path / "1.xlsx"), name="Anna Muster")
    _fill(_blank(tmp_path / "2.xlsx"), name="anna  muster", scores=(5, 5, 5))
    imp = import_questionnaires(tmp_path, CATALOG)
    assert (imp.responses["file"] == "1.xlsx").all()
    files = imp.report.files().set_index("file")
    assert files.loc["2.xlsx", "status"] == "rejected"
    assert files.loc["2.xlsx", "rows_rejected"] == N
    msg = [m for m in imp.report.messages("en") if "twice" in m][0]
    assert msg.startswith("2.xlsx, cell B4:") and "already in 1.xlsx" in msg


def test_empty_unreadable_foreign_and_ignored_files(tmp_path):
    _blank(tmp_path / "blank.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "something else"
    wb.save(tmp_path / "other.xlsx")
    (tmp_path / "~$lock.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("x")
    imp = import_questionnaires(tmp_path, CATALOG)
    assert imp.responses.empty
    by_file = dict(zip(imp.report.issues["file"], imp.report.issues["reason"], strict=True))
    assert by_file["blank.xlsx"] == "empty_file"
    assert by_file["broken.xlsx"] == "unreadable_file"
    assert by_file["other.xlsx"] == "layout_unknown"
    assert by_file["~$lock.xlsx"] == "file_ignored" and by_file["notes.txt"] == "file_ignored"
    files = imp.report.files().set_index("file")
    assert files.loc["blank.xlsx", "rows_rejected"] == N
    assert imp.report.has_problems


def test_long_csv_import_with_problems(tmp_path):
    csv = tmp_path / "answers.csv"
    csv.write_text(
        "respondent;role;question_id;current;target;importance;comment\n"
        "Anna;Innendienst;it.q1;2;4;5;Auftragsstatus per Telefon\n"
        "Anna;Innendienst;it.q2;9;4;5;\n"
        ";Innendienst;it.q3;2;4;5;\n"
        "Ben;;it.q1;3;3;2;\n"
        "Ben;;xx.q1;3;3;2;\n",
        encoding="utf-8",
    )
    imp = import_questionnaires(csv, CATALOG)
    r = imp.responses
    assert sorted(set(r["respondent"])) == ["Anna", "Ben"]
    assert r.loc[r["question_id"] == "it.q1", "comment"].dropna().tolist() == [
        "Auftragsstatus per Telefon"
    ]
    msgs = imp.report.messages("en")
    assert "answers.csv, row 3, column current: score outside 1-5, left empty (value: 9)" in msgs
    assert any(m.startswith("answers.csv, row 4, column respondent: name missing") for m in msgs)
    assert any("row 6, column question_id: unknown question" in m for m in msgs)
    f = imp.report.files().iloc[0]
    assert (f["rows_in"], f["rows_accepted"], f["rows_rejected"]) == (5, 3, 2)


def test_csv_without_required_columns(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("name,score\nAnna,3\n", encoding="utf-8")
    imp = import_questionnaires(csv, CATALOG)
    assert _reasons(imp) == ["csv_missing_columns"]
    assert imp.report.files()["rows_rejected"].tolist() == [1]


def test_sample_questionnaires_regenerate_identically(tmp_path):
    folder = sample_client_dir() / "questionnaires"
    committed = sorted(p.name for p in folder.glob("*.xlsx"))
    new = generate_sample_questionnaires(tmp_path)
    assert sorted(p.name for p in new) == committed
    for p in new:
        assert workbook_values(p) == workbook_values(folder / p.name), p.name


def test_sample_has_six_plus_respondents_in_different_roles_with_disagreement():
    imp = import_questionnaires(sample_client_dir() / "questionnaires")
    resp = imp.respondents
    assert len(resp) >= 6 and resp["role"].nunique() >= 5
    assert len(SAMPLE_RESPONDENTS) == len(resp)
    cov = imp.responses[imp.responses["lever"] == "coverage"]
    by_role = cov.groupby("role")["current"].mean()
    assert by_role["field_sales"] - by_role["inside_sales"] >= 1.5
    assert imp.responses["comment"].notna().sum() >= 10


def test_anonymize_respondents_is_consistent():
    f = pd.DataFrame({"respondent": ["Zoe", "Adam", "Zoe"], "x": [1, 2, 3]})
    out = anonymize_respondents(f, "de")
    assert out["respondent"].tolist() == ["Befragte/r 1", "Befragte/r 2", "Befragte/r 1"]
    assert f["respondent"].tolist() == ["Zoe", "Adam", "Zoe"]  # input unchanged


def test_questionnaire_command(tmp_path, capsys):
    code = questionnaire_command(sample_client_dir(), "en", tmp_path)
    assert code == 0
    written = tmp_path / "Questionnaire_small_customer_management.xlsx"
    assert written.is_file()
    assert "Questionnaire" in openpyxl.load_workbook(written).sheetnames
    assert "questionnaires" in capsys.readouterr().out
    assert questionnaire_command(tmp_path / "missing", None, tmp_path) == 2


@pytest.mark.parametrize("lang", ["de", "en"])
def test_messages_in_both_languages(tmp_path, lang):
    _fill(_blank(tmp_path / "q.xlsx"), edits={"D9": 6})
    imp = import_questionnaires(tmp_path, CATALOG)
    s = imp.report.summary(lang)
    assert s.loc[0, "location"] == "D9" and s.loc[0, "value"] == "6"
    assert s.loc[0, "severity"] == ("korrigiert" if lang == "de" else "corrected")


def test_missing_or_empty_questionnaire_folder_is_no_error(tmp_path):
    imp = import_questionnaires(tmp_path / "questionnaires")
    assert imp.responses.empty and imp.respondents.empty and imp.report.n_issues() == 0
    (tmp_path / "questionnaires").mkdir()
    imp = import_questionnaires(tmp_path / "questionnaires")
    assert imp.responses.empty and imp.report.files().empty
