"""The staff form for a round: fixed fields plus a budget and floor per district and shares per block."""

from __future__ import annotations

from typing import Any, cast

from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from wijkfonds.blueprints.rounds.fields import CountField, EuroField, LocalDateTimeField, PercentField
from wijkfonds.common.numbers import parse_id
from wijkfonds.i18n.text import gettext as _
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import BuildingBlock, District, IlpGoal, Theme
from wijkfonds.services.labels import ILP_GOALS
from wijkfonds.services.rounds.checks import DATE_FIELDS, DATE_LABELS, RoundData
from wijkfonds.web.forms import Field, FlaskForm
from wijkfonds.web.labels import BALLOT_KINDS


class IdListField(Field):
    """Ids from a group of checkboxes (rendered by the template)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        """Whole numbers only; anything else is a tampered form."""
        self.data = []
        for value in valuelist:
            theme_id = parse_id(value)
            if theme_id is None:
                raise ValueError(_l("Kies alleen thema's uit de lijst."))
            self.data.append(theme_id)
        self.data = sorted(set(self.data))

    @property
    def submitted(self) -> bool:
        """False when no box was sent at all."""
        return bool(self.raw_data)


class RoundForm(FlaskForm):
    """A round; the per-district and per-block fields are added by ``make_form``."""

    name = StringField(_l("Naam van de ronde"))
    description = TextAreaField(_l("Beschrijving voor bewoners"))
    total_budget = EuroField(_l("Totaal budget (hele euro's)"))
    themes = IdListField(_l("Thema's van deze ronde"))
    support_threshold = CountField(_l("Steundrempel"))
    ballot_kind = RadioField(
        _l("Manier van stemmen"), choices=[SelectChoice(k, v) for k, v in BALLOT_KINDS.items()], validate_choice=False
    )
    voter_access = RadioField(
        _l("Wie mag er online stemmen?"),
        choices=[
            SelectChoice(
                "code", _l("Met de stemcode uit de brief (aanbevolen); een account stemt na het koppelen van die code")
            ),
            SelectChoice(
                "account",
                _l(
                    "Met een account met bevestigd e-mailadres, zonder brieven (zwakker: één persoon kan meer accounts maken)"
                ),
            ),
        ],
        validate_choice=False,
    )
    knapsack_min_spend = EuroField(_l("Minimale besteding per stembiljet (hele euro's, 0 = geen)"))
    approval_min = CountField(_l("Minimaal aantal plannen om aan te kruisen"))
    approval_max = CountField(_l("Maximaal aantal plannen om aan te kruisen (leeg = geen maximum)"))
    points_total = CountField(_l("Aantal punten per stemmer (N)"))
    points_min_plans = CountField(_l("Verdeel de punten over minstens zoveel plannen (k)"))
    points_max_per_plan = CountField(_l("Hoogstens zoveel punten op één plan (leeg = geen maximum)"))
    ranked_max = CountField(_l("Zet hoogstens zoveel plannen op volgorde (k)"))
    ilp_goal = RadioField(
        _l("Wat de exacte methode zo groot mogelijk maakt"),
        choices=[SelectChoice(k, v) for k, v in ILP_GOALS.items()],
        validate_choice=False,
    )
    nomination_start = LocalDateTimeField(DATE_LABELS["nomination_start"])
    submission_start = LocalDateTimeField(DATE_LABELS["submission_start"])
    review_start = LocalDateTimeField(DATE_LABELS["review_start"])
    voting_start = LocalDateTimeField(DATE_LABELS["voting_start"])
    results_start = LocalDateTimeField(DATE_LABELS["results_start"])
    submit = SubmitField(_l("Opslaan"))

    districts: list[District]
    blocks: list[BuildingBlock]
    theme_options: list[Theme]
    budget_errors: list[str]
    quota_errors: list[str]
    filled = False  # the budgets were just split by population (the page says nothing is saved yet)

    def budget(self, district_id: int) -> EuroField:
        """The budget input of a district."""
        return cast(EuroField, self[f"budget_{district_id}"])  # make_form adds it

    def floor(self, district_id: int) -> EuroField:
        """The floor input of a district."""
        return cast(EuroField, self[f"floor_{district_id}"])

    def quota(self, block_id: int) -> tuple[PercentField, PercentField]:
        """The minimum and maximum share inputs of a building block."""
        return cast(PercentField, self[f"min_{block_id}"]), cast(PercentField, self[f"max_{block_id}"])

    def has_quotas(self) -> bool:
        """True when any share is filled in (the section then opens by itself)."""
        return any(self.quota(b.id)[0].data or self.quota(b.id)[1].data is not None for b in self.blocks)


def _initial(d: RoundData) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": d.name,
        "description": d.description,
        "total_budget": d.total_budget,
        "themes": d.theme_ids,
        "support_threshold": d.support_threshold,
        "ballot_kind": d.ballot_kind,
        "voter_access": d.voter_access,
        "knapsack_min_spend": d.knapsack_min_spend,
        "approval_min": d.approval_min,
        "approval_max": d.approval_max,
        "points_total": d.points_total,
        "points_min_plans": d.points_min_plans,
        "points_max_per_plan": d.points_max_per_plan,
        "ranked_max": d.ranked_max,
        "ilp_goal": d.ilp_goal,
        **{f: getattr(d, f) for f in DATE_FIELDS},
    }
    for did, amount in d.budgets.items():
        data[f"budget_{did}"] = amount
        data[f"floor_{did}"] = d.floors.get(did, 0)
    for bid, (lo, hi) in d.quotas.items():
        data[f"min_{bid}"], data[f"max_{bid}"] = lo, hi
    return data


def make_form(
    districts: list[District], blocks: list[BuildingBlock], themes: list[Theme], initial: RoundData, lang: str
) -> RoundForm:
    """A form with one budget and floor field per district and a min/max share per block."""

    class Form(RoundForm):
        pass

    for d in districts:
        setattr(Form, f"budget_{d.id}", EuroField(_("Budget voor %(name)s", name=d.name)))
        setattr(Form, f"floor_{d.id}", EuroField(_("Ondergrens voor %(name)s", name=d.name)))
    for b in blocks:
        setattr(Form, f"min_{b.id}", PercentField(_("Minimum aandeel %(name)s", name=b.name(lang))))
        setattr(Form, f"max_{b.id}", PercentField(_("Maximum aandeel %(name)s", name=b.name(lang))))
    form = Form(data=_initial(initial))
    form.districts, form.blocks, form.theme_options = districts, blocks, themes
    form.budget_errors, form.quota_errors = [], []
    return form


def to_data(form: RoundForm, current: RoundData | None, locked: bool) -> RoundData:
    """Plain data from a validated form; in a locked round, parts not sent keep their value."""

    def keep(name: str, fields: list[Any]) -> bool:
        return locked and current is not None and not any(getattr(f, "submitted", bool(f.raw_data)) for f in fields)

    d = RoundData(name=form.name.data or "", description=form.description.data or "")
    for name in (
        "total_budget",
        "support_threshold",
        "ballot_kind",
        "voter_access",
        "knapsack_min_spend",
        "approval_min",
        "approval_max",
        "points_total",
        "points_min_plans",
        "points_max_per_plan",
        "ranked_max",
        "ilp_goal",
        "themes",
        *DATE_FIELDS,
    ):
        attr = "theme_ids" if name == "themes" else name
        value = getattr(current, attr) if keep(name, [form[name]]) else form[name].data
        setattr(d, attr, value if value is not None or name not in ("knapsack_min_spend", "approval_min") else 0)
    budget_fields = [form.budget(x.id) for x in form.districts] + [form.floor(x.id) for x in form.districts]
    if current is not None and keep("budgets", budget_fields):
        d.budgets, d.floors = dict(current.budgets), dict(current.floors)
    else:
        d.budgets = {x.id: form.budget(x.id).data for x in form.districts}
        d.floors = {x.id: form.floor(x.id).data or 0 for x in form.districts}
    quota_fields = [f for b in form.blocks for f in form.quota(b.id)]
    if current is not None and keep("quotas", quota_fields):
        d.quotas = dict(current.quotas)
    else:
        for b in form.blocks:
            lo, hi = (f.data for f in form.quota(b.id))
            if lo or hi is not None:
                d.quotas[b.id] = (lo or 0, hi)
    d.ballot_kind = d.ballot_kind or ""
    # The form always checks one goal; a post without one keeps the round's (or today's default).
    d.ilp_goal = d.ilp_goal or (current.ilp_goal if current is not None else IlpGoal.COST_APPROVAL.value)
    # A blank setting of another ballot kind keeps what the round has (it counts for nothing).
    for name, kind, default in (
        ("points_total", "points", 10),
        ("points_min_plans", "points", 1),
        ("ranked_max", "ranked", 3),
    ):
        if getattr(d, name) is None and d.ballot_kind != kind:
            setattr(d, name, getattr(current, name) if current is not None else default)
    for name in DATE_FIELDS:
        # Inputs show minutes only: an untouched date must not lose its seconds on every save.
        stored = getattr(current, name, None)
        if stored is not None and getattr(d, name) == stored.replace(second=0, microsecond=0):
            setattr(d, name, stored)
    return d
