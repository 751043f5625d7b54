"""Staff upload form: pabulib files -> a closed, imported round."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.utils import secure_filename

from wijkfonds.blueprints.runs import bp
from wijkfonds.blueprints.runs.forms import ImportForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import BallotKind
from wijkfonds.services.results.import_rules import BallotRules, ImportFailed
from wijkfonds.services.results.importer import import_elections, read_files
from wijkfonds.web.access import staff_required
from wijkfonds.web.login import current_user


@bp.route("/importeren", methods=["GET", "POST"])
@staff_required
def import_page() -> ResponseReturnValue:
    """Upload one or more .pb files; a bad file gives the reader's message and saves nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("runs/import.html", form=form), (422 if form.is_submitted() else 200)
    uploads = [f for f in (form.files.data or []) if f and f.filename]
    if not uploads:
        form.files.errors = [_("Kies minstens één .pb-bestand.")]
        return render_template("runs/import.html", form=form), 422
    with tempfile.TemporaryDirectory(prefix="wijkfonds-import-") as tmp:
        paths, names = [], []
        for k, upload in enumerate(uploads):
            name = secure_filename(upload.filename) or f"upload-{k + 1}.pb"
            if name in names:
                form.files.errors = [_("Twee bestanden hebben dezelfde naam: {name}.").format(name=name)]
                return render_template("runs/import.html", form=form), 422
            path = Path(tmp) / name
            upload.save(path)
            paths.append(path)
            names.append(name)
        try:
            elections = read_files(paths, names)
            summary = import_elections(elections, name=form.name.data, actor=current_user._get_current_object())
        except ImportFailed as err:
            db.session.rollback()
            form.files.errors = [err.message]
            return render_template("runs/import.html", form=form), 422
    db.session.commit()
    for warning in summary.warnings:
        flash(warning, "warning")
    flash(
        _("Geïmporteerd: {d} gebieden, {i} plannen, {b} stembiljetten.").format(
            d=summary.districts, i=summary.initiatives, b=summary.ballots
        )
        + " "
        + kind_sentence(summary.rules),
        "success",
    )
    return redirect(url_for("runs.round_page", round_id=summary.round.id))


def kind_sentence(rules: BallotRules) -> str:
    """Which kind of round the import made, with its rules, in one sentence."""
    if rules.kind == BallotKind.POINTS.value:
        text = _("Het is een puntenronde: elke stemmer verdeelt hoogstens {n} punten over minstens {k} plan(nen).")
        text = text.format(n=rules.points_total, k=rules.points_min_plans)
        if rules.points_max_per_plan is not None:
            text += " " + _("Eén plan krijgt hoogstens {m} punten.").format(m=rules.points_max_per_plan)
        return text
    if rules.kind == BallotKind.RANKED.value:
        return _("Het is een ronde met een volgorde: elke stemmer zet hoogstens {k} plan(nen) op volgorde.").format(
            k=rules.ranked_max
        )
    return _("Het is een ronde met aankruisen: elke stemmer kruist plannen aan.")
