"""Voting views: the ballot, the budget meter, the confirmation and ending a code session.

The ballot pages read light snapshots (services.voting.snapshots) instead of ORM objects: they
are the busiest pages of election night.
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wijkfonds.blueprints.vote import (
    bp,
    codes_views,  # noqa: F401  (code entry and receipt check routes)
    voters,
)
from wijkfonds.blueprints.vote.context import ballot_context, ballot_fields, choice_marks, form_marks
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Phase, Round
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.rounds.lookup import current_round
from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting.snapshots import (
    AccessEnded,
    Choice,
    VotingRound,
    code_choice,
    current_choice,
    sheet,
    voting_round_or_404,
)
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.layout import anonymous_page


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _refuse(err: DomainError) -> NoReturn:
    """Answer with the error's status and message (the site's error page)."""
    abort(err.status, description=err.message)


def _district_or_abort(rnd: VotingRound) -> int | None:
    with domain_errors():
        return voters.district_of(rnd)


@bp.route("/")
def index() -> ResponseReturnValue:
    """Which rounds are open for voting, and how to vote."""
    rounds = list(
        db.session.scalars(select(Round).where(Round.imported.is_(False)).order_by(Round.voting_start.desc()))
    )
    voting_now = [r for r in rounds if r.phase() == Phase.VOTING]
    return render_template("vote/index.html", voting_now=voting_now, current=current_round())


@bp.route("/<int:round_id>/stembiljet", methods=["GET", "POST"])
def ballot(round_id: int) -> ResponseReturnValue:
    """The ballot: GET shows it (ticked as last submitted), POST stores it."""
    rnd = voting_round_or_404(round_id)
    if rnd.phase() != Phase.VOTING:
        if request.method == "POST":
            _refuse(voting.voting_closed())
        return render_template("vote/closed.html", rnd=rnd)
    district_id = _district_or_abort(rnd)
    if district_id is None:
        return redirect(_entry(rnd))
    if request.method == "POST":
        return _submit(rnd, district_id)
    try:
        current = _current(rnd)
    except AccessEnded:
        return _access_ended(rnd)
    if current is None:  # the same empty ballot for every voter of the district
        return anonymous_page(
            (rnd, sheet(rnd.id, district_id)),
            "vote/ballot.html",
            build=lambda: ballot_context(rnd, district_id, set()),
            ballot=None,
        )
    marks = choice_marks(rnd, current.ranks, current.marks)
    return render_template(
        "vote/ballot.html", **ballot_context(rnd, district_id, set(current.initiative_ids), marks=marks), ballot=current
    )


def _entry(rnd: VotingRound) -> str:
    """Where a visitor without a ballot goes: binding their code (a logged-in account in a
    round with letters) or entering it."""
    if voters.needs_binding(rnd):
        return url_for("vote.bind_code", round_id=rnd.id)
    if rnd.voter_access != voting.VOTER_ACCESS_CODE:
        return url_for("auth.login", next=url_for("vote.ballot", round_id=rnd.id))
    return url_for("vote.enter_code", round_id=rnd.id)


def _current(rnd: VotingRound) -> Choice | None:
    """The ballot of this request's voter as it stands (AccessEnded for an ended code session)."""
    holder = voters.code_voter(rnd)
    if holder is not None:
        return code_choice(holder[0], holder[2])
    return current_choice(voters.voter_id_for(rnd, create=False))


def _access_ended(rnd: VotingRound) -> ResponseReturnValue:
    voters.forget(rnd)
    flash(_("Uw toegang met deze stemcode is beëindigd. Vul de code uit uw brief opnieuw in om verder te gaan."))
    return redirect(url_for("vote.enter_code", round_id=rnd.id))


def _cast_once(rnd: VotingRound, ids: list[str], marks: list[str] | None) -> voting.CastResult:
    voter_id = voters.voter_id_for(rnd, create=True)
    district_id = voters.district_of(rnd) if voter_id is not None else None  # a voter always has one
    if voter_id is None or district_id is None:
        raise DomainError(_("U bent niet (meer) aangemeld om te stemmen. Log in of vul uw stemcode opnieuw in."), 403)
    voting.check_district_field(district_id, request.form.get("district"))
    holder = voters.code_voter(rnd)
    return voting.cast(rnd, voter_id, ids, marks=marks, access_version=holder[2] if holder is not None else None)


def _submit(rnd: VotingRound, district_id: int) -> ResponseReturnValue:
    ids, marks = ballot_fields(rnd, request.form)
    try:
        try:
            result = _cast_once(rnd, ids, marks)
            db.session.commit()
        except IntegrityError:
            # Two first ballots of one account raced to create its Voter row (PostgreSQL);
            # the loser retries once and then finds, locks and updates the winner's rows.
            db.session.rollback()
            result = _cast_once(rnd, ids, marks)
            db.session.commit()
    except ValidationFailed as err:
        db.session.rollback()
        given = form_marks(ids, marks)
        ctx = ballot_context(rnd, district_id, set(given), [m for _, m in err.errors], marks=given)
        try:
            current = _current(rnd)
        except AccessEnded:
            return _access_ended(rnd)
        return render_template("vote/ballot.html", **ctx, ballot=current), 422
    except DomainError as err:
        db.session.rollback()
        _refuse(err)
    except IntegrityError:
        db.session.rollback()
        abort(409, description=_("Uw stem kon nu niet worden opgeslagen. Probeer het nog een keer."))
    if result.receipt:
        voters.remember_receipt(rnd, result.receipt)
    return redirect(url_for("vote.confirmation", round_id=rnd.id), 303)


@bp.route("/<int:round_id>/stembiljet/meter", methods=["POST"])
def meter(round_id: int) -> ResponseReturnValue:
    """Recalculate what is left: the meter fragment for htmx, the whole ballot without JavaScript."""
    rnd = voting_round_or_404(round_id)
    if rnd.phase() != Phase.VOTING:
        _refuse(voting.voting_closed())
    district_id = _district_or_abort(rnd)
    if district_id is None:
        return redirect(_entry(rnd))
    ids, marks = ballot_fields(rnd, request.form)
    given = form_marks(ids, marks)
    ctx = ballot_context(rnd, district_id, set(given), marks=given)
    if _htmx():
        return render_template("vote/_meter.html", **ctx)
    try:
        current = _current(rnd)
    except AccessEnded:
        return _access_ended(rnd)
    return render_template("vote/ballot.html", **ctx, ballot=current)


@bp.route("/<int:round_id>/bevestiging")
def confirmation(round_id: int) -> ResponseReturnValue:
    """After voting: the receipt code and what was chosen (only in the voter's own session)."""
    rnd = voting_round_or_404(round_id)
    code = voters.receipt(rnd)
    if code is None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    district_id = _district_or_abort(rnd)
    if district_id is None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    try:
        current = _current(rnd)
    except AccessEnded:
        return _access_ended(rnd)
    if current is None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    marks = choice_marks(rnd, current.ranks, current.marks)
    ctx = ballot_context(rnd, district_id, set(current.initiative_ids), marks=marks)
    return render_template(
        "vote/confirmation.html", **ctx, ballot=current, receipt=code, code_holder=voters.code_voter(rnd) is not None
    )


@bp.route("/<int:round_id>/ontvangstcode.txt")
def receipt_file(round_id: int) -> ResponseReturnValue:
    """The receipt code of this session's last ballot as a small text file to keep.

    Built from the session's receipt, as the confirmation page is (the server keeps none
    in clear): nothing from the address goes into the file, and it names no choice.
    """
    rnd = voting_round_or_404(round_id)
    code = voters.receipt(rnd)
    if code is None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    text = render_template(
        "vote/receipt.txt", rnd=rnd, receipt=code, check_url=url_for("vote.check_receipt", code=code, _external=True)
    )
    response = make_response(text)
    response.mimetype = "text/plain"
    response.headers["Content-Disposition"] = f'attachment; filename="ontvangstcode-ronde-{rnd.id}.txt"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:round_id>/klaar", methods=["POST"])
def finish(round_id: int) -> ResponseReturnValue:
    """End a code holder's access on the server (every browser that opened the ballot with
    the code so far, copies of this cookie included); the code opens it again until close."""
    rnd = voting_round_or_404(round_id)
    holder = voters.code_voter(rnd)
    if holder is not None:
        voting.end_access(holder[0])
        db.session.commit()
    voters.forget(rnd)
    flash(
        _(
            "U bent klaar. Zonder uw stemcode kan niemand uw stem nu nog zien of veranderen, ook niet op een "
            "ander apparaat. Met de code uit uw brief kunt u uw stem veranderen tot het stemmen sluit."
        ),
        "success",
    )
    return redirect(url_for("vote.index"), 303)
