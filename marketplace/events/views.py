"""Recruitment events and campaigns: listings for seekers, management for staff and employers.

Thin: forms read the request, events.services decides (and checks permissions), templates show.
Public: /events/ and /events/<id>. Employers: /events/booths…. Staff: /events/staff…,
/events/campaigns…, /events/targets. Also `flask events targets`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import click
from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from marketplace.accounts.auth import current_employer, role_required, signed_in_user
from marketplace.accounts.models import Role, User
from marketplace.database import db_session, utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.events import services
from marketplace.events.forms import (
    BOOTH_STATUS_LABELS,
    CAMPAIGN_KIND_LABELS,
    FORMAT_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    BoothJobsForm,
    ButtonForm,
    CampaignForm,
    CancelForm,
    EventForm,
    HeldForm,
)
from marketplace.events.models import Booth, BoothStatus, Campaign, Event, EventStatus
from marketplace.jobs.models import JobStatus

bp = Blueprint("events", __name__, url_prefix="/events")

STAFF_LIST_LIMIT = 200


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "local_time": _local_time,
        "campaign_kind_labels": CAMPAIGN_KIND_LABELS,
        "format_labels": FORMAT_LABELS,
        "event_kind_labels": KIND_LABELS,
        "event_status_labels": STATUS_LABELS,
        "booth_status_labels": BOOTH_STATUS_LABELS,
    }


def _local_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "—" if moment is None else services.to_local(moment).strftime(pattern)


def _staff() -> User:
    user = signed_in_user()
    if user is None or user.role != Role.STAFF:
        raise Forbidden("您没有权限访问此页面")
    return user


def _campaign(campaign_id: int) -> Campaign:
    campaign = db_session().get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("没有找到该专项活动")
    return campaign


def _districts(actor: User | None = None) -> list[tuple[str, str]]:
    places = services.districts(db_session())
    if actor is not None:
        places = [p for p in places if services.can_manage_district(actor, p.code)]
    return [(place.code, place.name) for place in places]


# --- public -------------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    district = request.args.get("district") or None
    campus_arg = request.args.get("campus")
    campus = {"1": True, "0": False}.get(campus_arg or "")
    events = services.upcoming_events(db_session(), utcnow(), district, campus)
    return render_template(
        "events/index.html",
        events=events,
        districts=_districts(),
        district=district,
        campus=campus_arg if campus is not None else "",
    )


@bp.get("/<int:event_id>")
def show(event_id: int) -> str:
    session = db_session()
    event = services.get_event(session, event_id)
    user = signed_in_user()
    own_booth = None
    can_register = False
    if user is not None and user.role == Role.EMPLOYER and user.employer_id is not None:
        own_booth = session.scalar(
            select(Booth).where(Booth.event_id == event.id, Booth.employer_id == user.employer_id)
        )
        employer = session.get(Employer, user.employer_id)
        can_register = (
            employer is not None
            and employer.verification == Verification.VERIFIED
            and event.status == EventStatus.PLANNED
            and event.ends_at > utcnow()
            and (own_booth is None or own_booth.status == BoothStatus.CANCELLED)
        )
    return render_template(
        "events/show.html",
        event=event,
        booths=services.public_booths(session, event),
        own_booth=own_booth,
        can_register=can_register,
        register_form=ButtonForm(),
    )


# --- employers ----------------------------------------------------------------------------------


@bp.post("/<int:event_id>/booth")
@role_required(Role.EMPLOYER)
def register_booth(event_id: int) -> Response:
    session = db_session()
    employer = current_employer()
    event = services.get_event(session, event_id)
    if not ButtonForm().validate_on_submit():
        raise ValidationError("提交无效，请刷新页面后重试")
    try:
        booth = services.register_booth(session, employer, event, utcnow())
    except ValidationError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("events.show", event_id=event.id), code=303)
    session.commit()
    flash("已报名，请选择要在展位展示的职位；工作人员确认后求职者即可看到", "success")
    return redirect(url_for("events.booth", booth_id=booth.id), code=303)


@bp.get("/booths")
@role_required(Role.EMPLOYER)
def booths() -> str:
    session = db_session()
    employer = current_employer()
    mine = list(
        session.scalars(
            select(Booth)
            .join(Event)
            .where(Booth.employer_id == employer.id)
            .order_by(Event.starts_at.desc())
        )
    )
    taken = {booth.event_id for booth in mine if booth.status != BoothStatus.CANCELLED}
    upcoming = [e for e in services.upcoming_events(session, utcnow()) if e.id not in taken]
    return render_template(
        "events/booths.html",
        employer=employer,
        verified=employer.verification == Verification.VERIFIED,
        booths=mine,
        upcoming=upcoming,
        register_form=ButtonForm(),
    )


def _booth_page(booth: Booth, form: BoothJobsForm | None = None, status: int = 200) -> Any:
    session = db_session()
    employer = current_employer()
    jobs = services.attachable_jobs(session, employer)
    if form is None:
        form = BoothJobsForm()
        form.jobs.data = [job.id for job in booth.jobs]
    form.jobs.choices = [SelectChoice(job.id, job.title) for job in jobs]
    editable = (
        booth.status != BoothStatus.CANCELLED
        and booth.event.status == EventStatus.PLANNED
        and booth.event.ends_at > utcnow()
    )
    page = render_template(
        "events/booth.html",
        booth=booth,
        form=form,
        jobs=jobs,
        editable=editable,
        cancel_form=ButtonForm(prefix="cancel"),
        job_status=JobStatus,
    )
    return page, status


@bp.get("/booths/<int:booth_id>")
@role_required(Role.EMPLOYER)
def booth(booth_id: int) -> Any:
    return _booth_page(services.employer_booth(db_session(), current_employer(), booth_id))


@bp.post("/booths/<int:booth_id>")
@role_required(Role.EMPLOYER)
def attach_jobs(booth_id: int) -> Any:
    session = db_session()
    employer = current_employer()
    booth = services.employer_booth(session, employer, booth_id)
    form = BoothJobsForm()
    form.jobs.choices = [
        SelectChoice(job.id, job.title) for job in services.attachable_jobs(session, employer)
    ]
    if not form.validate_on_submit():
        return _booth_page(booth, form, 400)
    try:
        services.attach_jobs(session, employer, booth, form.jobs.data or [], utcnow())
    except ValidationError as error:
        session.rollback()
        form.jobs.errors = [error.message]
        return _booth_page(booth, form, 400)
    session.commit()
    flash(f"已保存展位职位（{len(booth.jobs)} 个）", "success")
    return redirect(url_for("events.booth", booth_id=booth.id), code=303)


@bp.post("/booths/<int:booth_id>/cancel")
@role_required(Role.EMPLOYER)
def cancel_booth(booth_id: int) -> Response:
    session = db_session()
    employer = current_employer()
    booth = services.employer_booth(session, employer, booth_id)
    if not ButtonForm(prefix="cancel").validate_on_submit():
        raise ValidationError("提交无效，请刷新页面后重试")
    try:
        services.cancel_own_booth(session, employer, booth)
    except ValidationError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("events.booth", booth_id=booth.id), code=303)
    session.commit()
    flash("已取消展位", "success")
    return redirect(url_for("events.booths"), code=303)


# --- staff: campaigns ---------------------------------------------------------------------------


@bp.get("/campaigns")
@role_required(Role.STAFF)
def campaigns() -> str:
    session = db_session()
    rows = list(session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())))
    counts = dict(
        session.execute(
            select(Event.campaign_id, func.count())
            .where(Event.status != EventStatus.CANCELLED, Event.campaign_id.is_not(None))
            .group_by(Event.campaign_id)
        ).all()
    )
    return render_template("events/campaigns.html", campaigns=rows, counts=counts)


def _campaign_form_page(form: CampaignForm, campaign: Campaign | None, status: int = 200) -> Any:
    return render_template("events/campaign_form.html", form=form, campaign=campaign), status


def _save_campaign(form: CampaignForm, campaign: Campaign | None) -> Any:
    session = db_session()
    if not form.validate_on_submit():
        return _campaign_form_page(form, campaign, 400)
    data = services.CampaignInput(
        name=form.name.data,
        kind=form.kind.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        description=form.description.data or "",
    )
    try:
        saved = services.save_campaign(session, _staff(), data, campaign)
    except ValidationError as error:
        session.rollback()
        form.form_errors.append(error.message)
        return _campaign_form_page(form, campaign, 400)
    session.commit()
    flash(f"已保存专项活动：{saved.name}", "success")
    return redirect(url_for("events.campaign", campaign_id=saved.id), code=303)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_campaign() -> Any:
    services.require_city_staff(_staff())
    form = CampaignForm()
    if request.method == "GET":
        return _campaign_form_page(form, None)
    return _save_campaign(form, None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_campaign(campaign_id: int) -> Any:
    services.require_city_staff(_staff())
    campaign = _campaign(campaign_id)
    form = CampaignForm(obj=campaign if request.method == "GET" else None)
    if request.method == "GET":
        return _campaign_form_page(form, campaign)
    return _save_campaign(form, campaign)


@bp.get("/campaigns/<int:campaign_id>")
@role_required(Role.STAFF)
def campaign(campaign_id: int) -> str:
    session = db_session()
    row = _campaign(campaign_id)
    events = list(session.scalars(services.events_query(campaign_id=row.id)))
    outcomes = {event.id: services.event_outcomes(session, event) for event in events}
    live = [e for e in events if e.status != EventStatus.CANCELLED]
    totals = {
        "events": len(live),
        "held": sum(1 for e in live if e.status == EventStatus.HELD),
        "visitors": sum(e.visitors or 0 for e in live),
        "registered": sum(e.seekers_registered or 0 for e in live),
        "applications": sum(outcomes[e.id].applications for e in live),
        "hires": sum(outcomes[e.id].hires for e in live),
    }
    return render_template(
        "events/campaign.html", campaign=row, events=events, outcomes=outcomes, totals=totals
    )


# --- staff: events ------------------------------------------------------------------------------


# the years a staff filter or check date may name; others are slips (0001, 9999)
YEARS = range(2000, 2101)


def _parse_month(text: str | None) -> date | None:
    if not text:
        return None
    try:
        month = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None
    return month if month.year in YEARS else None


@bp.get("/staff")
@role_required(Role.STAFF)
def staff_events() -> str:
    session = db_session()
    campaign_id = request.args.get("campaign", type=int) or None
    district = request.args.get("district") or None
    month = _parse_month(request.args.get("month"))
    query = services.events_query(campaign_id, district, month)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = list(session.scalars(query.limit(STAFF_LIST_LIMIT)))
    return render_template(
        "events/staff_list.html",
        events=events,
        total=total,
        limit=STAFF_LIST_LIMIT,
        campaigns=list(session.scalars(select(Campaign).order_by(Campaign.starts_on.desc()))),
        districts=_districts(),
        campaign_id=campaign_id,
        district=district,
        month=month.strftime("%Y-%m") if month else "",
    )


def _event_form(actor: User, event: Event | None) -> EventForm:
    session = db_session()
    form = EventForm(obj=event if request.method == "GET" and event else None)
    form.campaign_id.choices = [SelectChoice(0, "不属于专项活动")] + [
        SelectChoice(c.id, f"{c.name}（{c.starts_on:%m-%d} 至 {c.ends_on:%m-%d}）")
        for c in session.scalars(select(Campaign).order_by(Campaign.starts_on.desc()))
    ]
    form.district_code.choices = [SelectChoice(code, name) for code, name in _districts(actor)]
    if request.method == "GET":
        if event is not None:
            form.campaign_id.data = event.campaign_id or 0
            form.starts_at.data = services.to_local(event.starts_at)
            form.ends_at.data = services.to_local(event.ends_at)
        else:
            preset = request.args.get("campaign", type=int)
            if preset:
                form.campaign_id.data = preset
    return form


def _event_form_page(form: EventForm, event: Event | None, status: int = 200) -> Any:
    return render_template("events/event_form.html", form=form, event=event), status


def _save_event(form: EventForm, actor: User, event: Event | None) -> Any:
    session = db_session()
    if not form.validate_on_submit():
        return _event_form_page(form, event, 400)
    data = services.EventInput(
        title=form.title.data,
        format=form.format.data,
        kind=form.kind.data,
        district_code=form.district_code.data,
        starts_at=services.to_utc(form.starts_at.data),
        ends_at=services.to_utc(form.ends_at.data),
        campaign_id=form.campaign_id.data or None,
        is_campus=bool(form.is_campus.data),
        school=form.school.data,
        venue=form.venue.data,
        link=form.link.data,
        notes=form.notes.data or "",
    )
    try:
        saved = services.save_event(session, actor, data, event)
    except ValidationError as error:
        session.rollback()
        form.form_errors.append(error.message)
        return _event_form_page(form, event, 400)
    session.commit()
    flash(f"已保存招聘活动：{saved.title}", "success")
    return redirect(url_for("events.staff_event", event_id=saved.id), code=303)


@bp.route("/staff/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_event() -> Any:
    actor = _staff()
    form = _event_form(actor, None)
    if request.method == "GET":
        return _event_form_page(form, None)
    return _save_event(form, actor, None)


@bp.route("/staff/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_event(event_id: int) -> Any:
    actor = _staff()
    event = services.get_event(db_session(), event_id)
    services.require_event_manager(actor, event)
    if event.status != EventStatus.PLANNED:
        raise ValidationError("已举办或已取消的活动不能再修改")
    form = _event_form(actor, event)
    if request.method == "GET":
        return _event_form_page(form, event)
    return _save_event(form, actor, event)


def _staff_event_page(
    event: Event,
    held_form: HeldForm | None = None,
    cancel_form: CancelForm | None = None,
    status: int = 200,
) -> Any:
    session = db_session()
    actor = _staff()
    if held_form is None:
        held_form = HeldForm(prefix="held")
        held_form.visitors.data = event.visitors
        held_form.seekers_registered.data = event.seekers_registered
    booths = list(
        session.scalars(select(Booth).where(Booth.event_id == event.id).order_by(Booth.id))
    )
    page = render_template(
        "events/staff_event.html",
        event=event,
        booths=booths,
        outcomes=services.event_outcomes(session, event),
        window_days=services.OUTCOME_WINDOW_DAYS,
        can_manage=services.can_manage_district(actor, event.district_code),
        started=event.starts_at <= utcnow(),
        held_form=held_form,
        cancel_form=cancel_form or CancelForm(prefix="cancel"),
        booth_form=ButtonForm(prefix="booth"),
    )
    return page, status


@bp.get("/staff/<int:event_id>")
@role_required(Role.STAFF)
def staff_event(event_id: int) -> Any:
    return _staff_event_page(services.get_event(db_session(), event_id))


@bp.post("/staff/<int:event_id>/cancel")
@role_required(Role.STAFF)
def cancel_event(event_id: int) -> Any:
    session = db_session()
    event = services.get_event(session, event_id)
    services.require_event_manager(_staff(), event)
    form = CancelForm(prefix="cancel")
    if not form.validate_on_submit():
        return _staff_event_page(event, cancel_form=form, status=400)
    try:
        services.cancel_event(session, _staff(), event, form.reason.data)
    except ValidationError as error:
        session.rollback()
        form.reason.errors = [error.message]
        return _staff_event_page(event, cancel_form=form, status=400)
    session.commit()
    flash(f"已取消：{event.title}", "success")
    return redirect(url_for("events.staff_event", event_id=event.id), code=303)


@bp.post("/staff/<int:event_id>/held")
@role_required(Role.STAFF)
def mark_held(event_id: int) -> Any:
    session = db_session()
    event = services.get_event(session, event_id)
    services.require_event_manager(_staff(), event)
    form = HeldForm(prefix="held")
    if not form.validate_on_submit():
        return _staff_event_page(event, held_form=form, status=400)
    try:
        services.mark_held(
            session, _staff(), event, form.visitors.data, form.seekers_registered.data, utcnow()
        )
    except ValidationError as error:
        session.rollback()
        form.form_errors.append(error.message)
        return _staff_event_page(event, held_form=form, status=400)
    session.commit()
    flash(f"已登记为已举办：{event.title}", "success")
    return redirect(url_for("events.staff_event", event_id=event.id), code=303)


@bp.post("/staff/booths/<int:booth_id>/<any(confirm, cancel):action>")
@role_required(Role.STAFF)
def staff_booth(booth_id: int, action: str) -> Response:
    session = db_session()
    booth = session.get(Booth, booth_id)
    if booth is None:
        raise NotFound("没有找到该展位")
    if not ButtonForm(prefix="booth").validate_on_submit():
        raise ValidationError("提交无效，请刷新页面后重试")
    status = BoothStatus.CONFIRMED if action == "confirm" else BoothStatus.CANCELLED
    try:
        services.set_booth_status(session, _staff(), booth, status)
    except ValidationError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        flash(f"{booth.employer.name}：展位{BOOTH_STATUS_LABELS[status]}", "success")
    return redirect(url_for("events.staff_event", event_id=booth.event_id), code=303)


# --- targets ------------------------------------------------------------------------------------


@bp.get("/targets")
@role_required(Role.STAFF)
def targets() -> str:
    today = services.local_today(utcnow())
    on = today
    requested = request.args.get("date")
    if requested:
        try:
            on = date.fromisoformat(requested)
        except ValueError:
            flash("日期格式应为 YYYY-MM-DD，已显示今天的情况", "error")
        else:
            if on.year not in YEARS:
                flash(f"请选择 {YEARS[0]}–{YEARS[-1]} 年的日期，已显示今天的情况", "error")
                on = today
    report = services.target_report(db_session(), on)
    return render_template("events/targets.html", report=report, today=today)


@bp.cli.command("targets")
@click.option("--date", "on", default=None, help="Check at this local date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def targets_command(on: str | None, as_json: bool) -> None:
    """Print what is behind schedule against the plan's event targets."""
    try:
        day = date.fromisoformat(on) if on else services.local_today(utcnow())
    except ValueError as error:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--date") from error
    if day.year not in YEARS:
        raise click.BadParameter(f"a date in {YEARS[0]}–{YEARS[-1]}", param_hint="--date")
    report = services.target_report(db_session(), day)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"招聘活动目标检查 {day.isoformat()}")
    for target in (report.events, report.campus):
        click.echo(
            f"{target.name}：已办 {target.count}（全年已排 {target.scheduled}），"
            f"按进度应达 {target.expected} / 年目标 {target.target}，落后 {target.behind_by}"
        )
    for district in report.districts:
        lines = [f"  缺专场的周：{week.label}" for week in district.missed_weeks]
        lines += [f"  缺综合招聘会的月：{month.label}" for month in district.missed_months]
        if district.current_week_uncovered:
            lines.append(f"  本周尚未安排专场：{report.week.label}")
        if district.current_month_uncovered:
            lines.append(f"  本月尚未安排综合招聘会：{report.month.label}")
        if lines:
            click.echo(district.name)
            for line in lines:
                click.echo(line)
    click.echo("有落后于进度的目标" if report.behind else "各项目标均按进度完成")
