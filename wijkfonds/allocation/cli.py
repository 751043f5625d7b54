"""Command line: run an allocation rule on one or more pabulib files.

    python -m wijkfonds.allocation FILE.pb [FILE.pb ...] --rule {greedy,greedy-stop,ilp,mes,mes-bounds,official}
        [--completion {none,add1,add1-greedy}] [--budget N] [--district-budget NAME=N ...]
        [--district-floor NAME=N ...]
        [--category-min NAME=FRACTION ...] [--category-max NAME=FRACTION ...]
        [--time-limit S] [--goal {cost-approval,approval}] [--exclusive A,B[,C] ...] [--ignore-caps]
        [--check-selected] [--margins] [--json] [--output OUT.pb] [--fairness [--ejr-time-limit S]]

``--goal`` (ilp only) sets what the exact rule maximises: ``cost-approval`` (the default,
``sum(cost * support)``) or ``approval`` (``sum(support)`` of the funded projects).

``--exclusive A,B`` (repeatable) adds a group of projects of which at most one may be
funded, to those the files record in META ``exclusive_groups``; every rule honours them,
and ``--output`` records them. ``--rule official`` runs the rule the files' META ``rule`` names, with its META parameters
(:mod:`.rules.official`). ``--check-selected`` compares the outcome with the files' PROJECTS
``selected`` column, prints the differences and exits with status 3 when there are any.
``--margins`` adds how close each project came (:mod:`.rules.margins`): a table, the
``"margins"`` object with ``--json``, and a sentence in every explanation.
``--fairness`` prints the fairness report (:mod:`.fairness`) instead of the outcome; with it
``--rule`` may be given several times (``--rule greedy --rule mes``) for a side-by-side table
(``--completion`` then applies to mes and mes-bounds).

Several files form one multi-district round (see :mod:`.pabulib`). Any bad input (a
malformed file, an unknown district, infeasible bounds) ends with exit status 2 and one
line ``error: ...`` on stderr; never a traceback. A file whose PROJECTS ``votes`` or
``score`` disagree with its VOTES section gets one ``warning: FILE:LINE: ...`` line on
stderr per project (and the list under ``"warnings"`` with ``--json``); the VOTES section
decides.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import NoReturn

from .cli_check import check_selected
from .cli_margins import margins_table
from .cli_output import allocation_json, allocation_table
from .cli_write import OutputError, write_outputs
from .model import Allocation, AllocationError, Instance, Profile
from .money import Money, parse_money
from .pabulib import PabulibError, PbElection, district_name, read_pb, round_from_elections
from .rules import COMPLETIONS, RULES, run_rule
from .rules.margins import compute_margins, margins_json, with_margins
from .rules.official import OfficialRuleError, official

__all__ = ["build_parser", "main"]


class _UsageError(Exception):
    """A command-line mistake; reported like bad input (exit status 2, one line)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake as one line instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see --help)")


def _money(text: str) -> Money:
    amount = parse_money(text.strip().replace("_", ""))
    if amount is None or amount < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a non-negative amount such as 1200 or 1200.50")
    return amount


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not of the form NAME=VALUE")
    return name.strip(), value.strip()


def _group(text: str) -> tuple[str, ...]:
    ids = tuple(pid.strip() for pid in text.split(","))
    if len(ids) < 2 or "" in ids:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of two or more project ids such as 773,153")
    return ids


def _fraction(name: str, text: str, option: str) -> Fraction:
    try:
        share = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise _UsageError(f"{option} {name}={text}: {text!r} is not a fraction such as 0.1, 1/10 or 10%") from None
    if not 0 <= share <= 1:
        raise _UsageError(f"{option} {name}={text}: a share must lie between 0 and 1")
    return share


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m wijkfonds.allocation``."""
    p = _Parser(
        prog="python -m wijkfonds.allocation",
        description="Decide which projects are funded, from one or more pabulib files "
        "(several files form one round: each file is a district).",
    )
    p.add_argument("files", nargs="+", metavar="FILE.pb", help="pabulib files, one per district")
    p.add_argument(
        "--rule",
        required=True,
        action="append",
        choices=(*RULES, "official"),
        help="allocation rule; 'official' runs the rule named by META rule (greedy, greedy-no-skip, "
        "greedy-threshold, equalshares/add1, equalshares/add1-comparison)",
    )
    p.add_argument("--completion", default="none", choices=COMPLETIONS, help="completion of mes (default none)")
    p.add_argument("--budget", type=_money, metavar="N", help="total budget (default: the sum of the district budgets)")
    p.add_argument(
        "--district-budget",
        type=_pair,
        action="append",
        default=[],
        metavar="NAME=N",
        help="replace one district's budget (repeatable)",
    )
    p.add_argument(
        "--district-floor",
        type=_pair,
        action="append",
        default=[],
        metavar="NAME=N",
        help="minimum spend in one district (repeatable; honoured by the ilp and mes-bounds rules)",
    )
    p.add_argument(
        "--category-min",
        type=_pair,
        action="append",
        default=[],
        metavar="NAME=FRACTION",
        help="minimum share of the total budget for a category, e.g. Groen=0.1 (repeatable; honoured by ilp and mes-bounds)",
    )
    p.add_argument(
        "--category-max",
        type=_pair,
        action="append",
        default=[],
        metavar="NAME=FRACTION",
        help="maximum share of the total budget for a category (repeatable)",
    )
    p.add_argument("--time-limit", type=_seconds, metavar="S", help="time limit of the ilp rule in seconds")
    p.add_argument(
        "--goal",
        choices=("cost-approval", "approval"),
        help="what the ilp rule maximises: cost x support (cost-approval, the default) or support (approval)",
    )
    p.add_argument(
        "--exclusive",
        type=_group,
        action="append",
        default=[],
        metavar="A,B[,C]",
        help="projects of which at most one may be funded, e.g. two plans for one place (repeatable)",
    )
    p.add_argument(
        "--ignore-caps", action="store_true", help="ignore budget_per_neighborhood / budget_per_category from the files"
    )
    p.add_argument(
        "--check-selected",
        action="store_true",
        help="compare the outcome with the files' PROJECTS 'selected' column; exit status 3 when they differ",
    )
    p.add_argument(
        "--margins",
        action="store_true",
        help="also compute how close each project came: the votes an unfunded one needed, "
        "the votes a funded one could lose (not for --rule official)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument(
        "--output",
        metavar="OUT.pb",
        help="write the election back with a 'selected' column (a directory when several files are given)",
    )
    p.add_argument(
        "--fairness",
        action="store_true",
        help="print the fairness report (voters with a funded plan, spend per district and category, "
        "EJR up to one project) instead of the outcome; --rule may then be repeated",
    )
    p.add_argument(
        "--ejr-time-limit",
        type=_seconds,
        default=60.0,
        metavar="S",
        help="seconds the EJR check may take per rule with --fairness (default 60)",
    )
    return p


def _district_amounts(option: str, pairs: list[tuple[str, str]], start: dict[str, Money]) -> dict[str, Money]:
    """Apply NAME=N pairs of a per-district money option to ``start``."""
    amounts = dict(start)
    for name, value in pairs:
        if name not in amounts:
            raise _UsageError(f"{option} {name}={value}: no district {name!r} (districts: {', '.join(amounts)})")
        try:
            amounts[name] = _money(value)
        except argparse.ArgumentTypeError as exc:
            raise _UsageError(f"{option} {name}={value}: {exc}") from None
    return amounts


def _with_overrides(instance: Instance, args: argparse.Namespace) -> Instance:
    budgets = _district_amounts("--district-budget", args.district_budget, dict(instance.district_budgets))
    floors = _district_amounts(
        "--district-floor",
        args.district_floor,
        {name: instance.district_floors.get(name, 0) for name in instance.district_budgets},
    )
    floors = {name: amount for name, amount in floors.items() if amount}
    budget = (
        args.budget if args.budget is not None else (sum(budgets.values()) if args.district_budget else instance.budget)
    )
    known = {c for p in instance.projects for c in p.categories}
    shares: dict[str, dict[str, Fraction]] = {"--category-min": {}, "--category-max": {}}
    for option, pairs in (("--category-min", args.category_min), ("--category-max", args.category_max)):
        for name, text in pairs:
            if name not in known:
                listed = ", ".join(sorted(known)) or "none"
                raise _UsageError(f"{option} {name}={text}: no project has category {name!r} (categories: {listed})")
            shares[option][name] = _fraction(name, text, option)
    groups = list(instance.exclusive_groups)
    for group in args.exclusive:
        known = {p.id for p in instance.projects}
        unknown = [pid for pid in group if pid not in known]
        if unknown:
            raise _UsageError(f"--exclusive {','.join(group)}: no project {unknown[0]!r} in the files")
        if set(group) not in [set(g) for g in groups]:
            groups.append(group)
    return dataclasses.replace(
        instance,
        budget=budget,
        district_budgets=budgets,
        district_floors=floors,
        category_min_share=shares["--category-min"],
        category_max_share=shares["--category-max"],
        exclusive_groups=groups,
    )


def run(argv: Sequence[str] | None) -> int:
    """Parse, read, allocate and print; raises on bad input (see :func:`main`)."""
    args = build_parser().parse_args(argv)
    elections = [read_pb(f) for f in args.files]
    warnings = [w for e in elections for w in e.warnings]
    for warning in warnings:
        print("warning: " + warning, file=sys.stderr)
    instance, profile = round_from_elections(elections, ignore_caps=args.ignore_caps)
    instance = _with_overrides(instance, args)
    if args.fairness:
        return _fairness(args, instance, profile, elections, warnings)
    if len(args.rule) > 1:
        raise _UsageError("--rule may be given once, or several times with --fairness")
    args.rule = args.rule[0]
    allocation = _allocate(args, instance, profile, elections)
    margins = None
    if args.margins:
        if args.rule == "official":
            raise _UsageError("--margins does not apply to --rule official; name the rule with --rule")
        margins = compute_margins(
            args.rule, instance, profile, allocation, completion=args.completion, time_limit=args.time_limit
        )
        allocation = with_margins(allocation, margins)
    check = check_selected(instance, allocation, elections) if args.check_selected else None
    if args.output:
        write_outputs(args.output, elections, allocation, instance.exclusive_groups)
    if args.json:
        out = {**allocation_json(instance, allocation), "warnings": warnings}
        if margins is not None:
            out["margins"] = margins_json(margins)
        if check is not None:
            out["check_selected"] = check.as_json()
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(allocation_table(instance, allocation))
        if margins is not None:
            print("\n" + margins_table(instance, margins))
        if check is not None:
            print("\n" + "\n".join(check.lines(instance)))
    return 0 if check is None or check.same else 3


def _fairness(
    args: argparse.Namespace, instance: Instance, profile: Profile, elections: Sequence[PbElection], warnings: list[str]
) -> int:
    for option, value in (
        ("--check-selected", args.check_selected),
        ("--output", args.output),
        ("--margins", args.margins),
    ):
        if value:
            raise _UsageError(f"{option} does not combine with --fairness")
    from .cli_fairness import fairness_json, fairness_table  # only here: a plain run need not load them
    from .fairness import fairness_report

    reports = []
    for rule in dict.fromkeys(args.rule):
        one = argparse.Namespace(**{**vars(args), "rule": rule})
        if rule not in ("mes", "mes-bounds") and len(args.rule) > 1:
            one.completion = "none"  # --completion is meant for the Equal Shares columns
        allocation = _allocate(one, instance, profile, elections)
        reports.append(fairness_report(instance, profile, allocation, ejr_time_limit=args.ejr_time_limit))
    if args.json:
        print(json.dumps({"fairness": fairness_json(reports), "warnings": warnings}, ensure_ascii=False))
    else:
        print(fairness_table(instance, reports))
    return 0


def _allocate(
    args: argparse.Namespace, instance: Instance, profile: Profile, elections: Sequence[PbElection]
) -> Allocation:
    if args.rule != "official":
        return run_rule(
            args.rule, instance, profile, completion=args.completion, time_limit=args.time_limit, goal=args.goal
        )
    for option, value in (
        ("--completion", args.completion != "none"),
        ("--time-limit", args.time_limit),
        ("--goal", args.goal),
    ):
        if value:
            raise _UsageError(f"{option} does not apply to --rule official, which takes its parameters from META")
    try:
        return official(instance, profile)
    except OfficialRuleError as exc:
        source = next((e for e in elections if district_name(e) == exc.district), None)
        if source is None:
            raise
        line = source.meta_lines.get(exc.key) if exc.key else None
        raise PabulibError(source.path, line, exc.problem) from None


def _fail(message: str, status: int) -> int:
    print("error: " + " ".join(str(message).split()), file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit status (0 ok, 2 bad input, 3 outcome differs from ``selected``, 1 unexpected failure)."""
    try:
        return run(argv)
    except (_UsageError, OutputError, AllocationError) as exc:
        return _fail(str(exc), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing left to report
        return 0
    except MemoryError:
        return _fail("out of memory", 1)
    except Exception as exc:
        return _fail(f"unexpected {type(exc).__name__}: {exc}", 1)
