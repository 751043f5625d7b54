"""Plain words for the rules: the run form, the unspent-budget notice, and public text without engine names."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Role, Round, Status
from wijkfonds.services.results.rule_words import COMPLETIONS, RULES, unspent_notice

ENGINE_NAMES = re.compile(r"\b(greedy|greedy-stop|ilp|mes|add1|add1-greedy)\b", re.IGNORECASE)
ALL_RULES = [
    ("greedy", "none"),
    ("greedy-stop", "none"),
    ("ilp", "none"),
    ("mes", "none"),
    ("mes", "add1"),
    ("mes", "add1-greedy"),
]


class _Text(HTMLParser):
    """The text a reader sees: character data outside script and style (attributes are not text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _publish(client, run_id: int) -> None:
    resp = client.post(f"/beheer/toewijzing/berekening/{run_id}/publiceren", data={"reason": "", "confirm": "1"})
    assert resp.status_code == 302


def _one_district_round(costs_and_voters: list[tuple[int, list[int]]], *, budget: int = 10_000) -> Round:
    """A closed round whose only budget is ``budget`` in one district; plans (cost, voter numbers who approve)."""
    rnd, _ = fr.closed_round(per_district=0, voters=0, total=budget * 4)
    district = f.district()
    rnd.district_budgets = [b for b in rnd.district_budgets if b.district_id == district.id]
    rnd.district_budgets[0].amount = budget
    rnd.total_budget = budget
    author = f.user()
    plans = [
        f.initiative(rnd, author, status=Status.FEASIBLE, district_slug=district.slug, cost=cost, title=f"Plan {k + 1}")
        for k, (cost, _voters) in enumerate(costs_and_voters)
    ]
    voters = sorted({v for _cost, vs in costs_and_voters for v in vs})
    for v in voters:
        fr.ballot(
            rnd, [p for p, (_c, vs) in zip(plans, costs_and_voters, strict=True) if v in vs], district_id=district.id
        )
    db.session.flush()
    return rnd


# 4 voters share EUR 10,000: EUR 2,500 each. Plan 1 (5,000) is carried by voters 1 and 2;
# plans 2 and 3 (4,000 each) have one supporter with 2,500: plain Equal Shares spends 5,000.
LEAVES_HALF = [(5_000, [1, 2]), (4_000, [3]), (4_000, [4])]


def test_run_form_offers_every_rule_with_its_name_and_sentence(client, auth) -> None:
    rnd, _inis = fr.closed_round()
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    body = client.get(f"/beheer/toewijzing/ronde/{rnd.id}").get_data(as_text=True)
    for rule, words in RULES.items():
        assert f'name="rule" required type="radio" value="{rule}"' in body
        assert str(words.name) in body and str(words.sentence) in body
    for completion, words in COMPLETIONS.items():
        assert f'type="radio" value="{completion}"' in body
        assert str(words.name) in body and str(words.sentence) in body
    form = body[body.index("<form") : body.index("</form>")]
    assert not ENGINE_NAMES.search(visible_text(form))


def test_plain_equal_shares_that_leaves_much_unspent_gets_a_notice(client, auth) -> None:
    rnd = _one_district_round(LEAVES_HALF)
    staff = f.user(Role.STAFF)
    plain = fr.finished_run(rnd, staff, "mes")
    assert plain.result["cost"] == 5_000
    notice = unspent_notice(plain.result, plain.rule, plain.completion)
    assert notice is not None and notice["total"]["left"] == 5_000
    [district] = notice["districts"]
    assert (district["budget"], district["spent"], district["left"], district["cheapest"]) == (
        10_000,
        5_000,
        5_000,
        4_000,
    )
    assert notice["spend_with"] == (("mes", "add1"), ("mes", "add1-greedy"))
    auth.login(staff)
    page = visible_text(client.get(f"/beheer/toewijzing/berekening/{plain.id}").get_data(as_text=True))
    assert "meer dan 10% van een budget ongebruikt" in page
    assert "De Baarsjes: van € 10.000 gaat € 5.000 naar plannen, € 5.000 (50.0%) blijft over." in page
    assert "Het goedkoopste plan zonder geld in dit gebied kost € 4.000." in page
    assert str(RULES["mes"].name) + ", met een groter deel per stemmer en aanvullen op stemmen" in page
    # the greedy completion spends it: 9,000 of 10,000 is exactly 10% left, not more, so no notice
    completed = fr.finished_run(rnd, staff, "mes", "add1-greedy")
    assert completed.result["cost"] == 9_000
    assert unspent_notice(completed.result, completed.rule, completed.completion) is None
    page = client.get(f"/beheer/toewijzing/berekening/{completed.id}").get_data(as_text=True)
    assert "unspent-notice" not in page and "ongebruikt" not in page


def test_no_notice_when_less_than_a_tenth_is_left(client, auth) -> None:
    rnd = _one_district_round([(9_500, [1, 2, 3, 4]), (3_000, [1])])
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "mes")
    assert run.result["cost"] == 9_500
    assert unspent_notice(run.result, run.rule, run.completion) is None
    auth.login(staff)
    page = client.get(f"/beheer/toewijzing/berekening/{run.id}").get_data(as_text=True)
    assert "unspent-notice" not in page and "ongebruikt" not in page


def test_greedy_stop_names_greedy_as_the_rule_that_spends_more() -> None:
    result = {
        "budget": 1_000,
        "cost": 500,
        "district_budgets": {"A": 1_000},
        "district_spend": {"A": 500},
        "outcomes": {"1": {"funded": False, "district": "A", "cost": 800}},
    }
    notice = unspent_notice(result, "greedy-stop", "none")
    assert notice is not None and notice["spend_with"] == (("greedy", "none"),)
    assert unspent_notice(result, "ilp", "none")["spend_with"] == ()
    assert unspent_notice(dict(result, cost=901, district_spend={"A": 901}), "greedy-stop", "none") is None


@pytest.mark.parametrize("rule,completion", ALL_RULES)
def test_public_pages_never_name_the_engine(client, auth, rule: str, completion: str) -> None:
    rnd, inis = fr.closed_round(seed=4)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, completion)
    auth.login(staff)
    _publish(client, run.id)
    auth.logout()
    db.session.expire_all()
    funded = next(i for i in inis if i.status == Status.FUNDED.value)
    unfunded = next(i for i in inis if i.status == Status.NOT_FUNDED.value)
    pages = [f"/uitslag/{rnd.id}", "/uitslag/"]
    pages += [f"/uitslag/initiatief/{i.id}" for i in (funded, unfunded)]
    pages += [f"/initiatieven/{i.id}" for i in (funded, unfunded)]
    for lang in ("nl", "en"):
        client.get(f"/taal/{lang}?next=/")
        for url in pages:
            resp = client.get(url)
            assert resp.status_code == 200, url
            text = visible_text(resp.get_data(as_text=True))
            found = ENGINE_NAMES.findall(text)
            assert not found, f"{url} ({lang}) shows {found}"


def test_equal_shares_explains_the_share_per_voter_and_shows_unfunded_plans(client, auth) -> None:
    rnd = _one_district_round(LEAVES_HALF)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "mes")
    auth.login(staff)
    _publish(client, run.id)
    auth.logout()
    db.session.expire_all()
    plans = {i.title: i for i in db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id))}
    page = client.get(f"/uitslag/initiatief/{plans['Plan 1'].id}").get_data(as_text=True)
    text = visible_text(page)
    share = "Bij Equal Shares krijgt elke stemmer in De Baarsjes een gelijk deel van het budget: € 2.500"
    assert share in text and "(€ 10.000 gedeeld door 4 stemmers)" in text
    assert "de 2 voorstanders zetten elk € 2.500 van hun deel van het budget in" in text
    assert "betaald" not in text and "betaalden" not in text
    results = client.get(f"/uitslag/{rnd.id}").get_data(as_text=True)
    assert "<details" not in results.partition("</header>")[2] and "Niet gefinancierd (2)" in results
    text = visible_text(results)
    assert share in text
    assert text.count("hadden van hun delen van het budget samen nog € 2.500 over, het kost € 4.000") == 2
    client.get("/taal/en?next=/")
    text = visible_text(client.get(f"/uitslag/initiatief/{plans['Plan 1'].id}").get_data(as_text=True))
    assert "every voter in De Baarsjes gets an equal share of the budget: € 2,500" in text
    assert "its 2 supporters each put € 2,500 of their share of the budget into it" in text
    assert "EUR" not in text  # one money format on an English page
    assert "Not funded (2)" in visible_text(client.get(f"/uitslag/{rnd.id}").get_data(as_text=True))
