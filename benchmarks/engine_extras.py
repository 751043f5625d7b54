"""Times of the engine's newer parts on real files: mes-bounds and --margins (not a test).

For each file it runs ``mes`` and ``mes-bounds`` with a minimum share for the file's two
least funded categories (each set to 1.5 times what plain Equal Shares gives it, capped so
that the bounds stay feasible), and the margins of greedy, the ILP and Equal Shares.
Run: ``.venv/bin/python benchmarks/engine_extras.py [FILE.pb ...]`` (default: Amsterdam 285
and Warsaw 2023 Bielany from ``../shared/pabulib``).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wijkfonds.allocation.pabulib import read_pb, round_from_elections  # noqa: E402
from wijkfonds.allocation.rules import run_rule  # noqa: E402
from wijkfonds.allocation.rules.margins import compute_margins  # noqa: E402

DEFAULT = (
    REPO.parent / "shared/pabulib/netherlands/Netherlands_Amsterdam_285.pb",
    REPO.parent / "shared/pabulib/warszawa-2023/Poland_Warszawa_2023_Bielany.pb",
)


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    print(f"  {label:<34} {time.perf_counter() - start:8.2f} s")
    return out


def main(paths: list[Path]) -> None:
    """Print the times for each file."""
    for path in paths:
        if not path.exists():
            print(f"{path}: not here, skipped")
            continue
        instance, profile = round_from_elections([read_pb(path)])
        print(f"{path.name}: {len(instance.projects)} projects, {profile.num_voters} voters")
        plain = _timed("mes", lambda i=instance, pr=profile: run_rule("mes", i, pr))
        spend = dict(plain.category_spend)
        cats = sorted({c for p in instance.projects for c in p.categories}, key=lambda c: spend.get(c, 0))[:2]
        shares = {
            c: min(Fraction(3, 2) * spend.get(c, 0) / instance.budget + Fraction(1, 100), Fraction(1, 5)) for c in cats
        }
        bounded = dataclasses.replace(instance, category_min_share=shares)
        try:
            got = _timed(f"mes-bounds ({', '.join(cats)})", lambda b=bounded, pr=profile: run_rule("mes-bounds", b, pr))
            info = got.details.get("bounds", {})
            print(
                f"    refused {len(info.get('refused', []))}, funded for the minimums "
                f"{len(info.get('funded_for_minimums', []))}, solver calls {info.get('solver_calls')}"
            )
        except Exception as exc:  # a benchmark reports and goes on
            print(f"    mes-bounds: {exc}")
        for rule in ("greedy", "ilp", "mes"):
            allocation = run_rule(rule, instance, profile)
            _timed(
                f"margins of {rule}", lambda r=rule, a=allocation, i=instance, pr=profile: compute_margins(r, i, pr, a)
            )


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or list(DEFAULT))
