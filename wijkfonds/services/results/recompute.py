"""The auditor's recompute, written once: the steps and the one command that the page, the JSON and LEESMIJ.txt give.

Every place that shows how to recompute a round takes it from :func:`plan`, so they cannot
differ. The steps are POSIX shell lines to run in the unzipped export: a virtual environment,
the engine installed from the zip's own ``engine/`` folder, then the command on the zip's
``pb/`` files by their exact names. :func:`pabutools_check` says whether pabutools, as an
independent implementation, can reproduce the same outcome, and if not, why.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from fractions import Fraction

from wijkfonds.allocation import Money
from wijkfonds.services.results.engine_source import ENGINE_DIR

VENV = ".venv"
PB_DIR = "pb"
INSTALL_STEPS = (
    f"python3.11 -m venv {VENV}",
    f". {VENV}/bin/activate",
    f"python -m pip install ./{ENGINE_DIR}",
)


@dataclass(frozen=True)
class Plan:
    """How to recompute one published run from its export."""

    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        """The command as one shell line (arguments with spaces quoted)."""
        return shlex.join(self.argv)

    @property
    def steps(self) -> tuple[str, ...]:
        """Every shell line from a fresh machine: the install steps, then the command."""
        return (*INSTALL_STEPS, self.command)


def arguments(
    *,
    rule: str | None,
    completion: str,
    time_limit: object,
    budget: Money,
    goal: object = None,
    floors: dict[str, Money],
    min_shares: dict[str, Fraction],
    max_shares: dict[str, Fraction],
    categories: set[str],
) -> list[str]:
    """The engine's options that reproduce a run (no rule before publication)."""
    args = ["--budget", str(budget)]
    if rule is not None:
        args = ["--rule", rule] + (["--completion", completion] if rule in ("mes", "mes-bounds") else []) + args
        if time_limit:
            args += ["--time-limit", str(time_limit)]
        if rule == "ilp" and goal:
            args += ["--goal", str(goal)]
    for name, floor in sorted(floors.items()):
        if floor:
            args += ["--district-floor", f"{name}={floor}"]
    for option, shares in (("--category-min", min_shares), ("--category-max", max_shares)):
        for name, share in sorted(shares.items()):
            if name in categories:  # the CLI refuses categories without projects; such a bound binds nothing
                args += [option, f"{name}={Fraction(share)}"]
    return args


def plan(files: list[str], args: list[str], *, published: bool) -> Plan | None:
    """The command on the zip's ``pb/`` files; None before a result is published (there is no rule to name)."""
    if not published:
        return None
    argv = ("python", "-m", "wijkfonds.allocation", *(f"{PB_DIR}/{name}" for name in files), *args)
    return Plan((*argv, "--check-selected", "--json"))


@dataclass(frozen=True)
class PabutoolsCheck:
    """Whether pabutools can recompute the run, with the call per district file (or the reasons it cannot)."""

    call: str | None  # the rule call in the snippet, e.g. greedy_utilitarian_welfare(instance, profile, ...)
    reasons: tuple[tuple[str, str], ...]  # (Dutch, English) why pabutools cannot, or may differ


GREEDY = "greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)"
MES = "method_of_equal_shares(instance, profile.as_multiprofile(), sat_class=Cost_Sat{increment})"
MES_GREEDY = (
    "completion_by_rule_combination(instance, profile, [greedy_utilitarian_welfare], "
    '[{{"sat_class": Cost_Sat}}], initial_budget_allocation={mes})'
)


def pabutools_check(
    *, rule: str, completion: str, budget: Money, district_total: Money, max_shares: dict[str, Fraction]
) -> PabutoolsCheck:
    """pabutools runs one district file at a time with no bounds across them: say when that is the same."""
    reasons: list[tuple[str, str]] = []
    if rule == "greedy":
        call = GREEDY
    elif rule == "mes":
        mes = MES.format(increment=", voter_budget_increment=1" if completion != "none" else "")
        call = MES_GREEDY.format(mes=mes) if completion == "add1-greedy" else mes
    elif rule == "greedy-stop":
        call = None
        reasons.append(
            (
                "pabutools kent geen greedy die stopt bij het eerste plan dat niet past (greedy-stop).",
                "pabutools has no greedy that stops at the first project that does not fit (greedy-stop).",
            )
        )
    else:
        call = None
        reasons.append(
            (
                "pabutools' max_additive_utilitarian_welfare kent geen ondergrenzen per wijk en geen "
                "minimum- of maximumaandelen per bouwsteen, en kiest tussen even goede plannen een "
                "willekeurig plan; de exacte methode (ilp) is daarmee niet na te rekenen.",
                "pabutools' max_additive_utilitarian_welfare knows no district floors and no minimum or "
                "maximum shares per building block, and picks any one of equally good plans; the exact "
                "method (ilp) cannot be recomputed with it.",
            )
        )
    if call is not None and budget < district_total:
        reasons.append(
            (
                f"Het totale budget ({budget}) is kleiner dan de som van de wijkbudgetten ({district_total}); "
                "pabutools rekent elke wijk los en kent dat gedeelde budget niet.",
                f"The total budget ({budget}) is smaller than the sum of the district budgets "
                f"({district_total}); pabutools computes each district on its own and knows no shared budget.",
            )
        )
    if call is not None and max_shares:
        names = ", ".join(sorted(max_shares))
        reasons.append(
            (
                f"Er is een maximumaandeel per bouwsteen ({names}); pabutools kent dat niet, dus de uitslag "
                "kan verschillen als die grens een plan tegenhield.",
                f"There is a maximum share per building block ({names}); pabutools knows none, so its outcome "
                "may differ where that bound held a project back.",
            )
        )
    return PabutoolsCheck(call=call, reasons=tuple(reasons))


PABUTOOLS = "pabutools==1.2.3"  # the version tests/test_recompute_kit.py checks the script against
PABUTOOLS_SCRIPT = "narekenen_pabutools.py"


def pabutools_script(call: str) -> str:
    """A Python script that runs ``call`` on every district file with pabutools and prints the selection per file."""
    return f'''\
"""Herrekent de uitslag met pabutools, wijk voor wijk. / Recomputes the outcome with pabutools, district by district.

Gebruik / usage: python -m pip install {PABUTOOLS} && python {PABUTOOLS_SCRIPT}
"""

import glob

from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

for path in sorted(glob.glob("{PB_DIR}/*.pb")):
    instance, profile = parse_pabulib(path)
    outcome = {call}
    print(path + ":", " ".join(sorted(str(project.name) for project in outcome)))
'''
