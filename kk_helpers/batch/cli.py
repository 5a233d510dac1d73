"""The ``kk`` command.

``kk init CLIENT [--lang de|en] [--force]`` proposes a commented ``client.yml`` from a
folder of raw exports (:mod:`kk_helpers.input.proposal`) and validates it.

``kk validate CLIENT [--out DIR] [--lang de|en] [--strict]`` loads and validates one
client (a client folder or its ``client.yml``), prints a short summary and writes
``validation_report.md``, ``validation_report.html`` and ``rejected_rows.csv``.

``kk run`` exit codes: see :func:`run_exit_code` (0 ok, 1 a notebook failed, 2 a client
stopped on a fatal data/config error).

``kk validate`` exit codes: 0 clean (or only corrections/info), 1 rejected rows or warnings with
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
from typing import Any, TextIO

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
        "--notebook-jobs", type=int, default=None, metavar="N",
        help="notebooks of one client run at once (default and maximum: the cores divided "
        "by the clients running in parallel; 1: one after the other)",
    )  # fmt: skip
    p.add_argument(
        "--scenario", default=None, metavar="NAME",
        help="a named scenario saved in the meeting (scenarios/NAME.yml beside client.yml) "
        "laid over client.yml for this report",
    )  # fmt: skip
    p.add_argument(
        "--engine", choices=("duckdb", "spark"), default="duckdb",
        help="where the line-level sums run: duckdb (embedded, default) or spark (Java 17+ and "
        "pyspark; master from KK_SPARK_MASTER, default local[2]); same results",
    )  # fmt: skip
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


def _add_init(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="propose a commented client.yml from a folder of raw exports",
        description="Detect how each data file in the folder is written (encoding, delimiter, "
        "decimal mark, dates, header row, sheet) and what it holds, write a commented "
        "client.yml with TODO markers where a decision is needed, and validate it.",
    )
    p.add_argument("client", help="client folder with the raw export files")
    p.add_argument(
        "--lang", choices=LANGUAGES, default="de", help="report and message language (default de)"
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing client.yml")
    p.set_defaults(func=cmd_init)


def _add_present(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "present",
        help="serve the four stages as a code-free web app on localhost (for a client meeting)",
        description="Serve the workbook as a live web app (Voila): a start page, the four "
        "stages with their sliders and buttons, no code. Open the printed address in a "
        "browser; Ctrl-C stops it.",
    )
    p.add_argument("client", help="client folder or its client.yml")
    p.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="language (default: from the config)"
    )
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument(
        "--ip", default="127.0.0.1",
        help="address to bind (default 127.0.0.1: only this computer can open the app)",
    )  # fmt: skip
    p.add_argument("--out", type=Path, default=None, help="reports folder (default reports/)")
    p.add_argument("--open", action="store_true", help="open the start page in the browser")
    p.add_argument("--scenario", default=None, metavar="NAME",
                   help="start from a saved scenario (scenarios/NAME.yml beside client.yml)")  # fmt: skip
    p.set_defaults(func=cmd_present)


def cmd_present(args: argparse.Namespace) -> int:
    """``kk present``: serve the live app until Ctrl-C. Exit codes: 0 stopped, 2 the client
    cannot be loaded (the message goes to stderr, no traceback)."""
    from kk_helpers.batch.present import serve

    lang = args.lang or "de"
    try:
        serve(args.client, lang=args.lang, port=args.port, ip=args.ip, reports=args.out,
              open_browser=args.open, scenario=args.scenario)  # fmt: skip
    except (ConfigError, DataError, OSError) as e:
        print(f"{t('cli.error', lang)}: {e}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as e:  # e.g. a criterion the screening does not know: one line, as kk run
        print(f"{t('cli.error', lang)}: {_present_error(args, e, lang)}", file=sys.stderr)
        return EXIT_FATAL
    return EXIT_OK


def _present_error(args: argparse.Namespace, e: Exception, lang: str) -> str:
    """The one line for an unexpected error of ``kk present`` (the client's data or config
    stopped the preparation); the traceback goes to ``<reports>/.present/kk_error.log``."""
    import traceback

    from kk_helpers.batch.present import LIVE_DIR
    from kk_helpers.core.paths import reports_dir

    message = str(e) if isinstance(e, ValueError) else f"{type(e).__name__}: {e}"
    try:
        folder = (Path(args.out) if args.out else reports_dir()) / LIVE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / ERROR_LOG
        log.write_text("".join(traceback.format_exception(e)), encoding="utf-8")
        return f"{message} {t('load.error_log', lang, path=str(log))}"
    except OSError:
        return message


def build_parser() -> argparse.ArgumentParser:
    """The ``kk`` argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="kk", description="Small-customer management workbook: command-line tools."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_validate(sub)
    _add_run(sub)
    _add_questionnaire(sub)
    _add_init(sub)
    _add_present(sub)
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
            unreadable = report.unreadable_revenue(r.table, r.file)
            line += " " + t(
                "cli.validate.revenue"
                if not unreadable
                else "load.revenue_unreadable"
                if r.revenue_rejected
                else "load.revenue_unreadable_only",
                lang,
                accepted=format_money(r.revenue_accepted, lang, cur, decimals=2),
                total=format_money(r.revenue_in, lang, cur, decimals=2),
                rejected=format_money(r.revenue_rejected, lang, cur, decimals=2),
                n=format_number(unreadable, lang),
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
        lines.append(t("report.no_issues", lang))
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
    cfg = None
    try:
        cfg = load_config(args.client)
        lang = args.lang or cfg.client.language
        ref = dt.date.fromisoformat(args.reference_date) if args.reference_date else None
        data = load_client(cfg, reference_date=ref)
    except Exception as e:  # noqa: BLE001  # no traceback for any input: one line, a log
        return _fatal(args, cfg, e)
    out_dir = validation_folder(Path(args.out) if args.out else default_output_dir(cfg.client_id))
    write_validation_report(data, out_dir, lang)
    for line in validation_summary_lines(data, out_dir, lang):
        print(line, file=out)
    if args.strict and data.report.has_warnings:
        print(t("cli.validate.strict_failed", lang), file=out)
        return EXIT_WARNINGS
    return EXIT_OK


ERROR_LOG = "kk_error.log"


def validation_folder(out_dir: Path) -> Path:
    """Where ``kk validate`` writes: ``out_dir``, or its ``validation/`` subfolder when
    ``out_dir`` holds a complete ``kk run`` report (``run.json``), so that a check of
    changed data never mixes into a published report (whose pages describe the data
    they were made from).

    >>> validation_folder(Path("/nonexistent/report")).name
    'report'
    """
    from kk_helpers.batch.folders import RUN_FILE

    return out_dir / "validation" if (out_dir / RUN_FILE).is_file() else out_dir


def _fatal(args: argparse.Namespace, cfg: Any, e: BaseException) -> int:
    """A fatal error of ``kk validate``: the validation report (with the message) and,
    for an unexpected exception, its details in ``kk_error.log`` go to the report
    folder; the terminal gets one line. Returns :data:`EXIT_FATAL`."""
    import traceback

    from kk_helpers.core.paths import default_output_dir
    from kk_helpers.input.report_files import write_validation_report

    lang = args.lang or (cfg.client.language if cfg is not None else "en")
    client = cfg.client_id if cfg is not None else Path(args.client).resolve().name
    if isinstance(e, KeyboardInterrupt | SystemExit):
        raise e
    expected = isinstance(e, ConfigError | DataError | ValueError) and e.__cause__ is None
    if expected:
        message = str(e)
    elif isinstance(e, DataError):  # the loader named the file
        message = f"{client}: {e}"
    else:
        message = f"{client}: {type(e).__name__}: {e}"
    where = ""
    try:
        out_dir = validation_folder(Path(args.out) if args.out else default_output_dir(client))
        if not isinstance(e, ConfigError):  # a broken config would hide the client's name
            write_validation_report(getattr(e, "report", None), out_dir, lang, fatal=message)
        if not expected:
            out_dir.mkdir(parents=True, exist_ok=True)
            log = out_dir / ERROR_LOG
            log.write_text("".join(traceback.format_exception(e)), encoding="utf-8")
            where = " " + t("load.error_log", lang, path=str(log))
    except OSError:
        pass
    print(f"{t('cli.error', lang)}: {message}{where}", file=sys.stderr)
    return EXIT_FATAL


def run_exit_code(results: Sequence[Any]) -> int:
    """Exit code of ``kk run`` for the clients' results (``runner.ClientResult``).

    2 (:data:`EXIT_FATAL`) when a client stopped before its first notebook (a fatal
    data or config error, or an unexpected error while loading); else 0 when every client
    and notebook succeeded, 1 when a notebook failed. Warnings do not change the code
    (``kk run`` has no ``--strict``; use ``kk validate --strict`` for that).

    >>> from types import SimpleNamespace as R
    >>> run_exit_code([R(status="ok", notebooks=[1]), R(status="failed", notebooks=[])])
    2
    >>> run_exit_code([R(status="ok", notebooks=[1]), R(status="failed", notebooks=[1])])
    1
    """
    if any(r.status != "ok" and not r.notebooks for r in results):
        return EXIT_FATAL
    return EXIT_OK if all(r.status == "ok" for r in results) else EXIT_WARNINGS


def cmd_run(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """``kk run``: the batch; exit codes as :func:`run_exit_code` (2 on bad options or two
    clients with one report folder, 130 on Ctrl-C)."""
    from kk_helpers.batch import folders, runner

    out = stdout or sys.stdout
    if args.jobs < 1:
        print(f"{t('cli.error', 'en')}: --jobs must be at least 1", file=sys.stderr)
        return EXIT_FATAL
    if args.notebook_jobs is not None and args.notebook_jobs < 1:
        print(f"{t('cli.error', 'en')}: --notebook-jobs must be at least 1", file=sys.stderr)
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
            scenario=args.scenario,
            notebook_jobs=args.notebook_jobs,
            engine="pyspark" if args.engine == "spark" else args.engine,
        )
    except folders.DuplicateFolderError as e:
        print(f"{t('cli.error', 'en')}: {e}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:  # one line, no traceback; report folders stay as they were
        print(t("safety.run.interrupted", args.lang or "en"), file=sys.stderr)
        return EXIT_INTERRUPTED
    for line in runner.summary_lines(results):
        print(line, file=out)
    return run_exit_code(results)


def cmd_questionnaire(args: argparse.Namespace) -> int:
    """``kk questionnaire``: write the blank questionnaire; 0 ok, 2 on config errors."""
    from kk_helpers.stages.levers.questionnaire_write import questionnaire_command

    return questionnaire_command(args.client, args.lang, args.out)


def cmd_init(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """``kk init``: write the proposed client.yml and validate it.

    Exit codes: 0 written and loaded without TODOs, 1 written with TODOs or not loadable
    yet, 2 nothing written (existing client.yml without ``--force``, no readable file).
    """
    from kk_helpers.core.config import CONFIG_FILENAME
    from kk_helpers.core.formatting import format_money, format_number
    from kk_helpers.input.loading import load_client
    from kk_helpers.input.proposal import propose

    out, lang = stdout or sys.stdout, args.lang
    folder = Path(args.client)
    target = folder / CONFIG_FILENAME
    if target.exists() and not args.force:
        print(
            f"{t('cli.error', lang)}: {t('cli.init.exists', lang, path=str(target))}",
            file=sys.stderr,
        )
        return EXIT_FATAL
    try:
        prop = propose(folder, lang=lang)
    except (ValueError, OSError) as e:
        print(f"{t('cli.error', lang)}: {e}", file=sys.stderr)
        return EXIT_FATAL
    target.write_text(prop.text, encoding="utf-8")
    print(t("cli.init.written", lang, path=str(target)), file=out)
    for p in prop.unused:
        print(t("cli.init.unused", lang, file=p.path.name, table=p.table or "?"), file=out)
    for path, why in prop.failed:
        reason = why.splitlines()[0]
        print(t("cli.init.unreadable", lang, file=path.name, reason=reason), file=out)
    code = EXIT_WARNINGS if prop.todos else EXIT_OK
    try:
        data = load_client(folder)
    except Exception as e:  # noqa: BLE001  # any problem: shown, the proposal stays
        print(t("cli.init.invalid", lang, message=str(e).splitlines()[0]), file=out)
        code = EXIT_WARNINGS
    else:
        for line in validation_summary_lines(data, None, lang):
            print(line, file=out)
        years = ", ".join(str(y) for y in data.config.analysis.years)
        n = format_number(len(data.customers), lang)
        print(t("cli.init.customers", lang, n=n, years=years), file=out)
        by_year = data.transactions.groupby("year")["revenue"].sum()
        cur = data.config.client.currency
        for year, revenue in by_year.items():
            money = format_money(revenue, lang, cur, decimals=0)
            print(t("cli.init.revenue_year", lang, year=year, revenue=money), file=out)
    if prop.todos:
        print(t("cli.init.todo", lang), file=out)
        for todo in prop.todos:
            print(f"  - {todo}", file=out)
    else:
        print(t("cli.init.no_todo", lang), file=out)
    if code == EXIT_OK:
        print(t("cli.init.next", lang, path=str(folder)), file=out)
    return code


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
