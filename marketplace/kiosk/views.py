"""Kiosk mode for shared touch terminals at service points (/kiosk).

A terminal is enrolled once with a device token and then holds a signed, HttpOnly device
cookie (it names a device, never a person). Every kiosk page needs an active device; a
terminal with the cookie reaches no staff or employer pages. Nothing personal is cached: every
kiosk response is no-store, and the Flask session is cleared after each walk-in flow and by
the idle reset.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import redis
import segno
from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from indexer.geo import distance_km
from marketplace.accounts.auth import role_required, signed_in_user
from marketplace.accounts.models import KioskDevice, Role, User
from marketplace.accounts.services import mask_phone
from marketplace.database import db_session, utcnow
from marketplace.errors import DomainError, Forbidden, NotFound, ServiceUnavailable
from marketplace.extensions import get_redis, redis_configured
from marketplace.gigs import services as gigs
from marketplace.gigs.dispatch import DispatchPolicy, reach_words
from marketplace.gigs.models import SKILLS, GigOffer, GigRequest, GigWorker
from marketplace.gigs.records import QUEUE_DOWN

# the job page's wording of a posting's place (private there; to move to jobs.display)
from marketplace.jobs.display import pay_in_words, place_words
from marketplace.jobs.models import Job, JobStatus
from marketplace.kiosk import services
from marketplace.kiosk.forms import DeviceForm, EnrollForm, KioskRequestForm, KioskWorkerForm
from marketplace.localtime import LOCAL_OFFSET, day_and_time, local_date
from marketplace.places.models import Place, ServicePoint
from marketplace.search.engine import get_search

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

COOKIE = "jiuye_kiosk"
COOKIE_SALT = "kiosk-device"
# browsers cap cookie lifetimes at 400 days; staff re-enrol a terminal after that
COOKIE_DAYS = 400
# where a kiosk terminal may not go (staff, employer and desk pages), however it got the link
# nobody signs in on a shared terminal: its pages are for browsing and the kiosk's own forms
BLOCKED_PREFIXES = (
    "/staff",
    "/employer",
    "/gigs/desk",
    "/api/v1/employer",
    "/kiosk/devices",
    "/login",
    "/signup",
    "/profile",
    "/me",
    "/api/v1/session",
)
# kiosk endpoints that need no enrolled device
OPEN_ENDPOINTS = {"kiosk.enroll", "kiosk.ping", "kiosk.devices", "kiosk.deactivate"}
# picture for each skill tag (emoji: no image requests); tags without one get a tool
SKILL_ICONS = {
    "搬运": "📦",
    "保洁": "🧹",
    "采摘": "🍎",
    "水产加工": "🐟",
    "装卸": "🚚",
    "家政": "🏠",
    "瓦工": "🧱",
    "电焊": "🔥",
    "厨工": "🍳",
    "看护": "🤝",
    "绿化": "🌳",
    "木工": "🪚",
    "水电维修": "🔧",
    "油漆工": "🖌️",
    "养殖": "🐄",
    "渔网修补": "🎣",
    "驾驶": "🚗",
    "服务员": "🍵",
}
DONE_KEY = "kiosk_done"


# ---- the device cookie -----------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key or "", salt=COOKIE_SALT)


def _cookie_claim() -> tuple[int, str] | None:
    """(device id, token hash) from a validly signed device cookie, else None (no DB read)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return value[0], str(value[1])


def _set_device_cookie(response: Response, device: KioskDevice) -> None:
    response.set_cookie(
        COOKIE,
        _serializer().dumps([device.id, device.token_hash]),
        max_age=int(timedelta(days=COOKIE_DAYS).total_seconds()),
        httponly=True,
        samesite="Strict",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        path="/",  # the guard below must see it on /staff and /employer too
    )


def _device() -> KioskDevice:
    device: KioskDevice = g.kiosk_device
    return device


@bp.before_app_request
def _keep_kiosks_out_of_staff_pages() -> Response | None:
    """A terminal with a device cookie gets a friendly 403 on staff, employer and sign-in
    pages: what a seeker does there stays in no session on the shared screen."""
    path = request.path
    if not any(path == p or path.startswith(p + "/") for p in BLOCKED_PREFIXES):
        return None
    if _cookie_claim() is None:
        return None
    return _no_store(make_response(render_template("kiosk/blocked.html"), 403))


@bp.before_request
def _require_device() -> Response | None:
    if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None
    claim = _cookie_claim()
    device = services.active_device(db_session(), *claim) if claim else None
    if device is None:
        return redirect(url_for("kiosk.enroll"), code=303)
    g.kiosk_device = device
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    # a shared terminal: no page of it may be kept by the browser or a proxy
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    # the address goes to no other site; our own forms need it: over HTTPS the CSRF check
    # refuses a post without a same-origin Referer (no-referrer broke every kiosk form there)
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.context_processor
def _kiosk_context() -> dict[str, Any]:
    return {
        "skill_icons": SKILL_ICONS,
        "point": getattr(g, "kiosk_device", None) and g.kiosk_device.service_point,
    }


# ---- enrolment and the staff's device pages --------------------------------------------------


@bp.route("/enroll", methods=["GET", "POST"])
def enroll() -> Response | str:
    """Enrol this terminal with the token staff generated (or open /kiosk/enroll?token=...)."""
    form = EnrollForm()
    if request.method == "GET" and request.args.get("token"):
        form.token.data = request.args["token"][:40]
    problem = None
    if form.validate_on_submit():
        try:
            device = services.enroll(db_session(), form.token.data)
        except DomainError as error:
            db_session().rollback()
            problem = error.message
        else:
            session.clear()
            response = redirect(url_for("kiosk.home"), code=303)
            _set_device_cookie(response, device)
            return response
    return render_template("kiosk/enroll.html", form=form, problem=problem)


def _staff() -> User:
    user = signed_in_user()
    if user is None:  # role_required has run
        raise Forbidden("请先登录")
    return user


@bp.route("/devices", methods=["GET", "POST"])
@role_required(Role.STAFF)
def devices() -> str:
    """Staff: register a terminal for a service point (its token shown once) and list them."""
    database = db_session()
    user = _staff()
    form = DeviceForm()
    points = services.points_for(database, user)
    form.service_point.choices = [(p.id, p.name) for p in points]
    created = token = problem = None
    if form.validate_on_submit():
        try:
            created, token = services.create_device(
                database, user, form.name.data, form.service_point.data
            )
        except DomainError as error:
            database.rollback()
            problem = error.message
    return render_template(
        "kiosk/devices.html",
        form=form,
        devices=services.devices_for(database, user),
        created=created,
        token=services.grouped(token) if token else None,
        enroll_url=url_for("kiosk.enroll", token=token, _external=True) if token else None,
        problem=problem,
    )


@bp.post("/devices/<int:device_id>/deactivate")
@role_required(Role.STAFF)
def deactivate(device_id: int) -> Response:
    services.deactivate_device(db_session(), _staff(), device_id)
    return redirect(url_for("kiosk.devices"), code=303)


# ---- screens everyone at the terminal uses ---------------------------------------------------


@bp.get("/ping")
def ping() -> Response:
    """A tiny answer for kiosk.js to tell a weak link from a dead one."""
    return Response(status=204)


@bp.get("/reset")
def reset() -> Response:
    """Idle or 重新开始: forget this visit (the device cookie is not in the session)."""
    session.clear()
    return redirect(url_for("kiosk.home"), code=303)


@bp.get("/")
def home() -> str:
    return render_template("kiosk/home.html")


@bp.get("/work")
def work() -> str:
    """附近的工作: postings and open odd jobs near this service point, nearest first."""
    items, searched = services.nearby_work(get_search(), db_session(), _device().service_point)
    return render_template("kiosk/work.html", items=items, searched=searched, only_gigs=False)


@bp.get("/gigs")
def gigs_near() -> str:
    """我要找零工活: open odd jobs near here, and registering to be offered them."""
    where = services.point_of(_device().service_point)
    items = services.nearby_gigs(db_session(), where)
    return render_template("kiosk/work.html", items=items, searched=True, only_gigs=True)


def _qr(url: str) -> str:
    """The URL as an inline SVG QR code (no image request, prints sharp at any size)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, omitsize=True, svgclass="qr"))


def _published_job(job_id: int) -> Job:
    job = db_session().get(Job, job_id)
    if job is None or job.status != JobStatus.PUBLISHED:
        raise NotFound("这个职位已下线或不存在")
    return job


def _gig_place_words(code: str | None) -> str:
    place = db_session().get(Place, code) if code else None
    return place.name if place is not None else ""


def _km(lat: float | None, lng: float | None) -> float | None:
    where = services.point_of(_device().service_point)
    if where is None or lat is None or lng is None:
        return None
    return distance_km(where.lat, where.lng, lat, lng)


def _job_facts(job: Job) -> dict[str, Any]:
    url = url_for("jobs.detail", job_id=job.id, _external=True)
    return {
        "kind": "job",
        "id": job.id,
        "title": job.title,
        "who": job.employer.name if job.employer else "",
        "pay": pay_in_words(job),
        # the public job page's own words for the place (one wording for both screens)
        "where": place_words(db_session(), job),
        "distance": services.distance_words(_km(job.lat, job.lng)),
        "when": None,
        "headcount": job.headcount,
        "text": (job.description or "")[:400],
        "url": url,
        "qr": _qr(url),
    }


def _open_gig(request_id: int) -> GigRequest:
    return gigs.open_request(db_session(), request_id)


def _gig_facts(gig: GigRequest) -> dict[str, Any]:
    where = _gig_place_words(gig.place_code)
    if gig.address:
        where = f"{where} {gig.address}".strip()
    ends = gig.ends_at + LOCAL_OFFSET
    # the public odd-job page (opens on any phone), as a job's slip links to /jobs/<id>
    url = url_for("gigs.public_request", request_id=gig.id, _external=True)
    return {
        "kind": "gig",
        "id": gig.id,
        "title": gig.title,
        "who": gigs.requester_label(db_session(), gig),
        "pay": services.gig_pay_words(gig),
        "where": where or "地点未注明",
        "distance": services.distance_words(_km(gig.lat, gig.lng)),
        "when": f"{day_and_time(gig.starts_at, utcnow())}–{ends:%H:%M}",
        "headcount": gig.headcount,
        "text": gig.description or "",
        "url": url,
        "qr": _qr(url),
    }


def _speech(facts: dict[str, Any]) -> str:
    """What 朗读 reads: the facts in a sentence or two."""
    parts = [facts["title"], facts["who"], facts["pay"], f"地点：{facts['where']}"]
    if facts["when"]:
        parts.append(f"时间：{facts['when']}")
    if facts["distance"]:
        parts.append(f"离服务站{facts['distance']}")
    parts.append("详情请到服务站咨询")
    return "。".join(p for p in parts if p)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> str:
    facts = _job_facts(_published_job(job_id))
    return render_template("kiosk/detail.html", facts=facts, speech=_speech(facts))


@bp.get("/gigs/<int:request_id>")
def gig(request_id: int) -> str:
    facts = _gig_facts(_open_gig(request_id))
    return render_template("kiosk/detail.html", facts=facts, speech=_speech(facts))


def _slip(facts: dict[str, Any]) -> str:
    paper = "receipt" if request.args.get("paper") == "receipt" else "a5"
    return render_template("kiosk/slip.html", facts=facts, paper=paper)


@bp.get("/jobs/<int:job_id>/slip")
def job_slip(job_id: int) -> str:
    return _slip(_job_facts(_published_job(job_id)))


@bp.get("/gigs/<int:request_id>/slip")
def gig_slip(request_id: int) -> str:
    return _slip(_gig_facts(_open_gig(request_id)))


# ---- walk-in flows (a staff member or the person is at the terminal) -------------------------


def _client() -> redis.Redis:
    if not redis_configured():
        raise ServiceUnavailable(QUEUE_DOWN)
    return get_redis()


def _place_choices(point: ServicePoint) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in services.places_here(db_session(), point)]


@bp.route("/workers/new", methods=["GET", "POST"])
def new_worker() -> Response | str:
    """登记找工作: a walk-in odd-job worker in one screen (name and phone typed, rest touched)."""
    database = db_session()
    device = _device()
    form = KioskWorkerForm()
    choices = _place_choices(device.service_point)
    form.place.choices = choices
    if request.method == "GET" and len(choices) == 1:
        form.place.data = choices[0][0]
    problem = None
    if form.validate_on_submit():
        _label, start, until = services.SHIFTS.get(form.shift.data, services.SHIFTS["all"])
        try:
            profile = gigs.walk_in_profile(
                database, device.service_point_id, form.name.data, form.phone.data, form.place.data
            )
            worker = gigs.register_worker(
                database,
                _client(),
                profile.id,
                skills=list(form.skills.data or []),
                place_code=form.place.data,
                days="".join(form.days.data or []),
                available_from=start,
                available_until=until,
                keep_rate=True,
                registered_by_point_id=device.service_point_id,
            )
        except DomainError as error:
            database.rollback()
            problem = error.message
        else:
            session.clear()
            session[DONE_KEY] = ["worker", worker.id]
            return redirect(url_for("kiosk.worker_done", worker_id=worker.id), code=303)
    return render_template(
        "kiosk/worker_form.html", form=form, choices=choices, skills=SKILLS, problem=problem
    )


def _done(kind: str, ident: int) -> None:
    """The confirmation is shown once, to the terminal that just did it; then the visit ends."""
    if session.get(DONE_KEY) != [kind, ident]:
        raise NotFound("这个页面已过期")
    session.clear()


@bp.get("/workers/<int:worker_id>/done")
def worker_done(worker_id: int) -> str:
    _done("worker", worker_id)
    worker = db_session().get(GigWorker, worker_id)
    if worker is None:
        raise NotFound("没有这个登记")
    return render_template(
        "kiosk/worker_done.html",
        phone=mask_phone(worker.seeker.phone),
        skills=sorted(worker.skill_set, key=SKILLS.index),
    )


def _day_choices() -> list[tuple[str, str]]:
    today = local_date(utcnow())
    names = ("今天", "明天", "后天")
    return [
        (
            (today + timedelta(days=n)).isoformat(),
            f"{names[n]}（{today + timedelta(days=n):%m月%d日}）",
        )
        for n in range(3)
    ]


# touch choices for the request screen: start and end hours, headcount, pay per day
START_TIMES = ("07:00", "08:00", "09:00", "13:00", "14:00")
END_TIMES = ("11:00", "12:00", "17:00", "18:00", "20:00")
HEADCOUNTS = (1, 2, 3, 5, 10)
DAY_RATES = (150, 200, 250, 300)


@bp.route("/requests/new", methods=["GET", "POST"])
def new_request() -> Response | str:
    """我要招人: post an odd job for a villager; 即时快招 dispatches it at once."""
    database = db_session()
    device = _device()
    form = KioskRequestForm()
    choices = _place_choices(device.service_point)
    form.place.choices = choices
    if request.method == "GET":
        form.urgent.data = True
        if len(choices) == 1:
            form.place.data = choices[0][0]
    problem = None
    if form.validate_on_submit():
        try:
            gig = gigs.post_request(
                database,
                _client(),
                title=form.work_title(),
                description=form.description.data or "",
                starts_at=_utc(form.work_date.data, form.start_time.data),
                ends_at=_utc(form.work_date.data, form.end_time.data),
                pay_amount=form.pay_amount.amount(),
                pay_unit=form.pay_unit.data,
                headcount=form.headcount.data,
                skills=list(form.skills.data or []),
                place_code=form.place.data,
                address=form.address.data or None,
                urgent=bool(form.urgent.data),
                service_point_id=device.service_point_id,
                contact_name=form.contact_name.data,
                contact_phone=form.contact_phone.data,
                policy=DispatchPolicy.from_config(current_app.config),
            )
        except DomainError as error:
            database.rollback()
            problem = error.message
        else:
            session.clear()
            session[DONE_KEY] = ["request", gig.id]
            return redirect(url_for("kiosk.request_done", request_id=gig.id), code=303)
    return render_template(
        "kiosk/request_form.html",
        form=form,
        choices=choices,
        skills=SKILLS,
        days=_day_choices(),
        start_options=[(t, t) for t in START_TIMES],
        end_options=[(t, t) for t in END_TIMES],
        headcount_options=[(str(n), f"{n} 人") for n in HEADCOUNTS],
        rate_options=[(str(r), f"{r} 元") for r in DAY_RATES],
        reach=reach_words(),
        problem=problem,
    )


def _utc(day: date, at: time) -> datetime:
    """A Weihai local date and time → naive UTC."""
    return datetime.combine(day, at) - LOCAL_OFFSET


@bp.get("/requests/<int:request_id>/done")
def request_done(request_id: int) -> str:
    _done("request", request_id)
    database = db_session()
    gig = database.get(GigRequest, request_id)
    if gig is None:
        raise NotFound("没有这个用工需求")
    offered = database.scalar(
        select(func.count()).select_from(GigOffer).where(GigOffer.request_id == gig.id)
    )
    return render_template(
        "kiosk/request_done.html",
        gig=gig,
        offered=offered or 0,
        phone=mask_phone(gig.contact_phone),
    )
