"""Odd-job pages (server-rendered, Chinese, phone-first): workers' availability and offers,
requesters' live status, and the service-point desk acting for walk-in people.

Thin: forms read the request, the gig services do the work and check permissions; these
views only decide what a person may see (someone else's offer or request is a 404).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import redis
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from marketplace.accounts.auth import role_required, signed_in_user
from marketplace.accounts.models import Role, User
from marketplace.accounts.services import mask_phone, mask_phones_in
from marketplace.accounts.views import safe_next
from marketplace.database import db_session, utcnow
from marketplace.errors import DomainError, Forbidden, NotFound, ServiceUnavailable
from marketplace.extensions import get_redis, redis_configured
from marketplace.gigs import permissions, services
from marketplace.gigs.dispatch import DispatchPolicy, reach_words
from marketplace.gigs.forms import (
    DAY_LABELS,
    PAY_UNIT_LABELS,
    CompleteForm,
    DeskRequestForm,
    RatingForm,
    RequestForm,
    WalkInWorkerForm,
    WorkerForm,
    place_choices,
)
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigOffer,
    GigRating,
    GigRequest,
    GigWorker,
    OfferStatus,
    RatingDirection,
    RequestStatus,
)
from marketplace.gigs.records import QUEUE_DOWN
from marketplace.localtime import LOCAL_OFFSET, day_and_time
from marketplace.localtime import local_time as clock_time
from marketplace.places.models import Place, ServicePoint
from marketplace.seekers.models import SeekerProfile

bp = Blueprint("gigs", __name__, url_prefix="/gigs")

REQUESTERS = (Role.EMPLOYER, Role.SEEKER, Role.STAFF)
# how often the live pages fetch themselves again (countdown.js; without JS, a reload link)
REFRESH_SECONDS = 5

OFFER_LABELS = {
    OfferStatus.OFFERED: "待回复",
    OfferStatus.ACCEPTED: "已接单",
    OfferStatus.DECLINED: "已拒绝",
    OfferStatus.EXPIRED: "已过期",
    OfferStatus.WITHDRAWN: "已退出",
    OfferStatus.CANCELLED: "已取消",
    OfferStatus.COMPLETED: "已完工",
    OfferStatus.NO_SHOW: "未到岗",
}
REQUEST_LABELS = {
    RequestStatus.OPEN: "招人中",
    RequestStatus.FILLED: "已招满",
    RequestStatus.CANCELLED: "已取消",
    RequestStatus.EXPIRED: "已过期",
    RequestStatus.COMPLETED: "已完工",
}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "local_time": local_time,
        "pay_text": pay_text,
        "offer_labels": OFFER_LABELS,
        "request_labels": REQUEST_LABELS,
        "day_labels": DAY_LABELS,
        "masked": mask_phone,
        "mask_phones": mask_phones_in,
    }


def local_time(moment: datetime | None, fmt: str | None = None) -> str:
    """A naive-UTC timestamp as Weihai reads it: the day (with the year when not this year) and
    the time, or `fmt`."""
    if fmt is not None or moment is None:
        return clock_time(moment, fmt or "")
    return day_and_time(moment, utcnow())


def pay_text(amount: float | None, unit: str | None) -> str:
    if amount is None or not unit:
        return "面议"
    return f"{amount:g} {PAY_UNIT_LABELS.get(unit, unit)}"


def _user() -> User:
    user = signed_in_user()
    if user is None:  # role_required has run; this keeps the type checker and reader sure
        raise Forbidden("请先登录")
    return user


def _client() -> redis.Redis:
    if not redis_configured():
        raise ServiceUnavailable(QUEUE_DOWN)
    return get_redis()


def _policy() -> DispatchPolicy:
    return DispatchPolicy.from_config(current_app.config)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _utc(day: date, at: time) -> datetime:
    """A Weihai local date and time → naive UTC."""
    return datetime.combine(day, at) - LOCAL_OFFSET


def _back(default: str) -> Response:
    return redirect(safe_next(request.form.get("next")) or default, code=303)


# ---- who is acting ---------------------------------------------------------------------------


def _own_profile(session: Session, user: User) -> SeekerProfile | None:
    return session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))


def _own_worker(session: Session, user: User) -> GigWorker | None:
    return session.scalar(
        select(GigWorker)
        .join(SeekerProfile, SeekerProfile.id == GigWorker.seeker_id)
        .where(SeekerProfile.user_id == user.id)
    )


def _may_act_for_worker(session: Session, user: User, worker: GigWorker) -> bool:
    return worker.seeker.user_id == user.id or permissions.staff_covers(
        session, user, worker.place_code
    )


def _offer_for(session: Session, offer_id: int, user: User) -> GigOffer:
    """The offer if this person is its worker or staff covering them; else 404 (not 403:
    whether someone else's offer exists is nobody else's business)."""
    offer = session.get(GigOffer, offer_id)
    if offer is None or not _may_act_for_worker(session, user, offer.worker):
        raise NotFound("没有这个邀约")
    return offer


def _request_for(session: Session, request_id: int, user: User) -> GigRequest:
    gig = session.get(GigRequest, request_id)
    if gig is None:
        raise NotFound("没有这个用工需求")
    try:
        permissions.check_request(session, user, gig)
    except Forbidden:
        raise NotFound("没有这个用工需求") from None
    return gig


# ---- entry -----------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    user = signed_in_user()
    session = db_session()
    worker = _own_worker(session, user) if user is not None else None
    live = 0
    if worker is not None:
        live = len(_live_offers(session, worker, utcnow()))
    return render_template(
        "gigs/index.html", user=user, worker=worker, live_offers=live, reach=reach_words()
    )


@bp.get("/open/<int:request_id>")
def public_request(request_id: int) -> str:
    """An open odd job as anyone may see it (a printed slip's QR opens it on any phone): what
    is already public at a kiosk, who is hiring by label only, never a phone."""
    session = db_session()
    gig = services.open_request(session, request_id)
    return render_template(
        "gigs/public.html",
        gig=gig,
        place=session.get(Place, gig.place_code) if gig.place_code else None,
        who=services.requester_label(session, gig),
        user=signed_in_user(),
    )


# ---- workers ---------------------------------------------------------------------------------


def _fill_worker_form(form: WorkerForm, worker: GigWorker) -> None:
    form.skills.data = sorted(worker.skill_set)
    form.place.data = worker.place_code or ""
    form.days.data = list(worker.days)
    form.available_from.data = worker.available_from
    form.available_until.data = worker.available_until
    form.rate_amount.data = (
        Decimal(str(worker.rate_amount)).normalize() if worker.rate_amount else None
    )
    form.rate_unit.data = worker.rate_unit or ""


def _availability(form: WorkerForm) -> dict[str, Any]:
    return {
        "skills": list(form.skills.data or []),
        "place_code": form.place.data,
        "days": "".join(form.days.data or []),
        "available_from": form.available_from.data,
        "available_until": form.available_until.data,
        "rate_amount": _number(form.rate_amount.data),
        "rate_unit": form.rate_unit.data or None,
    }


@bp.route("/worker", methods=["GET", "POST"])
@role_required(Role.SEEKER)
def worker_form() -> Response | str:
    """Register or edit my odd-job availability."""
    session = db_session()
    user = _user()
    worker = _own_worker(session, user)
    form = WorkerForm()
    form.place.choices = place_choices(session)
    if request.method == "GET" and worker is not None:
        _fill_worker_form(form, worker)
    if form.validate_on_submit():
        profile = _own_profile(session, user)
        if profile is None:  # accounts from before profiles were made at sign-up
            profile = SeekerProfile(
                user_id=user.id, name=user.display_name, phone=user.phone, target_groups=[]
            )
            session.add(profile)
            session.flush()  # rolled back with the rest if registration is refused
        try:
            services.register_worker(
                session, _client(), profile.id, actor=user, **_availability(form)
            )
        except DomainError as error:
            session.rollback()
            flash(error.message, "error")
        else:
            flash("零工信息已保存。附近有活时会给您派单，请留意“我的派单”。", "success")
            return redirect(url_for("gigs.index"), code=303)
    phone = None
    if worker is not None:
        phone = mask_phone(worker.seeker.phone)
    return render_template(
        "gigs/worker_form.html", form=form, worker=worker, phone=phone, walk_in=False
    )


@bp.post("/workers/<int:worker_id>/pause")
@role_required(Role.SEEKER, Role.STAFF)
def pause(worker_id: int) -> Response:
    """Pause (paused=1) or resume (paused=0) availability: the worker, or staff for them."""
    session = db_session()
    user = _user()
    worker = session.get(GigWorker, worker_id)
    if worker is None or not _may_act_for_worker(session, user, worker):
        raise NotFound("没有这个零工")
    paused = request.form.get("paused") == "1"
    try:
        services.pause_worker(session, _client(), worker_id, paused=paused, actor=user)
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        flash("已暂停接单，不会再收到新的派单" if paused else "已恢复接单", "success")
    return _back(url_for("gigs.index"))


# ---- offers ----------------------------------------------------------------------------------


def _live_offers(session: Session, worker: GigWorker, now: datetime) -> list[GigOffer]:
    return list(
        session.scalars(
            select(GigOffer)
            .where(
                GigOffer.worker_id == worker.id,
                GigOffer.status == OfferStatus.OFFERED,
                GigOffer.expires_at > now,
            )
            .order_by(GigOffer.expires_at)
        )
    )


def _past_offers(session: Session, worker: GigWorker, now: datetime) -> list[GigOffer]:
    return list(
        session.scalars(
            select(GigOffer)
            .where(
                GigOffer.worker_id == worker.id,
                or_(GigOffer.status != OfferStatus.OFFERED, GigOffer.expires_at <= now),
            )
            .order_by(GigOffer.offered_at.desc())
            .limit(50)
        )
    )


def _place_names(session: Session, offers: list[GigOffer]) -> dict[str, str]:
    codes = {o.request.place_code for o in offers if o.request.place_code}
    if not codes:
        return {}
    return dict(session.execute(select(Place.code, Place.name).where(Place.code.in_(codes))).all())


def seconds_left(offer: GigOffer, now: datetime) -> int:
    return max(0, int((offer.expires_at - now).total_seconds()))


@bp.get("/offers")
@role_required(Role.SEEKER)
def offers() -> str:
    """My live offers with their countdown, then my bookings and past offers."""
    session = db_session()
    worker = _own_worker(session, _user())
    now = utcnow()
    live = _live_offers(session, worker, now) if worker else []
    past = _past_offers(session, worker, now) if worker else []
    return render_template(
        "gigs/offers.html",
        worker=worker,
        live=live,
        past=past,
        clashed=services.declined_for_a_clash(session, past),
        # whom to call: only on this worker's accepted jobs, and only until the job is over
        contacts={
            offer.id: services.requester_contact(session, offer.request)
            for offer in past
            if offer.status == OfferStatus.ACCEPTED and offer.request.not_over(now)
        },
        place_names=_place_names(session, live + past),
        now=now,
        seconds_left=seconds_left,
        refresh=REFRESH_SECONDS,
    )


@bp.post("/offers/<int:offer_id>/<any(accept, decline, withdraw):action>")
@role_required(Role.SEEKER, Role.STAFF)
def answer_offer(offer_id: int, action: str) -> Response:
    """Accept, decline or withdraw: the worker, or service-point staff for a walk-in worker."""
    session = db_session()
    user = _user()
    _offer_for(session, offer_id, user)
    client = _client()
    try:
        if action == "accept":
            accepted = services.accept_offer(
                session, client, offer_id, actor=user, policy=_policy()
            )
            if user.role == Role.SEEKER:
                message = (
                    "接单成功！请按时到岗。发布人的联系方式见“已接的活”，发布人也会看到您的电话。"
                )
            else:
                # a walk-in has no page of their own: staff tell them whom to call
                name, phone = services.requester_contact(session, accepted.request)
                message = (
                    f"已代为接单。请告诉零工：联系人 {name or '发布人'}，"
                    f"电话 {phone or '见用工需求'}；发布人也会看到零工的电话。"
                )
        elif action == "decline":
            services.decline_offer(session, client, offer_id, actor=user, policy=_policy())
            message = "已拒绝这个派单"
        else:
            services.withdraw(session, client, offer_id, actor=user, policy=_policy())
            message = "已退出，名额已让给其他人"
    except DomainError as error:  # HireConflict carries the reason: expired, full, overlapping
        session.rollback()
        flash(f"没有成功：{error.message}", "error")
    else:
        flash(message, "success")
    return _back(url_for("gigs.offers"))


# ---- requests --------------------------------------------------------------------------------


def _post(session: Session, user: User, form: RequestForm, desk: bool) -> GigRequest | None:
    """Post from a validated form; on refusal, the service's reason is flashed."""
    starts_at = _utc(form.work_date.data, form.start_time.data)
    fields: dict[str, Any] = {}
    if desk:
        fields = {
            "service_point_id": user.service_point_id,
            "contact_name": form.contact_name.data,
            "contact_phone": form.contact_phone.data,
            "on_behalf_note": f"代办：{user.display_name}",
        }
    try:
        return services.post_request(
            session,
            _client(),
            title=form.title.data,
            description=form.description.data or "",
            starts_at=starts_at,
            ends_at=_utc(form.work_date.data, form.end_time.data),
            pay_amount=form.pay_amount.amount(),
            pay_unit=form.pay_unit.data,
            headcount=form.headcount.data,
            skills=list(form.skills.data or []),
            place_code=form.place.data,
            address=form.address.data or None,
            urgent=bool(form.urgent.data),
            actor=user,
            policy=_policy(),
            **fields,
        )
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return None


def _request_page(desk: bool) -> Response | str:
    session = db_session()
    user = _user()
    form = DeskRequestForm() if desk else RequestForm()
    under = None
    if desk and user.service_point is not None:
        under = user.service_point.place_code
    form.place.choices = place_choices(session, under)
    if form.validate_on_submit():
        gig = _post(session, user, form, desk)
        if gig is not None:
            # what dispatch did, in the words the status page shows (widened, or nobody yet)
            said = f"已发布。{gig.dispatch_note}" if gig.dispatch_note else "已发布"
            if gig.urgent and not gig.dispatch_note:
                said += "，正在派单给附近的零工"
            flash(said, "success")
            return redirect(url_for("gigs.request_status", request_id=gig.id), code=303)
    return render_template("gigs/request_form.html", form=form, desk=desk)


@bp.route("/requests/new", methods=["GET", "POST"])
@role_required(*REQUESTERS)
def new_request() -> Response | str:
    return _request_page(desk=False)


@bp.get("/requests")
@role_required(*REQUESTERS)
def my_requests() -> str:
    session = db_session()
    user = _user()
    mine = list(
        session.scalars(
            select(GigRequest)
            .where(GigRequest.requester_user_id == user.id)
            .order_by(GigRequest.starts_at.desc())
            .limit(100)
        )
    )
    return render_template("gigs/requests.html", requests=mine, title="我发布的用工需求")


def _status_counts(gig: GigRequest, offers: list[GigOffer], now: datetime) -> dict[str, int]:
    counts = {str(status): 0 for status in OfferStatus}
    for offer in offers:
        status = offer.status
        if status == OfferStatus.OFFERED and offer.expires_at <= now:
            status = OfferStatus.EXPIRED  # the sweep has not run yet; it is past its deadline
        counts[status] += 1
    counts["hired"] = counts[OfferStatus.ACCEPTED] + counts[OfferStatus.COMPLETED]
    return counts


@bp.get("/requests/<int:request_id>")
@role_required(*REQUESTERS)
def request_status(request_id: int) -> str:
    """The requester's (or covering staff's) live view of a request."""
    session = db_session()
    user = _user()
    gig = _request_for(session, request_id, user)
    now = utcnow()
    offers = list(
        session.scalars(select(GigOffer).where(GigOffer.request_id == gig.id).order_by(GigOffer.id))
    )
    hired = [o for o in offers if o.status in (OfferStatus.ACCEPTED, OfferStatus.COMPLETED)]
    rated = set(
        session.scalars(
            select(GigRating.worker_id).where(
                GigRating.request_id == gig.id,
                GigRating.direction == RatingDirection.REQUESTER_TO_WORKER,
            )
        )
    )
    live = gig.status in LIVE_REQUEST_STATUSES
    counts = _status_counts(gig, offers, now)
    complete_form = CompleteForm()
    complete_form.no_shows.choices = [
        (o.worker_id, o.worker.seeker.name) for o in hired if o.status == OfferStatus.ACCEPTED
    ]
    return render_template(
        "gigs/request.html",
        gig=gig,
        place=session.get(Place, gig.place_code) if gig.place_code else None,
        counts=counts,
        hired=hired,
        rated=rated,
        # the requester needs the number to meet the worker; everyone else sees it masked
        show_phones=gig.requester_user_id == user.id,
        live=live,
        can_cancel=live,
        # by hand only when nobody is still deciding (waves follow declines by themselves)
        can_dispatch=live
        and gig.status == RequestStatus.OPEN
        and gig.starts_at > now
        and not counts[OfferStatus.OFFERED],
        can_complete=live and now >= gig.starts_at and bool(complete_form.no_shows.choices),
        complete_form=complete_form,
        refresh=REFRESH_SECONDS if live else None,
    )


@bp.post("/requests/<int:request_id>/<any(cancel, dispatch, complete):action>")
@role_required(*REQUESTERS)
def act_on_request(request_id: int, action: str) -> Response:
    session = db_session()
    user = _user()
    _request_for(session, request_id, user)
    client = _client()
    try:
        if action == "cancel":
            services.cancel_request(session, client, request_id, actor=user)
            message = "已取消，已接单的零工会看到取消"
        elif action == "dispatch":
            # no actor parameter on dispatch: _request_for above is its permission check
            report = services.dispatch(session, client, request_id, policy=_policy())
            message = (
                f"已派单给 {len(report.offered)} 人"
                if report.offered
                else (report.note or "暂时没有新的人可派")
            )
        else:
            no_shows = [int(v) for v in request.form.getlist("no_shows") if v.isdigit()]
            services.complete(session, client, request_id, no_shows=no_shows, actor=user)
            message = "已确认完工，请给干活的人打个分"
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for("gigs.request_status", request_id=request_id), code=303)


@bp.post("/requests/<int:request_id>/rate/<int:worker_id>")
@role_required(*REQUESTERS)
def rate_worker(request_id: int, worker_id: int) -> Response:
    session = db_session()
    user = _user()
    _request_for(session, request_id, user)
    form = RatingForm()
    if not form.validate():
        flash("请选择 1 到 5 分", "error")
    else:
        try:
            services.rate(
                session,
                request_id,
                worker_id,
                RatingDirection.REQUESTER_TO_WORKER,
                int(form.score.data),
                comment=form.comment.data or None,
                actor=user,
            )
        except DomainError as error:
            session.rollback()
            flash(error.message, "error")
        else:
            flash("谢谢评价", "success")
    return redirect(url_for("gigs.request_status", request_id=request_id), code=303)


# ---- the service-point desk ------------------------------------------------------------------


def _point_filter(user: User) -> Any:
    """Requests the desk lists: those its staff posted or that lie under its place."""
    point = user.service_point
    if point is None:
        return GigRequest.requester_user_id == user.id
    return or_(
        GigRequest.service_point_id == point.id,
        GigRequest.requester_user_id == user.id,
        GigRequest.place_code.startswith(point.place_code),
    )


DESK_WORKERS = 50  # walk-ins listed at once, newest first; the rest are found by name or phone


def _walk_ins_matching(points: dict[int, str], who: str) -> Select[GigWorker]:
    """Walk-in workers registered at these points; `who`: a name's part, or a phone's last
    digits (four or more)."""
    query = select(GigWorker).where(GigWorker.registered_by_point_id.in_(points))
    if who:
        query = query.join(SeekerProfile, SeekerProfile.id == GigWorker.seeker_id)
        if who.isdigit() and len(who) >= 4:
            query = query.where(SeekerProfile.phone.endswith(who, autoescape=True))
        else:
            query = query.where(SeekerProfile.name.contains(who, autoescape=True))
    return query


@bp.get("/desk")
@role_required(Role.STAFF)
def desk() -> str:
    session = db_session()
    user = _user()
    now = utcnow()
    requests_here = list(
        session.scalars(
            select(GigRequest)
            .where(_point_filter(user))
            .order_by(GigRequest.starts_at.desc())
            .limit(50)
        )
    )
    who = (request.args.get("who") or "").strip()[:20]
    walk_ins: list[GigWorker] = []
    total = 0
    points: dict[int, str] = {}
    point = user.service_point
    if point is not None:
        # this point's and those under it (a village's kiosk or desk under its town's)
        under = session.execute(
            select(ServicePoint.id, ServicePoint.name).where(
                ServicePoint.place_code.startswith(point.place_code)
            )
        )
        points = {point_id: name for point_id, name in under}
        here = _walk_ins_matching(points, who)
        total = int(session.scalar(select(func.count()).select_from(here.subquery())) or 0)
        walk_ins = list(session.scalars(here.order_by(GigWorker.id.desc()).limit(DESK_WORKERS)))
    return render_template(
        "gigs/desk.html",
        point=user.service_point,
        requests=requests_here,
        walk_ins=walk_ins,
        who=who,
        total=total,
        # where each was registered, when not at this desk's point
        registered_at={
            w.id: points[w.registered_by_point_id]
            for w in walk_ins
            if w.registered_by_point_id in points
            and w.registered_by_point_id != user.service_point_id
        },
        live={w.id: _live_offers(session, w, now) for w in walk_ins},
        now=now,
        seconds_left=seconds_left,
    )


@bp.route("/desk/workers/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def desk_worker() -> Response | str:
    """代办: register a walk-in worker (no account: name and phone)."""
    session = db_session()
    user = _user()
    form = WalkInWorkerForm()
    point = user.service_point
    form.place.choices = place_choices(session, point.place_code if point else None)
    if form.validate_on_submit():
        try:
            # in person at the desk, staff may correct the name a phone was registered under,
            # once they confirm it is the same person (a mistyped digit must not rename anyone)
            profile = services.walk_in_profile(
                session,
                user.service_point_id,
                form.name.data,
                form.phone.data,
                form.place.data,
                correct_name=bool(form.correct_name.data),
                actor=user,
            )
            services.register_worker(
                session,
                _client(),
                profile.id,
                registered_by_point_id=user.service_point_id,
                actor=user,
                on_behalf_note=f"代办：{user.display_name}",
                **_availability(form),
            )
        except services.NameDiffers as differs:
            session.rollback()
            flash(
                f"这个手机号已在本站登记为“{differs.former}”：请核对手机号；确是同一人要更正姓名的，"
                "请勾选“确认是同一人”后再提交",
                "error",
            )
        except DomainError as error:
            session.rollback()
            flash(error.message, "error")
        else:
            flash(f"已为 {form.name.data} 登记零工信息（代办：{user.display_name}）", "success")
            return redirect(url_for("gigs.desk"), code=303)
    return render_template(
        "gigs/worker_form.html", form=form, worker=None, phone=None, walk_in=True
    )


@bp.route("/desk/requests/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def desk_request() -> Response | str:
    """代办: post a request for a villager at the service point."""
    return _request_page(desk=True)
