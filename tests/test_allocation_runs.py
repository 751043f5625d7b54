"""Allocation runs: the ORM adapter, background runs with progress, errors, stale runs, comparison."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, AuditEvent, BlockQuota, Phase, Role, Status
from wijkfonds.services.results import runner
from wijkfonds.services.results.reconcile import voter_count
from wijkfonds.services.results.runs import category_name, round_input


def _runs() -> int:
    return db.session.scalar(select(func.count(AllocationRun.id)))


def test_adapter_builds_instance_and_profile(app) -> None:
    rnd, inis = fr.closed_round(per_district=3, voters=4)
    rnd.district_budgets[0].floor = 1_000
    block = inis[0].block
    db.session.add(BlockQuota(round_id=rnd.id, block_id=block.id, min_bp=500, max_bp=2_500))
    other = f.initiative(rnd, status=Status.NOT_FEASIBLE, cost=1_000)  # not on the ballot
    fr.ballot(rnd, [inis[0], other])  # the item for `other` does not count
    fr.ballot(rnd, [inis[0], inis[3]], district_id=inis[0].district_id)  # two districts: counted in each
    empty = fr.ballot(rnd, [], district_id=inis[0].district_id)  # an empty ballot is no vote
    assert empty.items == []
    db.session.flush()
    data = round_input(rnd)
    inst, prof = data.instance, data.profile
    assert [p.id for p in inst.projects] == [str(i.id) for i in inis]
    assert {p.cost for p in inst.projects} == {i.cost for i in inis}
    assert inst.budget == rnd.total_budget and sum(inst.district_budgets.values()) == rnd.total_budget
    assert inst.district_floors == {rnd.district_budgets[0].district.name: 1_000}
    name = category_name(block.name_nl)
    assert inst.category_min_share == {name: Fraction(1, 20)} and inst.category_max_share == {name: Fraction(1, 4)}
    assert inst.projects[0].categories == (name, category_name(inis[0].theme.name_nl))
    assert prof.num_voters == 4 * 4 + 1 + 2
    assert prof.districts == inst.districts
    assert int(prof.indices.max()) < len(inst.projects)


def test_category_names_have_no_commas() -> None:
    assert (
        category_name("Infopunt, digitaal platform en community manager")
        == "Infopunt digitaal platform en community manager"
    )


def test_digest_is_stable_and_follows_the_ballots(app) -> None:
    rnd, inis = fr.closed_round()
    first = round_input(rnd).digest
    assert first == round_input(rnd).digest and len(first) == 64
    fr.ballot(rnd, [inis[0]])
    assert round_input(rnd).digest != first


@pytest.mark.parametrize(
    "rule,completion",
    [
        ("greedy", "none"),
        ("greedy-stop", "none"),
        ("ilp", "none"),
        ("mes", "none"),
        ("mes", "add1"),
        ("mes", "add1-greedy"),
    ],
)
def test_every_rule_runs_in_the_platform(app, rule: str, completion: str) -> None:
    rnd, inis = fr.closed_round()
    run = fr.finished_run(rnd, f.user(Role.STAFF), rule, completion)
    assert run.status == "done", run.error
    r = run.result
    assert r["cost"] <= rnd.total_budget and r["selected"]
    for d, spent in r["district_spend"].items():
        assert spent <= r["district_budgets"][d]
    assert sum(r["district_spend"].values()) == r["cost"]
    # every initiative on the ballot gets an outcome with its reason
    assert {o["initiative_id"] for o in r["outcomes"].values()} == {i.id for i in inis}
    assert all(o["reason"] for o in r["outcomes"].values())
    assert 0 < r["voters_with_funded"] <= r["voters"]
    assert run.optimal is (True if rule == "ilp" else None)
    assert run.input_digest == round_input(rnd).digest and run.seconds is not None


def test_staff_start_a_run_in_the_background(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    resp = client.post(
        f"/beheer/toewijzing/ronde/{rnd.id}", data={"rule": "ilp", "completion": "none", "time_limit": "30"}
    )
    assert resp.status_code == 302
    run_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    db.session.expire_all()  # immediate mode (unit tests): the task ran inside the request
    run = db.session.get(AllocationRun, run_id)
    assert run.status == "done" and run.progress == 100
    assert run.params == {"completion": "none", "time_limit": 30, "goal": "cost-approval"}  # the round's ILP goal
    page = client.get(f"/beheer/toewijzing/berekening/{run_id}").get_data(as_text=True)
    assert "Klaar" in page and run.input_digest in page and 'hx-trigger="every 1s"' not in page
    kinds = list(db.session.scalars(select(AuditEvent.kind)))
    assert "allocation.run" in kinds


def test_status_fragment_polls_only_while_running(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    run.status, run.progress = "running", 40
    db.session.commit()
    auth.login(staff)
    frag = client.get(f"/beheer/toewijzing/berekening/{run.id}", headers={"HX-Request": "true"})
    body = frag.get_data(as_text=True)
    assert frag.status_code == 200 and "<html" not in body
    assert 'hx-trigger="every 1s"' in body and "Ververs" in body and "40%" in body
    full = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert "<html" in full and f'href="/beheer/toewijzing/berekening/{run.id}"' in full  # the no-JS refresh link


def test_run_needs_a_closed_round(client, auth) -> None:
    rnd, _inis = fr.closed_round(phase=Phase.VOTING)
    db.session.commit()
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    resp = client.post(f"/beheer/toewijzing/ronde/{rnd.id}", data={"rule": "greedy", "completion": "none"})
    assert resp.status_code == 409 and "nog niet gesloten" in resp.get_data(as_text=True)
    assert _runs() == 0


@pytest.mark.parametrize(
    "data,message",
    [
        ({"rule": "greedy", "completion": "add1"}, "alleen bij de regel ‘gelijke delen’"),
        ({"rule": "greedy", "completion": "none", "time_limit": "10"}, "alleen bij de exacte berekening"),
        ({"rule": "ilp", "completion": "none", "time_limit": "0"}, "tussen 1 en 3600"),
        ({"rule": "koning", "completion": "none"}, "Kies een van de regels hieronder."),
        ({"rule": "mes", "completion": "add2"}, "Kies een van de aanvullingen hieronder."),
        ({"completion": "none"}, "Kies een regel."),
    ],
)
def test_bad_run_options_give_a_message_and_no_run(client, auth, data, message) -> None:
    rnd, _inis = fr.closed_round()
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    resp = client.post(f"/beheer/toewijzing/ronde/{rnd.id}", data=data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _runs() == 0


def test_infeasible_minimum_share_is_a_clear_failure(client, auth) -> None:
    rnd, inis = fr.closed_round()
    db.session.add(BlockQuota(round_id=rnd.id, block_id=inis[0].block_id, min_bp=9_000))
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "ilp")
    assert run.status == "failed" and run.result is None
    assert "minimum" in run.error.lower()
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{run.id}")
    assert page.status_code == 200 and "De berekening is mislukt" in page.get_data(as_text=True)


def test_a_run_left_running_by_a_dead_process_is_shown_as_failed(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    staff = f.user(Role.STAFF)
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    run.status = "running"
    run.created_at = utcnow() - timedelta(hours=2)
    fresh = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    db.session.commit()
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/ronde/{rnd.id}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AllocationRun, run.id).status == "failed"
    assert db.session.get(AllocationRun, fresh.id).status == "queued"  # young runs are left alone
    assert "Mislukt" in page
    detail = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert "onderbroken" in detail


def test_compare_two_runs(client, auth) -> None:
    rnd, _inis = fr.closed_round(seed=7)
    staff = f.user(Role.STAFF)
    a = fr.finished_run(rnd, staff, "greedy")
    b = fr.finished_run(rnd, staff, "greedy-stop")
    auth.login(staff)
    resp = client.get(f"/beheer/toewijzing/ronde/{rnd.id}/vergelijken?a={a.id}&b={b.id}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Stemmers met minstens één gefinancierd plan" in body and "Besteding per bouwsteen" in body
    # the engine's fairness report: EJR up to one plan, money per district and building block
    assert 'id="fairness"' in body and "EJR tot op één plan" in body
    assert "Aandeel in het geld per bouwsteen" in body and "Aandeel in de stemmers en in het geld per gebied" in body
    ejr_row = body.split("EJR tot op één plan")[1].split("</tr>")[0]
    assert ejr_row.count("<td") == 2 and "niet vastgesteld" not in ejr_row
    differ = set(a.result["selected"]) ^ set(b.result["selected"])
    if differ:
        assert "Plannen die verschillen" in body and "precies dezelfde" not in body
    bad = client.get(f"/beheer/toewijzing/ronde/{rnd.id}/vergelijken?a={a.id}&b=99999")
    assert bad.status_code == 404 and "Kies twee geslaagde berekeningen" in bad.get_data(as_text=True)
    same = client.get(f"/beheer/toewijzing/ronde/{rnd.id}/vergelijken?a={a.id}&b={a.id}")
    assert same.status_code == 400


def test_no_database_transaction_is_open_while_the_rule_runs(app, monkeypatch) -> None:
    """On SQLite an open transaction holds the write lock; a long run must not block voters."""
    rnd, _inis = fr.closed_round()
    seen: list[bool] = []
    real = runner.run_rule

    def spy(*args, **kwargs):
        seen.append(db.session().in_transaction())
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_rule", spy)
    run = fr.finished_run(rnd, f.user(Role.STAFF), "greedy")
    assert run.status == "done", run.error
    assert seen == [False]


def test_unmet_minimums_are_shown_for_rules_that_cannot_guarantee_them(client, auth) -> None:
    """Greedy ignores a building-block minimum and its run page warns; the ILP meets it, no warning."""
    rnd, inis = fr.closed_round(seed=5, per_district=6, voters=15, total=120_000)
    staff = f.user(Role.STAFF)
    first = fr.finished_run(rnd, staff, "greedy")
    funded_ids = {v["initiative_id"] for v in first.result["outcomes"].values() if v["funded"]}
    funded_blocks = {i.block_id for i in inis if i.id in funded_ids}
    target = next(i for i in inis if i.id not in funded_ids and i.block_id not in funded_blocks)
    db.session.add(BlockQuota(round_id=rnd.id, block_id=target.block_id, min_bp=target.cost * 10_000 // 120_000))
    db.session.commit()
    greedy = fr.finished_run(rnd, staff, "greedy")
    ilp = fr.finished_run(rnd, staff, "ilp")
    assert greedy.status == ilp.status == "done", (greedy.error, ilp.error)
    assert ilp.result["unmet_minimums"] == []
    [unmet] = greedy.result["unmet_minimums"]
    assert unmet["spent"] == 0 and 0 < unmet["need"] <= target.cost
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{greedy.id}").get_data(as_text=True)
    assert "haalt niet elk minimum" in page and unmet["name"] in page
    assert "haalt niet elk minimum" not in client.get(f"/beheer/toewijzing/berekening/{ilp.id}").get_data(as_text=True)


def _cells(page: str, label: str) -> str:
    """The number cell of the breakdown row whose header starts with ``label``."""
    row = re.search(r"<th scope=\"row\">" + re.escape(label) + r".*?</th><td class=\"num\">(.*?)</td>", page)
    assert row, label
    return re.sub(r"<[^>]+>", "", row.group(1)).strip()


def test_voter_count_reconciles_turnout_with_the_run(client, auth) -> None:
    rnd, inis = fr.closed_round(per_district=3, voters=5)  # 4 districts x 5 = 20 ballots with ticks
    gone = f.initiative(rnd, status=Status.WITHDRAWN, cost=1_000, district_slug=inis[0].district.slug)
    for _ in range(3):
        fr.ballot(rnd, [], district_id=inis[0].district_id)  # empty online ballots
    fr.ballot(rnd, [], district_id=inis[3].district_id).paper = True  # an empty paper ballot
    fr.ballot(rnd, [gone])  # ticks only on a plan no longer on the ballot
    fr.ballot(rnd, [inis[0], inis[3]], district_id=inis[0].district_id)  # two districts: counted in each
    staff = f.user(Role.STAFF)
    db.session.commit()
    vc = voter_count(rnd)
    b = vc.ballots
    assert (b.stored, b.online, b.paper, b.empty_online, b.empty_paper) == (26, 25, 1, 3, 1)
    assert (vc.off_ballot, vc.extra_districts, vc.left_out) == (1, 1, 5)
    assert vc.voters == 22 == round_input(rnd).profile.num_voters
    run = fr.finished_run(rnd, staff)
    assert run.result["voters"] == vc.voters
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert _cells(page, "Opgeslagen stembiljetten") == "26"
    assert _cells(page, "waarvan leeg: geen plan aangevinkt (via internet 3, op papier 1)") == "− 4"
    assert _cells(page, "waarvan alleen plannen aangevinkt") == "− 1"
    assert _cells(page, "extra: stembiljetten met plannen in meer gebieden") == "+ 1"
    assert _cells(page, "Stemmers in de toewijzing") == "22"
    assert "26 stembiljetten, 22 stemmers in de toewijzing: het verschil staat hierboven." in page
    assert "Deze berekening telde" not in page  # the run counted what the ballots give now
    turnout = client.get(f"/beheer/stemcodes/ronde/{rnd.id}/opkomst").get_data(as_text=True)
    assert "Stemmen samen: 26" in turnout and _cells(turnout, "Stemmers in de toewijzing") == "22"


def test_run_page_states_the_empty_ballots(client, auth) -> None:
    rnd, inis = fr.closed_round(per_district=2, voters=120)  # 480 ballots, as in the demo
    for k in range(3):
        fr.ballot(rnd, [], district_id=inis[2 * k].district_id)
    staff = f.user(Role.STAFF)
    db.session.commit()
    run = fr.finished_run(rnd, staff)
    assert run.result["voters"] == 480
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert (
        "483 stembiljetten, 480 stemmers in de toewijzing: 3 lege stembiljetten; die telt de toewijzing niet mee."
        in page
    )
    fr.ballot(rnd, [inis[0]])  # a ballot added after the run (e.g. an imported round's data)
    db.session.commit()
    later = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert "Deze berekening telde 480 stemmers; met de stembiljetten van nu zijn het er 481." in later


def test_fairness_report_of_runs(app) -> None:
    from wijkfonds.services.errors import DomainError
    from wijkfonds.services.results.fairness import runs_fairness

    rnd, _inis = fr.closed_round(seed=7)
    staff = f.user(Role.STAFF)
    a = fr.finished_run(rnd, staff, "greedy")
    b = fr.finished_run(rnd, staff, "mes")
    fair = runs_fairness([a, b])
    assert [r.rule for r in fair.reports] == ["greedy", "mes"] and fair.stale == []
    for report, run in zip(fair.reports, (a, b), strict=True):
        assert report.voters_with_funded == run.result["voters_with_funded"]
        assert report.cost == run.result["cost"]
        assert report.ejr is not None and report.ejr.satisfied in (True, False)
        assert {row.name: row.spend for row in report.groups["bouwsteen"] if row.spend} == {
            k: v for k, v in run.result["block_spend"].items() if v
        }
    # Equal Shares satisfies EJR up to one project in each district (a theorem).
    assert fair.reports[1].ejr is not None and fair.reports[1].ejr.satisfied is True
    other, _ = fr.closed_round(seed=8)
    c = fr.finished_run(other, staff, "greedy")
    with pytest.raises(DomainError):
        runs_fairness([a, c])
