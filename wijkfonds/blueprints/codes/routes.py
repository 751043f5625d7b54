"""Staff views for voting codes: batches (shown once), paper ballots, turnout."""

from __future__ import annotations

import io

from babel.dates import format_datetime
from flask import Response, abort, current_app, flash, redirect, render_template, request, stream_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.codes import (
    bp,
    turnout_views,  # noqa: F401  (turnout page)
)
from wijkfonds.blueprints.codes.forms import GenerateForm, PaperCodeForm
from wijkfonds.common import csvcells
from wijkfonds.common.money import number
from wijkfonds.common.numbers import parse_id
from wijkfonds.common.timeutil import to_local
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import use_language
from wijkfonds.i18n.offer import language
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import District, Phase, Round
from wijkfonds.services.catalog.reference import district_choices
from wijkfonds.services.errors import DomainError, RateLimited, ValidationFailed
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.services.translations import letters
from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting import codes
from wijkfonds.web.access import staff_required
from wijkfonds.web.confirm import confirmation_page, confirmed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user

NO_STORE = {"Cache-Control": "no-store, max-age=0", "Pragma": "no-cache"}


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Rounds, newest first, with their code batches."""
    rounds = list(
        db.session.scalars(select(Round).where(Round.imported.is_(False)).order_by(Round.submission_start.desc()))
    )
    return render_template(
        "codes/index.html",
        rounds=rounds,
        batches={r.id: codes.batches(r) for r in rounds},
        counts={r.id: codes.code_counts(r) for r in rounds},
    )


@bp.route("/ronde/<int:round_id>", methods=["GET", "POST"])
@staff_required
def batches(round_id: int) -> ResponseReturnValue:
    """The round's batches and the form that makes a new one; the POST answer IS the download."""
    rnd = get_round_or_404(round_id)
    form = GenerateForm()
    form.district.choices = [(0, _("— kies een gebied —")), *district_choices()]
    status = 200
    if form.validate_on_submit():
        with domain_errors(form, refused="form") as outcome:
            if not confirmed():  # codes cannot be withdrawn once made: ask first
                return _confirm_batch(rnd, codes.check_generate(rnd, form.district.data or 0, form.count.data), form)
            made = codes.generate(
                rnd,
                form.district.data or 0,
                form.count.data,
                actor=current_user._get_current_object(),
                fmt=form.fmt.data,
            )
            db.session.commit()
        if outcome.ok:
            return _download(rnd, made, form.fmt.data)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template(
        "codes/batches.html", rnd=rnd, form=form, batches=codes.batches(rnd), counts=codes.code_counts(rnd)
    ), status


def _confirm_batch(rnd: Round, district: District, form: GenerateForm) -> tuple[str, int]:
    """What making this batch means, before it is made."""
    earlier = codes.code_counts(rnd, district.id).made
    facts = [
        _(
            "Nieuwe stemcodes voor %(district)s in „%(round)s”: %(n)s. Met elke code kan één keer worden gestemd.",
            n=number(form.count.data),
            district=district.name,
            round=rnd.name,
        ),
        _(
            "De codes worden nu één keer getoond om te downloaden en kunnen daarna niet meer worden opgevraagd of "
            "ingetrokken."
        ),
        _(
            "Al eerder gemaakt voor %(district)s in deze ronde: %(n)s.",
            district=district.name,
            n=number(earlier),
        ),
    ]
    return confirmation_page(
        title=_("Stemcodes maken?"),
        facts=facts,
        action=url_for("codes.batches", round_id=rnd.id),
        fields={"district": district.id, "count": form.count.data, "fmt": form.fmt.data},
        button=_("Maak de codes en download ze"),
        cancel=url_for("codes.batches", round_id=rnd.id),
    )


_CODE_SLOT = "\x00"


def _isolate(text: str, rtl: bool, opener: str) -> str:
    """``text`` between a Unicode isolate (LRI or FSI) and PDI on a right-to-left letter part."""
    return f"{opener}{text}\u2069" if rtl else text


def _key_sentences(rnd: Round, district: District, url: str) -> list[dict[str, str]]:
    """The key sentence in each of the district's letter languages, split where the code goes."""
    found = []
    for code in letters.chosen(district):
        lang = language(code)
        with use_language(code):
            # The address runs left to right inside an Arabic sentence (a left-to-right isolate);
            # a date keeps its own words' direction (first-strong isolate) without touching the rest.
            rtl = lang.direction == "rtl"
            when = {
                key: _isolate(
                    format_datetime(to_local(value), "d MMMM y HH:mm", locale=lang.babel_locale), rtl, "\u2068"
                )
                for key, value in (("start", rnd.voting_start), ("end", rnd.results_start))
            }
            sentence = _(
                "U kunt stemmen met deze code: %(code)s. Ga naar %(url)s en vul de code in. "
                "Stemmen kan van %(start)s tot %(end)s.",
                code=_CODE_SLOT,
                url=_isolate(url, rtl, "\u2066"),
                **when,
            )
            secret = _("Uw stem is geheim. U kunt de code één keer gebruiken.")
        before, _slot, after = sentence.partition(_CODE_SLOT)
        found.append(
            {
                "lang": lang.html_lang,
                "dir": lang.direction,
                "name": lang.native_name,
                "before": before,
                "after": after,
                "secret": secret,
            }
        )
    return found


def _download(rnd: Round, made: codes.GeneratedBatch, fmt: str) -> Response:
    """The only time the clear codes leave the server: a CSV file or a letter sheet."""
    name = f"stemcodes-{rnd.slug}-{made.district.slug}-{made.batch.id}"
    if fmt == "letters":
        # Letters are Dutch, whatever language the staff member browses in; the key sentence
        # follows in each language the district chose (services/translations/letters.py).
        dates = {
            key: format_datetime(to_local(value), "d MMMM y 'om' HH:mm", locale="nl")
            for key, value in (("voting_from", rnd.voting_start), ("voting_until", rnd.results_start))
        }
        url = url_for("vote.enter_code", round_id=rnd.id, _external=True)
        body = stream_template(
            "codes/letters.html",
            rnd=rnd,
            made=made,
            codes=[codes.pretty(c) for c in made.codes],
            key_sentences=_key_sentences(rnd, made.district, url),
            **dates,
        )
        return Response(body, mimetype="text/html", headers=NO_STORE)
    buf = io.StringIO()
    writer = csvcells.writer(buf, lineterminator="\r\n")
    writer.writerow(["stemcode", "gebied", "ronde", "reeks"])
    for c in made.codes:
        writer.writerow([codes.pretty(c), made.district.name, rnd.name, made.batch.id])
    headers = dict(NO_STORE)
    headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return Response(buf.getvalue(), mimetype="text/csv", headers=headers)


@bp.route("/ronde/<int:round_id>/papier", methods=["GET", "POST"])
@staff_required
def paper(round_id: int) -> ResponseReturnValue:
    """Enter a paper ballot: first its code (which fixes the district), then the ticks."""
    rnd = get_round_or_404(round_id)
    form = PaperCodeForm()
    if rnd.phase() != Phase.VOTING:
        if request.method == "POST":
            abort(409, description=_("Papieren stemmen invoeren kan alleen in de stemperiode."))
        return render_template("codes/paper.html", rnd=rnd, form=form, closed=True)
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("codes/paper.html", rnd=rnd, form=form), (422 if request.method == "POST" else 200)
    limit = current_app.config["CODE_RATE_LIMIT"]
    limit = (limit[0] * 10, limit[1])  # staff type many codes; typos should not lock them out at once
    key = f"staff:{current_user.id}"
    # A wrong or rate-limited code is committed: the counted attempt is what the rate limit counts.
    with domain_errors(form, refused="form", commit_on=(ValidationFailed, RateLimited)) as outcome:
        code = codes.find_code(rnd, form.code.data, rate_key=key, limit=limit, bucket=codes.STAFF_CODE_BUCKET)
    if not outcome.ok:
        return render_template("codes/paper.html", rnd=rnd, form=form), outcome.status
    ids = request.form.getlist("initiative")
    if request.form.get("step") != "ballot":
        db.session.rollback()
        return _paper_ballot(rnd, form, code.district_id, set(), [])
    try:
        voting.check_district_field(code.district_id, request.form.get("district"))
        voter = codes.redeem(rnd, code)
        voting.cast(rnd, voter.id, ids, paper=True, actor=current_user._get_current_object())
        db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        chosen = {i for i in map(parse_id, ids) if i is not None}
        return _paper_ballot(rnd, form, code.district_id, chosen, [m for _, m in err.errors], status=422)
    except DomainError as err:
        db.session.rollback()
        abort(err.status, description=err.message)
    flash(_("Het papieren stembiljet is ingevoerd en telt mee."), "success")
    return redirect(url_for("codes.paper", round_id=rnd.id), 303)


def _paper_ballot(
    rnd: Round, form: PaperCodeForm, district_id: int, chosen: set[int], errors: list[str], *, status: int = 200
) -> tuple[str, int]:
    from wijkfonds.blueprints.vote.context import ballot_context

    ctx = ballot_context(rnd, district_id, chosen, errors)
    return render_template("codes/paper_ballot.html", **ctx, code=form.code.data), status
