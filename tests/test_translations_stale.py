"""Translations of an earlier version: when a plan, need or comment changes after it was
translated, readers in that language see the current original with a notice (and the old
translation folded away), the translation page marks it, and saving it again makes it current.
A change of a field that is not translated (cost, status, a reply, a recognition) changes nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests import factories as f
from wijkfonds.common.translation import gettext as _
from wijkfonds.config import ROOT
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import use_language
from wijkfonds.i18n.offer import ALL
from wijkfonds.models import Comment, ContentTranslation, Initiative, Need, Role, Status
from wijkfonds.services.dialogue import comments as dialogue
from wijkfonds.services.dialogue import initiatives as svc
from wijkfonds.services.translations import content

NOTICE = (
    "Deze tekst is veranderd nadat hij werd vertaald. U ziet de tekst zoals hij nu is. "
    "De vertaling hoort bij een eerdere versie en klopt misschien niet meer."
)
OLD = "Toon de vertaling van de eerdere versie"
MARK = "verouderd: de tekst is veranderd na deze vertaling"


@pytest.fixture()
def every_language(app: Flask) -> Flask:
    app.config["LANGUAGES"] = tuple(lang.code for lang in ALL)
    return app


def _turkish(text: str) -> str:
    with use_language("tr"):
        return _(text)


def _plan() -> tuple[Initiative, object]:
    rnd = f.round_()
    author = f.user()
    ini = f.initiative(rnd, author, status=Status.SUBMITTED, title="Bankjes op het plein")
    db.session.commit()
    return ini, author


def _data(ini: Initiative, **changes: object) -> svc.InitiativeData:
    values: dict[str, object] = {
        "title": ini.title,
        "summary": ini.summary,
        "description": ini.description,
        "requested_cost": ini.requested_cost,
        "district_id": ini.district_id,
        "theme_id": ini.theme_id,
        "block_id": ini.block_id,
        "location": ini.location or "",
        "latitude": ini.latitude,
        "longitude": ini.longitude,
    }
    values.update(changes)
    return svc.InitiativeData(**values)  # type: ignore[arg-type]


PLAN_TR = {"language": "tr", "title": "Meydanda banklar", "summary": "Oturacak yer", "text": "Plan metni"}


def _folded(page: str) -> str:
    """The folded-away old translation of a page (empty when there is none)."""
    if '<details class="old-translation">' not in page:
        return ""
    return page.split('<details class="old-translation">', 1)[1].split("</details>", 1)[0]


def _detail(client, ini: Initiative) -> str:
    return client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


def test_plan_edited_after_translation_shows_the_current_original_with_the_notice(client, auth, every_language) -> None:
    ini, author = _plan()
    auth.login(author)
    assert client.post(f"/vertalen/plan/{ini.id}", data=PLAN_TR).status_code == 302
    client.get("/taal/tr?next=/")
    assert "Meydanda banklar" in _detail(client, ini) and _turkish(NOTICE) not in _detail(client, ini)

    svc.edit(ini, _data(ini, title="Bankjes en een boom op het plein", description="Nieuwe tekst"), author=author)
    db.session.commit()
    page = _detail(client, ini)
    assert _turkish(NOTICE) != NOTICE, "the notice has a Turkish translation"
    assert _turkish(NOTICE) in page and _turkish(OLD) in page
    assert '<h1 dir="auto">Bankjes en een boom op het plein</h1>' in page, "the current original is the text"
    assert "Nieuwe tekst" in page
    # The old translation is still there, folded away, marked as Turkish.
    folded = _folded(page)
    assert '<div lang="tr" dir="ltr">' in folded and "Meydanda banklar" in folded
    assert page.count("Meydanda banklar") == 1, "only inside the folded part, not as the title"
    home = client.get("/").get_data(as_text=True)
    assert "Bankjes en een boom op het plein" in home and "Meydanda banklar" not in home

    # The translation page marks Turkish as out of date, with the notice on the form.
    client.get("/taal/nl?next=/")
    form = client.get(f"/vertalen/plan/{ini.id}?taal=tr").get_data(as_text=True)
    assert MARK in form and "Pas de vertaling aan het origineel hierboven aan" in form

    # Saving it again makes it current.
    again = {**PLAN_TR, "title": "Meydanda banklar ve bir ağaç", "text": "Yeni metin"}
    assert client.post(f"/vertalen/plan/{ini.id}", data=again).status_code == 302
    assert MARK not in client.get(f"/vertalen/plan/{ini.id}?taal=tr").get_data(as_text=True)
    client.get("/taal/tr?next=/")
    page = _detail(client, ini)
    assert _turkish(NOTICE) not in page and "Meydanda banklar ve bir ağaç" in page


def test_plan_changes_outside_the_translated_fields_keep_the_translation_current(client, auth, every_language) -> None:
    ini, author = _plan()
    auth.login(author)
    client.post(f"/vertalen/plan/{ini.id}", data=PLAN_TR)
    row = db.session.scalar(select(ContentTranslation))
    assert row is not None and len(row.source_hash) == 64
    before = ini.updated_at
    assert svc.edit(ini, _data(ini, requested_cost=ini.requested_cost + 1_000), author=author) is True
    db.session.commit()
    ini.status = Status.IN_REVIEW.value  # a status change moves updated_at too
    db.session.commit()
    assert ini.updated_at >= before
    assert content.is_current(row, ini)
    client.get("/taal/tr?next=/")
    page = _detail(client, ini)
    assert "Meydanda banklar" in page and _turkish(NOTICE) not in page
    client.get("/taal/nl?next=/")
    assert MARK not in client.get(f"/vertalen/plan/{ini.id}?taal=tr").get_data(as_text=True)


def test_an_edit_that_is_undone_makes_the_translation_current_again(client, auth) -> None:
    ini, author = _plan()
    auth.login(author)
    client.post(f"/vertalen/plan/{ini.id}", data=PLAN_TR)
    row = db.session.scalar(select(ContentTranslation))
    assert row is not None
    title = ini.title
    svc.edit(ini, _data(ini, title="Iets anders"), author=author)
    assert not content.is_current(row, ini)
    svc.edit(ini, _data(ini, title=title), author=author)
    assert content.is_current(row, ini)


def _need(author) -> Need:
    from wijkfonds.services.needs import board

    need = board.post(
        board.NeedData(
            title="Een bankje bij de bushalte",
            body="Oudere buren moeten lang staan.",
            district_id=f.district().id,
            block_id=f.block(3).id,
        ),
        author=author,
    )
    db.session.commit()
    return need


NEED_TR = {"language": "tr", "title": "Otobüs durağına bir bank", "text": "Yaşlı komşular uzun süre bekliyor."}


def test_need_changed_after_translation_is_stale_until_translated_again(client, auth, every_language) -> None:
    from wijkfonds.services.needs import board

    author = f.user()
    need = _need(author)
    auth.login(author)
    assert client.post(f"/vertalen/need/{need.id}", data=NEED_TR).status_code == 302
    # Not translated: a neighbour recognises the need, and its building block changes.
    board.recognise(need, f.user())
    need.block_id = f.block(4).id
    db.session.commit()
    client.get("/taal/tr?next=/")
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Otobüs durağına bir bank" in page and _turkish(NOTICE) not in page

    # Needs have no edit page yet; whatever writes the text, the fingerprint sees it.
    need.body = "Oudere buren moeten lang staan, en er is geen schaduw."
    db.session.commit()
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert _turkish(NOTICE) in page and "er is geen schaduw" in page
    assert "<bdi>Een bankje bij de bushalte</bdi>" in page, "the title shows as written now"
    folded = _folded(page)
    assert "Otobüs durağına bir bank" in folded and "Yaşlı komşular" in folded
    client.get("/taal/nl?next=/")
    assert MARK in client.get(f"/vertalen/need/{need.id}").get_data(as_text=True)

    assert client.post(f"/vertalen/need/{need.id}", data={**NEED_TR, "text": "Gölge de yok."}).status_code == 302
    client.get("/taal/tr?next=/")
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert _turkish(NOTICE) not in page and "Gölge de yok." in page


def test_comment_edited_after_translation_shows_as_written_now(client, auth, every_language) -> None:
    ini, _author = _plan()
    commenter = f.user()
    comment = Comment(initiative_id=ini.id, author_id=commenter.id, body="Goed idee, ik help mee.")
    db.session.add(comment)
    db.session.commit()
    auth.login(commenter)
    client.post(f"/vertalen/comment/{comment.id}", data={"language": "tr", "text": "İyi fikir, yardım ederim."})
    # Not translated: a reply below it.
    dialogue.post(ini, f.user(), "Ik ook!", parent_id=comment.id)
    db.session.commit()
    client.get("/taal/tr?next=/")
    page = _detail(client, ini)
    assert '<div class="prose-text" lang="tr" dir="ltr">İyi fikir, yardım ederim.</div>' in page
    assert _turkish(NOTICE) not in page

    dialogue.edit(comment, commenter, "Goed idee, ik help mee op zaterdag.", minutes=30)
    db.session.commit()
    page = _detail(client, ini)
    assert '<div class="prose-text" dir="auto">Goed idee, ik help mee op zaterdag.</div>' in page
    assert _turkish(NOTICE) in page and _turkish(OLD) in page
    assert '<div class="prose-text" lang="tr" dir="ltr">İyi fikir, yardım ederim.</div>' in _folded(page)
    client.get("/taal/nl?next=/")
    assert MARK in client.get(f"/vertalen/comment/{comment.id}").get_data(as_text=True)

    client.post(
        f"/vertalen/comment/{comment.id}", data={"language": "tr", "text": "İyi fikir, cumartesi yardım ederim."}
    )
    client.get("/taal/tr?next=/")
    page = _detail(client, ini)
    assert _turkish(NOTICE) not in page and "cumartesi" in page


def test_translator_page_lists_the_stale_translations_they_may_update(client, auth) -> None:
    ini, author = _plan()
    other, other_author = _plan()
    translator = f.user()
    translator.role = Role.TRANSLATOR.value
    db.session.commit()
    auth.login(translator)
    for plan in (ini, other):
        client.post(f"/vertalen/plan/{plan.id}", data=PLAN_TR)
        client.post(f"/vertalen/plan/{plan.id}", data={**PLAN_TR, "language": "en"})
    assert "Er zijn geen verouderde vertalingen." in client.get("/vertalingen/verouderd").get_data(as_text=True)

    svc.edit(ini, _data(ini, summary="Een nieuwe samenvatting"), author=author)
    db.session.commit()
    page = client.get("/vertalingen/verouderd").get_data(as_text=True)
    assert f'href="/vertalen/plan/{ini.id}?taal=tr"' in page and f'href="/vertalen/plan/{ini.id}?taal=en"' in page
    assert f"/vertalen/plan/{other.id}" not in page, "the unchanged plan is not listed"
    assert "Bankjes op het plein" in page
    # The translate page links the list.
    assert 'href="/vertalingen/verouderd"' in client.get(f"/vertalen/plan/{ini.id}").get_data(as_text=True)

    client.post(f"/vertalen/plan/{ini.id}", data=PLAN_TR)
    page = client.get("/vertalingen/verouderd").get_data(as_text=True)
    assert "?taal=tr" not in page and f'href="/vertalen/plan/{ini.id}?taal=en"' in page

    # A comment that changed is listed by the start of its text, linking to its place.
    comment = Comment(initiative_id=other.id, author_id=other_author.id, body="Mooi plan voor de buurt.")
    db.session.add(comment)
    db.session.commit()
    client.post(f"/vertalen/comment/{comment.id}", data={"language": "pl", "text": "Dobry plan."})
    comment.body = "Mooi plan voor de hele buurt."
    db.session.commit()
    page = client.get("/vertalingen/verouderd").get_data(as_text=True)
    assert f'href="/vertalen/comment/{comment.id}?taal=pl"' in page and "Mooi plan voor de hele buurt." in page
    assert f'href="/initiatieven/{other.id}#reactie-{comment.id}"' in page

    # A resident who wrote neither plan and is no translator has nothing to update.
    auth.logout()
    auth.login(f.user())
    assert "Er zijn geen verouderde vertalingen." in client.get("/vertalingen/verouderd").get_data(as_text=True)
    # The author sees their own plan's stale one.
    auth.logout()
    auth.login(author)
    page = client.get("/vertalingen/verouderd").get_data(as_text=True)
    assert f'href="/vertalen/plan/{ini.id}?taal=en"' in page and f"/vertalen/plan/{other.id}" not in page


def test_migration_fingerprint_is_the_services_fingerprint() -> None:
    path = Path(ROOT) / "migrations" / "versions" / "0021_translation_source.py"
    spec = importlib.util.spec_from_file_location("migration_0021", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fields = {"title": "Café ’t Hoekje", "summary": "", "text": 'Regel één\nRegel "twee"'}
    assert module.fingerprint(fields) == content.fingerprint(fields)
    assert content.fingerprint(fields) != content.fingerprint({**fields, "summary": " "})
