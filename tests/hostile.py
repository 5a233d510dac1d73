"""A copy of the sample client whose data carries injection payloads (issue 11).

Customer names, sales reps, the client's name and two unmapped columns (master
"Ansprechpartner", transactions "Kundenname") hold formula and HTML payloads; a few
transaction rows have a broken date, so their payloads reach ``rejected_rows.csv``.
Also helpers to run ``kk`` in a subprocess and to read every output file as text.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd

from kk_helpers.core.paths import project_root, sample_client_dir
from kk_helpers.stages.levers.questionnaire_write import SAMPLE_RESPONDENTS

#: formula payloads: the OWASP leading characters = + - @ tab
FORMULAS = (
    "=1+2",
    '=HYPERLINK("http://x","click")',
    "+1+cmd|' /C calc'!A0",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+3",
)
#: also OWASP, but a CR inside a CSV field starts a new record in many readers: unit tests only
CR_PAYLOAD = "\r=1+4"
#: HTML payloads
SCRIPTS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
CLIENT_NAME = "<script>alert('client')</script> =1+2 GmbH"
REP_PAYLOADS = ('=HYPERLINK("http://x","rep")', "<img src=x onerror=alert(2)>")
RAW_TAGS = ("<script>alert", "<img src=x")


def make_hostile_client(folder: Path, client_id: str = "hostile") -> Path:
    """Write the hostile client into ``folder`` (created) and return it."""
    sample = sample_client_dir()
    shutil.copytree(sample, folder)
    cust = pd.read_csv(sample / "customers.csv", sep=";", encoding="cp1252", dtype=str,
                       keep_default_na=False)  # fmt: skip
    tx = pd.read_csv(sample / "transactions.csv", sep=";", encoding="utf-8-sig", dtype=str,
                     keep_default_na=False)  # fmt: skip
    revenue = pd.to_numeric(tx["Umsatz netto"].str.replace(",", "."), errors="coerce")
    top = revenue.groupby(tx["Kundennr"]).sum().sort_values(ascending=False).index
    payloads = [*FORMULAS[:5], *SCRIPTS]  # leading tab/CR are trimmed by the loader
    for cid, name in zip(top, payloads, strict=False):
        cust.loc[cust["Kundennr"] == cid, "Firma"] = f"{name} {cid}"
    reps = cust["Außendienstmitarbeiter"].value_counts().index
    for rep, payload in zip(reps, REP_PAYLOADS, strict=False):
        cust.loc[cust["Außendienstmitarbeiter"] == rep, "Außendienstmitarbeiter"] = payload
    contacts = [*FORMULAS, *SCRIPTS]
    cust["Ansprechpartner"] = [
        contacts[i % len(contacts)] if i < 40 else f"Herr Kontaktmann{i}" for i in range(len(cust))
    ]
    # customer rows without an id are rejected: their contacts reach rejected_rows.csv
    extra = pd.DataFrame([{c: "" for c in cust.columns} for _ in contacts])
    extra["Firma"] = [f"Geheimkunde Nummer {i}" for i in range(len(contacts))]
    extra["Ansprechpartner"] = contacts
    cust = pd.concat([cust, extra], ignore_index=True)
    cust.to_csv(folder / "customers.csv", sep=";", encoding="cp1252", index=False)
    names = dict(zip(cust["Kundennr"], cust["Firma"], strict=True))
    tx["Kundenname"] = tx["Kundennr"].map(names).fillna("")
    broken = tx.index[: len(contacts)]
    tx.loc[broken, "Belegdatum"] = "kaputt"
    tx.loc[broken, "Kundenname"] = contacts
    tx.to_csv(folder / "transactions.csv", sep=";", encoding="utf-8-sig", index=False)
    cfg = (folder / "client.yml").read_text(encoding="utf-8")
    cfg = cfg.replace('name: "Muster Industriebedarf GmbH"', f'name: "{CLIENT_NAME}"')
    cfg = cfg.replace("id: sample ", f"id: {client_id} ")
    (folder / "client.yml").write_text(cfg, encoding="utf-8")
    return folder


def personal_names(client: Path) -> list[str]:
    """Every name an anonymized report must not contain: customers, reps, contacts,
    activity employees, respondents, the client's own name."""
    cust = pd.read_csv(client / "customers.csv", sep=";", encoding="cp1252", dtype=str,
                       keep_default_na=False)  # fmt: skip
    act = pd.read_csv(client / "activities.csv", dtype=str, keep_default_na=False)
    out = {*cust["Firma"], *cust["Außendienstmitarbeiter"], *cust["Ansprechpartner"],
           *act["Mitarbeiter"], *(name for name, _ in SAMPLE_RESPONDENTS), CLIENT_NAME,
           "Muster Industriebedarf"}  # fmt: skip
    return sorted(n.strip() for n in out if len(n.strip()) >= 5)


def kk(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``kk`` in a subprocess (this tree's package), capture its output."""
    env = {**os.environ, "PYTHONPATH": str(project_root())}
    return subprocess.run(
        [sys.executable, "-m", "kk_helpers.batch.cli", *args],
        capture_output=True, text=True, env=env, timeout=timeout, check=False,
    )  # fmt: skip


def kk_popen(*args: str) -> subprocess.Popen:
    """Start ``kk`` in a subprocess with piped stdout/stderr (text)."""
    env = {**os.environ, "PYTHONPATH": str(project_root())}
    return subprocess.Popen(
        [sys.executable, "-m", "kk_helpers.batch.cli", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def output_texts(folder: Path) -> dict[Path, str]:
    """Every file below ``folder`` as text: xlsx as their XML parts, Parquet as CSV."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                out[p] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif p.suffix == ".parquet":
            out[p] = pd.read_parquet(p).astype(str).to_csv()
        elif p.suffix == ".png":
            continue
        else:
            out[p] = p.read_text(encoding="utf-8-sig", errors="replace")
    return out


def leaks(texts: dict[Path, str], names: list[str]) -> dict[str, list[str]]:
    """Names (raw, HTML- or XML-escaped) found in the texts, by file name."""
    found: dict[str, list[str]] = {}
    for p, text in texts.items():
        hits = [n for n in names if n in text or html.escape(n) in text
                or html.escape(n, quote=False) in text]  # fmt: skip
        if hits:
            found[p.name] = hits[:5]
    return found
