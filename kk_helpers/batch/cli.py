"""The ``kk`` command.

``kk validate CLIENT [--out DIR] [--lang de|en] [--strict]`` loads and validates one
client (a client folder or its ``client.yml``), prints a short summary and writes
``validation_report.md``, ``validation_report.html`` and ``rejected_rows.csv``.

Exit codes: 0 clean (or only corrections/info), 1 rejected rows or warnings with
``--strict``, 2 fatal (:class:`~kk_helpers.core.config.ConfigError` or
:class:`~kk_helpers.core.errors.DataError`; the message goes to stderr, no traceback).

New subcommands: add a ``_add_<name>(subparsers)`` that registers the parser with
``set_defaults(func=cmd_<name>)`` and call it from :func:`build_parser`; each
``cmd_<name>(args) -> int`` returns the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from kk_helpers.core.config import ConfigError, load_config
from kk_helpers.core.errors import DataError
from kk_helpers.core.i18n import LANGUAGES, t

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_FATAL = 2
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="load and validate one client's data; write the validation report",
        description="Load and validate one client's data files and write the validation "
        "report (Markdown, HTML) and rejected_rows.csv.",
    )
    p.add_argument("client", help="client folder or its client.yml")
    p.add_argument(
        "--out", type=Path, default=None, help="report folder (default: reports/<client id>/)"
    )
    p.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="report language (default: from the config)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit with code 1 when rows were rejected or flagged with warnings",
    )
    p.add_argument(
        "--reference-date",
        default=None,
        help="'today' of the analysis as YYYY-MM-DD (default: config or today)",
    )
    p.set_defaults(func=cmd_validate)


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="validate clients and run the workbook notebooks -> report folders",
        description="For each client: validate the data, run the notebooks with papermill and "
        "write reports/<client>/ with the executed notebooks, HTML reports without code, Excel "
        "lists, the validation report and an index.html.",
    )
    p.add_argument("clients", nargs="+", help="client folders or client.yml files")
    p.add_argument(
        "--out", type=Path, default=None, help="root of the report folders (default: reports/)"
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="report language (default: from each config)",
    )
    p.add_argument(
        "--notebooks", default=None, help="steps to run, e.g. 01,02 (default: all available)"
    )
    p.add_argument("--jobs", type=int, default=1, help="clients processed in parallel (default 1)")
    p.add_argument(
        "--anonymize", action="store_true", help="replace customer names by stable pseudonyms"
    )
    p.set_defaults(func=cmd_run)


def _add_questionnaire(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "questionnaire",
        help="write the blank lever-assessment questionnaire (XLSX) for a client",
        description="Write the Excel questionnaire for the lever assessment (stage 3): one row "
        "per question with drop-downs for current and target maturity and importance.",
    )
    p.add_argument("client", help="client folder or its client.yml")
    p.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="language (default: from the config)"
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="target .xlsx file or folder (default: reports/<client id>/)",
    )
    p.set_defaults(func=cmd_questionnaire)


def build_parser() -> argparse.ArgumentParser:
    """The ``kk`` argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="kk", description="Small-customer management workbook: command-line tools."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_validate(sub)
    _add_run(sub)
    _add_questionnaire(sub)
    return parser


def validation_summary_lines(data, out_dir: Path | None, lang: str) -> list[str]:  # noqa: ANN001
    """Lines of the terminal summary for a loaded :class:`~kk_helpers.input.loading.ClientData`."""
    from kk_helpers.core.formatting import format_money, format_number

    report = data.report
    cur = data.config.client.currency
    lines = [t("cli.validate.client", lang, name=data.config.client.name, id=data.config.client_id)]
    rec = report.reconciliation()
    for r in rec.itertuples(index=False):  # one per file
        line = t(
            "cli.validate.file",
            lang,
            table=t(f"table.{r.table}", lang),
            file=r.file,
            rows_in=format_number(r.rows_in, lang),
            rows_accepted=format_number(r.rows_accepted, lang),
            rows_rejected=format_number(r.rows_rejected, lang),
        )
        if r.table == "transactions":
            line += " " + t(
                "cli.validate.revenue",
                lang,
                accepted=format_money(r.revenue_accepted, lang, cur, decimals=2),
                total=format_money(r.revenue_in, lang, cur, decimals=2),
                rejected=format_money(r.revenue_rejected, lang, cur, decimals=2),
            )
        lines.append(line)
    summ = report.summary(lang)
    if len(summ):
        lines.append(t("cli.validate.issues", lang))
        for r in summ.itertuples(index=False):
            col = f" [{r.column}]" if isinstance(r.column, str) and r.column else ""
            rows = "" if pd.isna(r.rows) else f"{format_number(r.rows, lang)} × "
            lines.append(f"  {r.severity:<11} {rows}{r.reason}{col} ({r.file})")
    else:
        lines.append(t("cli.validate.no_issues", lang))
    if out_dir is not None:
        lines.append(t("cli.validate.reports", lang, path=str(out_dir)))
    return lines


def cmd_validate(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """``kk validate``: load, validate, print the summary, write the report files."""
    import datetime as dt

    from kk_helpers.core.paths import default_output_dir
    from kk_helpers.input.loading import load_client
    from kk_helpers.input.report_files import write_validation_report

    out = stdout or sys.stdout
    try:
        cfg = load_config(args.client)
        lang = args.lang or cfg.client.language
        ref = dt.date.fromisoformat(args.reference_date) if args.reference_date else None
        data = load_client(cfg, reference_date=ref)
    except (ConfigError, DataError, ValueError) as e:  # ValueError: bad --reference-date
        print(f"{t('cli.error', args.lang or 'en')}: {e}", file=sys.stderr)
        return EXIT_FATAL
    out_dir = Path(args.out) if args.out else default_output_dir(cfg.client_id)
    write_validation_report(data, out_dir, lang)
    for line in validation_summary_lines(data, out_dir, lang):
        print(line, file=out)
    if args.strict and data.report.has_warnings:
        print(t("cli.validate.strict_failed", lang), file=out)
        return EXIT_WARNINGS
    return EXIT_OK


def cmd_run(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """``kk run``: the batch; exit 0 when every client and notebook succeeded, else 1
    (2 on bad options or two clients with one report folder, 130 on Ctrl-C)."""
    from kk_helpers.batch import folders, runner

    out = stdout or sys.stdout
    if args.jobs < 1:
        print(f"{t('cli.error', 'en')}: --jobs must be at least 1", file=sys.stderr)
        return EXIT_FATAL
    try:
        runner.select_notebooks(args.notebooks)
    except ValueError as e:
        print(f"{t('cli.error', 'en')}: {e}", file=sys.stderr)
        return EXIT_FATAL
    try:
        results = runner.run_batch(
            args.clients,
            out_root=args.out,
            lang=args.lang,
            notebooks=args.notebooks,
            jobs=args.jobs,
            anonymize=args.anonymize,
        )
    except folders.DuplicateFolderError as e:
        print(f"{t('cli.error', 'en')}: {e}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:  # one line, no traceback; report folders stay as they were
        print(t("safety.run.interrupted", args.lang or "en"), file=sys.stderr)
        return EXIT_INTERRUPTED
    for line in runner.summary_lines(results):
        print(line, file=out)
    return runner.exit_code(results)


def cmd_questionnaire(args: argparse.Namespace) -> int:
    """``kk questionnaire``: write the blank questionnaire; 0 ok, 2 on config errors."""
    from kk_helpers.stages.levers.questionnaire_write import questionnaire_command

    return questionnaire_command(args.client, args.lang, args.out)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``kk``; returns the exit code (``kk`` with no command prints help)."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_FATAL
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
