"""The engine's explanations in every offered language: a template per reason code, the same
placeholders, money as the site writes it, English as the fallback, and no Dutch on result pages."""

from __future__ import annotations

import html
import io
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation import explain
from wijkfonds.allocation.explain import reasons, render_reason
from wijkfonds.common.money import amount_in, euro
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import use_language
from wijkfonds.i18n.offer import ALL, offered_codes
from wijkfonds.models import Initiative, Role, Status
from wijkfonds.services.results import explanations
from wijkfonds.services.results.rule_words import district_share_texts
from wijkfonds.services.results.runs import explained

TRANSLATED = ("tr", "ar", "pl")  # the offered languages the engine does not write itself


@pytest.mark.parametrize("lang", offered_codes())
def test_every_reason_code_has_a_template_with_the_english_placeholders(lang: str) -> None:
    gaps = explanations.missing(lang)
    assert not gaps, f"{len(gaps)} reason codes without a right template in {lang}: " + "; ".join(
        f"{code}: {why}" for code, why in list(gaps.items())[:10]
    )


def test_the_translated_languages_are_offered_and_have_every_code() -> None:
    assert set(TRANSLATED) <= set(offered_codes())
    for lang in TRANSLATED:
        assert all(explanations.template(code, lang) for code in reasons())


def test_a_new_reason_code_without_templates_is_reported(monkeypatch) -> None:
    """A rule that registers a code no catalogue has yet fails the test above (and reads in English)."""
    monkeypatch.setitem(
        explain._TEMPLATES, "test.new_code", {"en": "funded: a new rule chose it", "nl": "gefinancierd: nieuw"}
    )
    for lang in TRANSLATED:
        assert "test.new_code" in explanations.missing(lang)
        assert 'msgctxt "test.new_code"\nmsgid "funded: a new rule chose it"\nmsgstr ""' in explanations.stubs(lang)
        assert explanations.render("test.new_code", {}, lang) == "funded: a new rule chose it"
    assert "test.new_code" not in explanations.missing("b1"), "B1 falls back to the Dutch sentence"
    assert explanations.render("test.new_code", {}, "b1") == "gefinancierd: nieuw"


def test_a_reworded_english_template_is_reported_and_shown_in_english(monkeypatch) -> None:
    reworded = dict(reasons()["greedy.funded"], en="funded: at rank {rank} by votes it fits")
    monkeypatch.setitem(explain._TEMPLATES, "greedy.funded", reworded)
    assert "greedy.funded" in explanations.missing("tr")
    assert explanations.render("greedy.funded", {"rank": 2}, "tr") == "funded: at rank 2 by votes it fits"


def test_placeholders_that_differ_are_reported(monkeypatch) -> None:
    """The check compares (field, spec) pairs: a money field written without ``:money`` is a difference."""
    assert explanations.fields("{left:money} of {name}") == {("left", "money"), ("name", "")}
    assert explanations.fields("{left} of {name}") != explanations.fields("{left:money} of {name}")
    cat = explanations.catalogue("pl")
    assert cat is not None
    key = "greedy.funded\x04" + reasons()["greedy.funded"]["en"]
    monkeypatch.setitem(cat._catalog, key, "sfinansowany: miejsce {pozycja}")
    assert "placeholders" in explanations.missing("pl")["greedy.funded"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_money_is_written_as_the_site_writes_it_in_that_language(app, lang: str) -> None:
    with app.test_request_context("/"), use_language(lang):
        for amount in (0, 7, 8400, 1234567, -8400):
            assert amount_in(Fraction(amount), lang) == euro(amount)
    text = explanations.render("greedy.no_room.total", {"rank": 4, "left": 1200, "cost": "1690101/200"}, lang)
    assert amount_in(Fraction(1200), lang) in text and amount_in(Fraction(1690101, 200), lang) in text


def test_sentences_in_turkish_arabic_and_polish() -> None:
    params = {"rank": 3, "left": 1200, "cost": 8450, "name": "Noord", "margin_reason": "margin.needed"}
    tr = explanations.render("greedy.no_room.district", {**params, "margin": 1, "unit_en": "vote"}, "tr")
    assert tr == (
        "finanse edilmedi: sırası geldiğinde (oylara göre 3. sıra) Noord bölgesinde yalnızca € 1.200 kalmıştı, "
        "projenin maliyeti ise € 8.450; finanse edilmesi için 1 oy daha gerekiyordu"
    )
    pl = [
        explanations.render("margin.needed", {"margin": n, "unit_en": "vote" if n == 1 else "votes"}, "pl")
        for n in (1, 3, 5, 22)
    ]
    assert [s.split(" o ")[1] for s in pl] == ["1 głos więcej", "3 głosy więcej", "5 głosów więcej", "22 głosy więcej"]
    ar = explanations.render("greedy.no_room.district", {**params, "margin": 37, "unit_en": "votes"}, "ar")
    assert "\u2068Noord\u2069" in ar, "a Latin name is isolated inside Arabic text"
    assert "\u2066€ 8.450\u2069" in ar and "\u061b " in ar and "37 صوتًا" in ar


def test_b1_has_plainer_sentences_and_falls_back_to_dutch() -> None:
    params = {"rank": 2, "margin_reason": "margin.spare", "margin": 1, "unit_en": "vote", "unit_nl": "stem"}
    assert explanations.render("greedy.funded", params, "b1") == (
        "krijgt geld: het plan was nummer 2 op de lijst met de meeste stemmen en het paste in het budget; "
        "het plan had 1 stem minder kunnen krijgen en dan toch geld gekregen"
    )
    assert explanations.render("greedy.funded", params, "b1") != render_reason("greedy.funded", params, "nl")


@pytest.mark.parametrize("lang", (*TRANSLATED, "b1"))
def test_points_rounds_say_points(lang: str) -> None:
    text = explanations.render("greedy.funded", {"rank": 1}, lang)
    points = explained({"measure": "points"}, text, lang)
    assert points != text
    assert explained({"measure": "votes"}, text, lang) == text


def _publish(client, run_id: int):
    return client.post(f"/beheer/toewijzing/berekening/{run_id}/publiceren", data={"reason": "", "confirm": "1"})


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_published_result_has_no_dutch_explanation_in_turkish_arabic_or_polish(app, client, auth, rule) -> None:
    app.config["LANGUAGES"] = tuple(lang.code for lang in ALL)
    rnd, _inis = fr.closed_round(seed=5)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule, "add1-greedy" if rule == "mes" else "none")
    auth.login(staff)
    assert _publish(client, run.id).status_code == 302
    auth.logout()
    db.session.expire_all()
    outcomes = list(run.result["outcomes"].values())
    dutch = [render_reason(o["reason"], o["params"], "nl", symbol=True) for o in outcomes]
    decided = db.session.scalars(
        select(Initiative).where(
            Initiative.round_id == rnd.id, Initiative.status.in_([Status.FUNDED.value, Status.NOT_FUNDED.value])
        )
    ).all()
    assert decided
    for lang in TRANSLATED:
        client.get(f"/taal/{lang}?next=/")
        pages = {
            "result": client.get(f"/uitslag/{rnd.id}").get_data(as_text=True),
            **{f"plan {i.id}": client.get(f"/initiatieven/{i.id}").get_data(as_text=True) for i in decided},
        }
        for name, body in pages.items():
            text = html.unescape(body)
            assert f'lang="{lang}"' in body, name
            found = [d for d in dutch if d in text]
            assert not found, f"{lang} {name} shows Dutch: {found[:2]}"
            assert "niet gefinancierd" not in text and "gefinancierd:" not in text, f"{lang} {name}"
            assert "Bij Equal Shares" not in text, f"{lang} {name}: the equal share per voter in Dutch"
        result = html.unescape(pages["result"])
        shares = district_share_texts(run.result, lang)
        assert bool(shares) == (rule == "mes") and all(t in result for t in shares.values())
        for o in outcomes:
            if not o["funded"]:
                assert explanations.render(o["reason"], o["params"], lang) in result
        for ini in decided:
            o = run.result["outcomes"][str(ini.id)]
            assert explanations.render(o["reason"], o["params"], lang) in html.unescape(pages[f"plan {ini.id}"])
    auth.login(staff)
    by_id = {o["initiative_id"]: o for o in outcomes}
    for lang in TRANSLATED:
        client.get(f"/taal/{lang}?next=/")
        sheet = client.get(f"/verslag/ronde/{rnd.id}/export.xlsx")
        rows = list(load_workbook(io.BytesIO(sheet.data)).worksheets[2].iter_rows(values_only=True))
        assert len(rows) == len(outcomes) + 1, "the result sheet: a row per plan"
        for row in rows[1:]:
            o = by_id[row[0]]
            assert row[6] == o["reason"], "the code stays, for sorting and filtering"
            assert row[7] == explanations.outcome_text(o, lang) and row[7] not in dutch
