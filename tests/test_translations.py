"""Languages (issue 16.4/16.5): offered languages, the switch, right to left, translations of
plans and comments by their author or a translator, letter languages, the accessibility page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import use_language
from wijkfonds.i18n.offer import ALL, offered_codes
from wijkfonds.models import AuditEvent, Comment, ContentTranslation, Role, Status
from wijkfonds.services.accounts import privacy

EVERY = tuple(lang.code for lang in ALL)


@pytest.fixture()
def every_language(app: Flask) -> Flask:
    """The app offering all six languages (the catalogues of four arrive from other branches:
    their strings fall back to Dutch here, which is enough to check direction and formatting)."""
    app.config["LANGUAGES"] = EVERY
    return app


def _plan(author=None):
    rnd = f.round_()
    author = author or f.user()
    ini = f.initiative(rnd, author, status=Status.SUBMITTED)
    db.session.commit()
    return ini, author


def _translations() -> int:
    return db.session.scalar(select(func.count()).select_from(ContentTranslation)) or 0


# --- which languages, and how pages carry them ------------------------------------------------


def test_offered_languages_are_dutch_english_and_each_catalogue_present(tmp_path: Path) -> None:
    assert offered_codes(tmp_path) == ("nl", "en")
    (tmp_path / "ar").mkdir()
    assert offered_codes(tmp_path) == ("nl", "en"), "an empty directory is no catalogue"
    (tmp_path / "ar" / "core.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "b1").mkdir()
    (tmp_path / "b1" / "core.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert offered_codes(tmp_path) == ("nl", "b1", "en", "ar")


def test_switch_lists_every_offered_language_by_its_own_name(client, every_language) -> None:
    body = client.get("/").get_data(as_text=True)
    for lang in ALL:
        assert lang.native_name in body
    assert 'href="/taal/ar?next=/?" lang="ar" hreflang="ar" dir="rtl">العربية</a>' in body
    assert 'lang="nl" hreflang="nl" dir="ltr">Eenvoudig Nederlands</a>' in body
    assert '<span aria-current="true" lang="nl" dir="ltr">Nederlands</span>' in body
    assert "<summary>" in body, "a disclosure that opens by keyboard, without JavaScript"


def test_language_not_offered_is_ignored(app, client) -> None:
    app.config["LANGUAGES"] = ("nl", "en")  # an installation that offers Dutch and English only
    client.get("/taal/ar?next=/")
    assert '<html lang="nl" dir="ltr">' in client.get("/").get_data(as_text=True)
    client.get("/taal/xx?next=/")  # a code no installation offers
    assert '<html lang="nl" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_arabic_pages_are_right_to_left_with_amounts_isolated(client, every_language) -> None:
    ini, _author = _plan()
    client.get("/taal/ar?next=/")
    body = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in body
    amount = f"{ini.requested_cost:,}".replace(",", ".")
    assert f"\u2066€ {amount}\u2069" in body, "Western digits, Dutch grouping, inside a left-to-right isolate"


def test_b1_is_dutch_for_formatting_and_lang(client, every_language) -> None:
    ini, _author = _plan()
    client.get("/taal/b1?next=/")
    body = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in body
    assert '<span aria-current="true" lang="nl" dir="ltr">Eenvoudig Nederlands</span>' in body
    assert f"€ {ini.requested_cost:,}".replace(",", ".") in body and "\u2066" not in body


def test_polish_groups_with_a_no_break_space(client, every_language) -> None:
    rnd = f.round_()
    ini = f.initiative(rnd, f.user(), status=Status.SUBMITTED, cost=12_500)
    db.session.commit()
    client.get("/taal/pl?next=/")
    assert "€ 12\u00a0500" in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


def test_accessibility_statement_is_linked_from_every_page(client) -> None:
    for url in ("/", "/privacy/", "/account/login"):
        assert 'href="/toegankelijkheid"' in client.get(url).get_data(as_text=True), url
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    for part in ("Status", "Wat is getoetst", "Hoe is getoetst", "Bekende knelpunten", "Contact", "WCAG 2.1"):
        assert part in page
    assert "mailto:" in page and "opgesteld op 1 december 2026" in page


# --- translations of plans and comments -------------------------------------------------------


def test_author_adds_a_translation_and_readers_in_that_language_see_it(client, auth, every_language) -> None:
    ini, author = _plan()
    auth.login(author)
    form = {"language": "ar", "title": "حديقة للجميع", "summary": "مكان أخضر", "text": "نص الخطة"}
    resp = client.post(f"/vertalen/plan/{ini.id}", data=form)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/initiatieven/{ini.id}")
    row = db.session.scalar(select(ContentTranslation))
    assert row is not None and (row.kind, row.object_id, row.language, row.title) == (
        "plan",
        ini.id,
        "ar",
        "حديقة للجميع",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "translation.added"))
    assert event is not None

    client.get("/taal/ar?next=/")
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert '<div class="translatable" lang="ar" dir="rtl">' in page and "حديقة للجميع" in page
    with use_language("ar"):
        note = _("Vertaald door %(name)s.", name=author.display_name)
    assert note != f"Vertaald door {author.display_name}." and note in page  # the notice in the reader's language
    assert f'href="/initiatieven/{ini.id}?origineel=1"' in page
    original = client.get(f"/initiatieven/{ini.id}?origineel=1").get_data(as_text=True)
    with use_language("ar"):
        show = _("Toon de vertaling")
    assert ini.title in original and "حديقة للجميع" not in original and show in original

    client.get("/taal/nl?next=/")
    dutch = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "حديقة للجميع" not in dutch and "Vertaald door" not in dutch


def test_saving_again_edits_the_one_translation(client, auth, every_language) -> None:
    ini, author = _plan()
    auth.login(author)
    base = {"language": "tr", "title": "Bir park", "summary": "Yeşil", "text": "Metin"}
    client.post(f"/vertalen/plan/{ini.id}", data=base)
    client.post(f"/vertalen/plan/{ini.id}", data={**base, "title": "Herkes için bir park"})
    assert _translations() == 1
    assert db.session.scalar(select(ContentTranslation.title)) == "Herkes için bir park"
    form = client.get(f"/vertalen/plan/{ini.id}?taal=tr").get_data(as_text=True)
    assert "Herkes için bir park" in form
    kinds = db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind.like("translation.%"))).all()
    assert kinds == ["translation.added", "translation.updated"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "de"}, "Deze taal biedt de site niet aan. Kies een taal uit de lijst."),
        ({"language": ""}, "Deze taal biedt de site niet aan."),
        ({"text": "   "}, "Vul de vertaling van dit deel in."),
        ({"title": ""}, "Vul de vertaling van dit deel in."),
        ({"title": "x" * 121}, "Gebruik hoogstens 120 tekens."),
        ({"text": "x" * 10_001}, "Gebruik hoogstens 10000 tekens."),
    ],
)
def test_bad_translation_is_refused_and_nothing_is_saved(client, auth, data, message) -> None:
    ini, author = _plan()
    auth.login(author)
    form = {"language": "en", "title": "A garden", "summary": "Green", "text": "The plan", **data}
    resp = client.post(f"/vertalen/plan/{ini.id}", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    db.session.rollback()
    assert _translations() == 0
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind.like("translation.%")))
        == 0
    )


def test_only_author_or_translator_may_translate(client, auth) -> None:
    ini, _author = _plan()
    other = f.user()
    translator = f.user(Role.RESIDENT)
    translator.role = Role.TRANSLATOR.value
    db.session.commit()
    form = {"language": "en", "title": "A garden", "summary": "Green", "text": "The plan"}
    auth.login(other)
    assert client.get(f"/vertalen/plan/{ini.id}").status_code == 403
    assert client.post(f"/vertalen/plan/{ini.id}", data=form).status_code == 403
    assert _translations() == 0
    auth.logout()
    auth.login(translator)
    assert client.post(f"/vertalen/plan/{ini.id}", data=form).status_code == 302
    assert translator.has_role(Role.RESIDENT), "a translator keeps every right of a resident"
    assert client.get("/vertalen/nieuws/1").status_code == 404
    assert client.get(f"/vertalen/plan/{10**20}").status_code == 404


def test_comment_translation_is_shown_with_its_notice(client, auth, every_language) -> None:
    ini, _author = _plan()
    commenter = f.user()
    comment = Comment(initiative_id=ini.id, author_id=commenter.id, body="Goed idee, ik help mee.")
    db.session.add(comment)
    db.session.commit()
    auth.login(commenter)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert f'href="/vertalen/comment/{comment.id}"' in page
    resp = client.post(f"/vertalen/comment/{comment.id}", data={"language": "en", "text": "Good idea, I will help."})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"#reactie-{comment.id}")
    client.get("/taal/en?next=/")
    english = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert '<div class="prose-text" lang="en" dir="ltr">Good idea, I will help.</div>' in english
    assert "Translated by" in english and f"?origineel=1#reactie-{comment.id}" in english
    assert "Goed idee, ik help mee." not in english
    assert "Goed idee, ik help mee." in client.get(f"/initiatieven/{ini.id}?origineel=1").get_data(as_text=True)


def test_staff_hide_a_translation_and_the_original_shows_again(client, auth) -> None:
    ini, author = _plan()
    auth.login(author)
    client.post(f"/vertalen/plan/{ini.id}", data={"language": "en", "title": "Rude", "summary": "x", "text": "x"})
    row = db.session.scalar(select(ContentTranslation))
    assert row is not None
    auth.logout()
    auth.login(f.user(Role.STAFF))
    assert f'href="/vertalen/plan/{ini.id}">Vertalingen</a>' in client.get(f"/initiatieven/{ini.id}").get_data(
        as_text=True
    )
    page = client.get(f"/vertalen/plan/{ini.id}").get_data(as_text=True)
    assert f'action="/vertalingen/{row.id}/verbergen"' in page and 'name="text"' not in page
    assert client.post(f"/vertalen/plan/{ini.id}", data={"language": "en", "text": "y"}).status_code == 403
    assert client.post(f"/vertalingen/{row.id}/verbergen").status_code == 302
    db.session.refresh(row)
    assert row.hidden_at is not None
    client.get("/taal/en?next=/")
    assert "Rude" not in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert client.post(f"/vertalingen/{row.id}/verbergen").status_code == 302  # shown again
    db.session.refresh(row)
    assert row.hidden_at is None
    assert client.post("/vertalingen/999999/verbergen").status_code == 404


def test_right_to_left_text_in_a_dutch_page_is_isolated(client, auth) -> None:
    rnd = f.round_()
    author = f.user(name="سارة")
    ini = f.initiative(rnd, author, status=Status.SUBMITTED)
    db.session.add(Comment(initiative_id=ini.id, author_id=author.id, body="فكرة جيدة 123"))
    db.session.commit()
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert '<div class="prose-text" dir="auto">فكرة جيدة 123</div>' in page
    assert "<bdi>سارة</bdi>" in page
    assert '<h1 dir="auto">' in page


def test_translations_are_in_the_privacy_export(client, auth) -> None:
    ini, author = _plan()
    auth.login(author)
    client.post(f"/vertalen/plan/{ini.id}", data={"language": "en", "title": "A", "summary": "B", "text": "C"})
    data = privacy.personal_data(author)
    assert [(t["kind"], t["language"], t["title"]) for t in data["translations"]] == [("plan", "en", "A")]


# --- voting-code letters ------------------------------------------------------------------------

CODE_RE = re.compile(r'<p class="letter-code" dir="ltr">([^<]+)</p>')


def test_letter_repeats_the_key_sentence_in_each_chosen_language(client, auth, every_language) -> None:
    rnd = fv.voting_round(name="West Begroot 2027")
    d = f.district()
    db.session.commit()
    auth.login(f.user(Role.STAFF))
    resp = client.post("/beheer/stemcodes/brieftalen", data={f"talen-{d.id}": ["ar", "tr", "pl", "en", "b1"]})
    assert resp.status_code == 302
    db.session.refresh(d)
    assert d.letter_languages == "b1,en,tr,ar,pl"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "district.letter_languages")) is not None
    body = client.post(
        f"/beheer/stemcodes/ronde/{rnd.id}", data={"district": d.id, "count": 2, "fmt": "letters", "confirm": "1"}
    ).get_data(as_text=True)
    assert body.count('<article class="letter"') == 2
    first_code = CODE_RE.findall(body)[0]
    assert body.count('class="letter-lang"') == 10
    assert '<section class="letter-lang" lang="ar" dir="rtl" aria-label="العربية">' in body
    assert '<section class="letter-lang" lang="tr" dir="ltr" aria-label="Türkçe">' in body
    assert f'<bdi class="letter-code-inline" dir="ltr">{first_code}</bdi>' in body
    assert f"/stemmen/{rnd.id}/code\u2069" in body, "the address is isolated inside the Arabic sentence"
    assert "You can vote with this code:" in body  # the English catalogue is real


def test_letter_language_the_site_does_not_offer_is_refused_and_nothing_saved(client, auth) -> None:
    d1, d2 = f.district(), f.district("oud-west")
    db.session.commit()
    auth.login(f.user(Role.STAFF))
    resp = client.post("/beheer/stemcodes/brieftalen", data={f"talen-{d1.id}": ["en"], f"talen-{d2.id}": ["de"]})
    assert resp.status_code == 422
    assert "Deze taal biedt de site niet aan" in resp.get_data(as_text=True)
    db.session.refresh(d1)
    assert d1.letter_languages == ""


def test_admin_gives_the_translator_role_and_its_holder_translates(client, auth) -> None:
    from tests import factories_review as fr

    ini, _author = _plan()
    volunteer = f.user()
    admin = fr.admin()
    db.session.commit()
    auth.login(admin)
    page = client.get("/beheer/accounts").get_data(as_text=True)
    assert '<option value="translator" >Vertaler</option>' in page
    assert client.post(f"/beheer/accounts/{volunteer.id}/rol", data={"role": "translator"}).status_code == 302
    db.session.expire_all()
    assert volunteer.role == "translator"
    auth.logout()
    auth.login(volunteer)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert f'href="/vertalen/plan/{ini.id}"' in page and "Vertaling toevoegen" in page
    form = {"language": "en", "title": "A garden", "summary": "Green", "text": "The plan"}
    assert client.post(f"/vertalen/plan/{ini.id}", data=form).status_code == 302
    assert db.session.scalar(select(ContentTranslation.translator_id)) == volunteer.id


def test_an_account_without_district_cannot_become_translator(client, auth) -> None:
    from tests import factories_review as fr

    staff = f.user(Role.STAFF)
    auth.login(fr.admin())
    resp = client.post(f"/beheer/accounts/{staff.id}/rol", data={"role": "translator"})
    assert resp.status_code == 422 and "geen gebied" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert staff.role == "staff"


def test_list_cards_show_the_readers_translation(client, auth) -> None:
    rnd = f.round_()
    author = f.user()
    ini = f.initiative(rnd, author, status=Status.SUBMITTED, title="Bankjes op het plein")
    db.session.commit()
    auth.login(author)
    client.post(f"/vertalen/plan/{ini.id}", data={"language": "en", "title": "Benches", "summary": "Sit", "text": "x"})
    client.get("/taal/en?next=/")
    home = client.get("/").get_data(as_text=True)
    assert '<h3 lang="en" dir="ltr"><a href="/initiatieven/' in home and ">Benches</a>" in home
    client.get("/taal/nl?next=/")
    assert "Bankjes op het plein" in client.get("/").get_data(as_text=True)


def test_a_need_carries_translations_like_a_plan_and_a_hidden_need_takes_none(client, auth, every_language) -> None:
    from wijkfonds.services.needs import board, moderation

    author = f.user()
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
    auth.login(author)
    form = {"language": "tr", "title": "Otobüs durağına bir bank", "text": "Yaşlı komşular uzun süre ayakta bekliyor."}
    resp = client.post(f"/vertalen/need/{need.id}", data=form)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/behoeften/{need.id}")
    client.get("/taal/tr?next=/")
    page = client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    assert "Otobüs durağına bir bank" in page and "Yaşlı komşular" in page and 'lang="tr"' in page
    assert f'href="/behoeften/{need.id}?origineel=1"' in page
    original = client.get(f"/behoeften/{need.id}?origineel=1").get_data(as_text=True)
    assert "Een bankje bij de bushalte" in original and "Otobüs durağına" not in original
    # A hidden need: no translation shown, and none can be added (nothing saved).
    moderation.hide(need, f.user(Role.STAFF), "Niet over de buurt")
    db.session.commit()
    assert "Otobüs durağına" not in client.get(f"/behoeften/{need.id}").get_data(as_text=True)
    before = _translations()
    refused = client.post(f"/vertalen/need/{need.id}", data={**form, "language": "ar"})
    assert refused.status_code == 404 and _translations() == before
