"""Needs and stories: post, herkenbaar (once per account), replies, moderation, staff's answers,
the plans that answer a need, the matrix, a theme out of a cluster, privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories as f
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    Need,
    NeedRecognition,
    NeedReply,
    NeedReport,
    NeedResponse,
    Phase,
    Role,
    Status,
    Theme,
)
from wijkfonds.models.needs import SOURCE_CONVERSATION, SOURCE_PAPER, initiative_need
from wijkfonds.services.accounts import privacy
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.needs import board, links, matrix, moderation, responses
from wijkfonds.services.needs import privacy as needs_privacy


def _data(**kw: object) -> board.NeedData:
    values: dict[str, object] = {
        "title": "Geen plek om samen te koken",
        "body": "In onze straat wonen veel ouderen alleen. Samen koken zou helpen.",
        "district_id": f.district().id,
        "block_id": f.block(10).id,
    }
    values.update(kw)
    return board.NeedData(**values)  # type: ignore[arg-type]


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))


def test_a_need_recognised_by_three_answered_by_a_plan_shows_as_answered_in_the_matrix(app) -> None:
    author = f.user()
    need = board.post(_data(), author=author)
    for _i in range(3):
        board.recognise(need, f.user())
    assert board.recognitions(need) == 3
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user(), district_slug="de-baarsjes")
    assert links.set_needs(ini, [need.id], actor=ini.author) is True
    db.session.commit()

    assert [p.id for p in board.plans_for(need)] == [ini.id]
    assert [n.id for n in links.needs_of(ini)] == [need.id]
    m = matrix.build(matrix.BY_BLOCK)
    cell = m.cell(need.block_id, need.district_id)
    assert (cell.needs, cell.recognitions, cell.plans, cell.open) == (1, 3, 1, 0)
    assert m.total.open == 0
    kinds = _kinds()
    assert kinds.count("need.recognised") == 3 and "need.posted" in kinds and "initiative.needs_set" in kinds


def test_a_need_without_a_plan_is_open_in_the_matrix_and_on_the_board(app) -> None:
    need = board.post(_data(block_id=None, block_unknown=True), author=f.user())
    other = board.post(_data(title="Een buurtbus"), author=f.user())
    rnd = f.round_(Phase.SUBMISSION)
    links.set_needs(f.initiative(rnd, f.user(), district_slug="de-baarsjes"), [other.id], actor=f.user())
    m = matrix.build()
    unknown = m.cell(None, need.district_id)
    assert (unknown.needs, unknown.plans, unknown.open) == (1, 0, 1)
    assert m.district_totals[need.district_id].open == 1
    assert [c.need.id for c in board.board(open_only=True)] == [need.id]
    assert [c.need.id for c in board.board(block=board.NO_BLOCK)] == [need.id]


def test_withdrawn_or_infeasible_plans_do_not_answer(app) -> None:
    need = board.post(_data(), author=f.user())
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, f.user(), district_slug="de-baarsjes")
    links.set_needs(ini, [need.id], actor=ini.author)
    ini.status = Status.WITHDRAWN.value
    db.session.flush()
    assert board.plans_for(need) == []
    assert matrix.build().cell(need.block_id, need.district_id).open == 1


def test_the_matrix_by_function_counts_the_five_functions(app) -> None:
    functions = board.function_themes()
    assert len(functions) == 5
    board.post(_data(theme_id=functions[1].id), author=f.user())
    m = matrix.build(matrix.BY_FUNCTION)
    assert [r.key for r in m.rows] == [t.id for t in functions] + [None]
    assert m.cell(functions[1].id, f.district().id).needs == 1


def test_staff_post_on_behalf_of_a_resident_and_it_is_marked(app) -> None:
    staff = f.user(Role.STAFF)
    need = board.post(_data(source=SOURCE_PAPER), author=staff)
    assert need.on_behalf and need.source == SOURCE_PAPER
    resident = f.user()
    with pytest.raises(ValidationFailed) as err:
        board.post(_data(source=SOURCE_CONVERSATION), author=resident)
    assert err.value.errors[0][0] == "source"
    with pytest.raises(NotAllowed):
        board.require_may_post_for_others(resident)


def test_anonymity_hides_the_name_from_other_residents_only(app) -> None:
    author = f.user(name="Fatma Yilmaz")
    need = board.post(_data(anonymous=True), author=author)
    assert board.author_name(need, f.user()) == "Een bewoner"
    assert board.author_name(need, None) == "Een bewoner"
    assert board.author_name(need, author) == "Fatma Yilmaz"
    assert board.author_name(need, f.user(Role.STAFF)) == "Fatma Yilmaz"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "ab"}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({"district_id": None}, "district"),
        ({"district_id": 999_999}, "district"),
        ({"block_id": None}, "block"),
        ({"block_id": 999_999}, "block"),
        ({"theme_id": 999_999}, "theme"),
        ({"source": "elsewhere"}, "source"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(app, change: dict[str, object], field: str) -> None:
    before = (_count(Need), _count(AuditEvent))
    with pytest.raises(ValidationFailed) as err:
        board.post(_data(**change), author=f.user())
    assert field in [name for name, _m in err.value.errors]
    assert all(message for _n, message in err.value.errors)
    assert (_count(Need), _count(AuditEvent)) == before


def test_herkenbaar_twice_is_refused_and_the_database_holds_one(app) -> None:
    need = board.post(_data(), author=f.user())
    neighbour = f.user()
    board.recognise(need, neighbour)
    with pytest.raises(DomainError, match="al herkenbaar"):
        board.recognise(need, neighbour)
    assert board.recognitions(need) == 1
    with pytest.raises(IntegrityError), db.session.begin_nested():  # the unique constraint, under the service
        db.session.add(NeedRecognition(need_id=need.id, user_id=neighbour.id))
    assert board.unrecognise(need, neighbour) == 0
    with pytest.raises(DomainError):
        board.unrecognise(need, neighbour)


def test_the_author_cannot_recognise_their_own_need(app) -> None:
    author = f.user()
    need = board.post(_data(), author=author)
    with pytest.raises(DomainError, match="zelf"):
        board.recognise(need, author)


def test_replies_and_their_bad_input(app) -> None:
    need = board.post(_data(), author=f.user())
    neighbour = f.user()
    r = board.reply(need, neighbour, "  Dat herken ik, ik kook graag mee.  ")
    assert r.body == "Dat herken ik, ik kook graag mee."
    for body in ("", "   ", "x" * 2001):
        with pytest.raises(ValidationFailed):
            board.reply(need, neighbour, body)
    assert _count(NeedReply) == 1


def test_a_hidden_need_takes_no_replies_or_recognition_and_leaves_the_board(app) -> None:
    need = board.post(_data(), author=f.user())
    staff = f.user(Role.STAFF)
    with pytest.raises(ValidationFailed):
        moderation.hide(need, staff, "  ")
    moderation.hide(need, staff, "Persoonlijke gegevens van een buurman")
    assert need.hidden_reason == "Persoonlijke gegevens van een buurman"
    with pytest.raises(DomainError, match="verborgen"):
        board.reply(need, f.user(), "Toch een reactie")
    with pytest.raises(DomainError, match="verborgen"):
        board.recognise(need, f.user())
    with pytest.raises(DomainError):
        moderation.hide(need, staff, "nog eens")
    assert _count(NeedReply) == 0
    assert board.board() == [] and len(board.board(with_hidden=True)) == 1
    assert matrix.build().total.needs == 0
    moderation.unhide(need, staff)
    assert [c.need.id for c in board.board()] == [need.id]
    assert {"need.hidden", "need.unhidden"} <= set(_kinds())


def test_reports_are_resolved_when_staff_hide(app) -> None:
    need = board.post(_data(), author=f.user())
    r = board.reply(need, f.user(), "Een vervelende reactie")
    reporter = f.user()
    moderation.report(need, r, reporter, "Dit is onaardig", limit=(10, 3600))
    again = moderation.report(need, r, reporter, "Dit is onaardig", limit=(10, 3600))
    assert _count(NeedReport) == 1 and again.reply_id == r.id
    with pytest.raises(ValidationFailed):
        moderation.report(need, None, reporter, "", limit=(10, 3600))
    assert moderation.reported_needs() == [(need, 1)]
    moderation.hide(r, f.user(Role.STAFF), "Onaardig")
    assert moderation.open_reports(need) == []


def test_staff_responses_need_their_text(app) -> None:
    need = board.post(_data(), author=f.user())
    staff = f.user(Role.STAFF)
    responses.respond(need, staff, "picked_up", "")
    responses.respond(need, staff, "referred", "het buurtteam West")
    for kind, text in (("referred", ""), ("theme", " "), ("nonsense", "x"), (None, "x"), ("picked_up", "x" * 301)):
        with pytest.raises(ValidationFailed):
            responses.respond(need, staff, kind, text)
    assert [(r.kind, r.text) for r in responses.responses(need)] == [
        ("picked_up", ""),
        ("referred", "het buurtteam West"),
    ]


def test_a_plan_may_answer_only_visible_needs_of_its_own_district(app) -> None:
    here = board.post(_data(), author=f.user())
    there = board.post(_data(district_id=f.district("westerpark").id), author=f.user())
    hidden = board.post(_data(title="Verborgen behoefte"), author=f.user())
    moderation.hide(hidden, f.user(Role.STAFF), "spam")
    ini = f.initiative(f.round_(Phase.SUBMISSION), f.user(), district_slug="de-baarsjes")
    for ids, words in (
        ([there.id], "Westerpark"),
        ([hidden.id], "verborgen"),
        ([999_999], "bestaat niet"),
        ([None], "bestaat niet"),
    ):
        with pytest.raises(ValidationFailed, match=words):
            links.set_needs(ini, ids, actor=ini.author)
    assert links.linked_ids(ini) == []
    assert links.set_needs(ini, [here.id, here.id], actor=ini.author) is True
    assert links.set_needs(ini, [here.id], actor=ini.author) is False
    # A need hidden after it was linked stays linked when the plan is saved again.
    moderation.hide(here, f.user(Role.STAFF), "spam")
    assert links.set_needs(ini, [here.id], actor=ini.author) is False
    assert links.needs_of(ini) == []


def test_a_cluster_of_needs_becomes_a_theme_of_the_next_round(app) -> None:
    staff = f.user(Role.STAFF)
    a = board.post(_data(), author=f.user())
    b = board.post(_data(title="Samen eten in de wijk"), author=f.user())
    rnd = f.round_(Phase.UPCOMING, themes=[])
    theme = responses.to_theme([a.id, b.id], round_id=rnd.id, title="Samen koken en eten", description="", actor=staff)
    assert theme in rnd.themes
    for need in (a, b):
        (answer,) = responses.responses(need)
        assert (answer.kind, answer.theme_id, answer.round_id) == ("theme", theme.id, rnd.id)
    assert "need.theme_made" in _kinds()


def test_a_theme_needs_needs_a_name_and_an_open_round(app) -> None:
    staff = f.user(Role.STAFF)
    need = board.post(_data(), author=f.user())
    voting = f.round_(Phase.VOTING)
    upcoming = f.round_(Phase.UPCOMING)
    before = (_count(Theme), _count(NeedResponse))
    for kw, field in (
        ({"need_ids": [], "round_id": upcoming.id, "title": "Samen koken"}, "needs"),
        ({"need_ids": [999_999], "round_id": upcoming.id, "title": "Samen koken"}, "needs"),
        ({"need_ids": [None], "round_id": upcoming.id, "title": "Samen koken"}, "needs"),
        ({"need_ids": [need.id], "round_id": voting.id, "title": "Samen koken"}, "round"),
        ({"need_ids": [need.id], "round_id": None, "title": "Samen koken"}, "round"),
        ({"need_ids": [need.id], "round_id": upcoming.id, "title": "ab"}, "title"),
    ):
        with pytest.raises(ValidationFailed) as err:
            responses.to_theme(description="", actor=staff, **kw)  # type: ignore[arg-type]
        assert field in [n for n, _m in err.value.errors]
    assert (_count(Theme), _count(NeedResponse)) == before


def test_year_figures_count_answered_and_open_needs(app) -> None:
    a = board.post(_data(), author=f.user())
    board.post(_data(title="Nog een behoefte"), author=f.user())
    links.set_needs(
        f.initiative(f.round_(Phase.SUBMISSION), f.user(), district_slug="de-baarsjes"), [a.id], actor=a.author
    )
    now = utcnow()
    figures = matrix.year_figures(now - timedelta(days=1), now + timedelta(days=1))
    assert (figures.posted, figures.answered, figures.not_answered) == (2, 1, 1)


def test_privacy_export_and_forget(app) -> None:
    resident = f.user()
    need = board.post(_data(), author=resident)
    other = board.post(_data(title="Een andere behoefte"), author=f.user())
    board.recognise(other, resident)
    board.reply(other, resident, "Ik ook")
    moderation.report(other, None, resident, "Klopt niet", limit=(10, 3600))
    data = privacy.personal_data(resident)
    assert [n["id"] for n in data["needs"]] == [need.id]
    assert [m["need_id"] for m in data["need_recognitions"]] == [other.id]
    assert [r["text"] for r in data["need_replies"]] == ["Ik ook"]
    assert len(data["need_reports"]) == 1
    needs_privacy.forget(resident)
    assert board.recognitions(other) == 0
    assert db.session.scalar(select(NeedReport.reporter_id)) is None
    assert db.session.get(Need, need.id) is not None  # kept, shown as "verwijderd account" once deleted


def test_deleting_an_account_removes_its_herkenbaar_marks(app) -> None:
    resident = f.user()
    need = board.post(_data(), author=f.user())
    board.recognise(need, resident)
    db.session.commit()
    privacy.delete_account(resident, password=f.PASSWORD, plans=privacy.KEEP, password_limit=(5, 60))
    assert board.recognitions(need) == 0
    assert db.session.scalar(select(func.count()).select_from(initiative_need)) == 0
