"""Recommended candidates for an employer's job: the ranker's features turned around.

Each pooled seeker is the query side (their desired job's words, their home, pay, education,
experience, kind, occupation and skills) and the job is the one candidate posting: one
feature row per seeker, one `featurize_pairs` call for the pool. The trained ranker orders
them when the instance has a model, a transparent weighted sum of the same features otherwise.

Privacy: the employer sees a masked name and no contact details (`Candidate.masked_name`)
until the seeker applies; then they are in the applicant list and out of this one. The profile
has no "do not recommend me" flag yet; when it gets one, `candidate_pool` must filter on it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, case, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from indexer.queries import words_query
from indexer.tokenizer import Tokenizer
from marketplace.errors import Conflict, NotFound
from marketplace.jobs.models import Job, JobStatus
from marketplace.places.models import Place
from marketplace.search.engine import SearchHolder, job_record
from marketplace.search.ranking import candidate as posting_candidate
from marketplace.search.ranking import whole_words
from marketplace.seekers.models import Application, Invitation, SeekerProfile
from marketplace.seekers.recommend import seeker_context, skill_tags
from matching import features
from matching.explain import Wording, reasons
from matching.features import FEATURE_NAMES, QueryContext, featurize_pairs
from matching.ranker import model_scores

log = logging.getLogger(__name__)

MAX_CANDIDATES = 20
# how many profiles the database pre-selects (most signals first) before they are scored here
CANDIDATE_POOL = 500
# bounds on the prefilter's LIKE conditions (title words, the job's skill tags)
MAX_TITLE_WORDS = 8
MAX_SKILL_TAGS = 10

# The fallback without a model: a fit adds its weight times the feature's value (occupation 1
# for the same code, 0.5 for the same 中类; shares for skills and title), a miss or an unknown
# adds nothing. The work itself (occupation, skills, desired job) outweighs where and for how
# much, as an employer reads a profile; closeness is 1 at home and 0 at CLOSE_KM or beyond.
FALLBACK_WEIGHTS: dict[str, float] = {
    "occupation_match": 3.0,
    "skill_overlap": 2.0,
    "title_coverage": 2.0,
    "title_exact_phrase": 1.0,
    "distance_km": 1.5,  # through closeness
    "salary_fit": 1.0,
    "education_fit": 0.5,
    "experience_fit": 0.5,
    "kind_match": 0.5,
}
CLOSE_KM = 50.0

# The employer's reading of a row: what the seeker wants and has, where they live. The
# posting's own qualities (recency, key enterprise, verified) say nothing about a person.
EMPLOYER_WORDING = Wording(
    title_exact="期望职位与本职位一致",
    title_words="期望职位与职位名称相近",
    occupation="期望职业与本职位一致",
    occupation_near="期望职业与本职位同属一类",
    distance="家距此 {km:.1f} 公里",
    place=None,
    salary="期望薪资在本职位范围内",
    skills="具备本职位所需的技能",
    education="学历符合要求",
    experience="工作经验符合要求",
    kind="期望的工作类型相符",
    recency=False,
    key_enterprise=None,
    verified=None,
    # the work first: occupation, skills, then home and pay
    weights={"occupation": 1.0, "skills": 0.97, "title_exact": 0.8, "title_words": 0.7},
)


def mask_name(name: str | None) -> str:
    """'王小明' → '王**': enough to tell candidates apart, not to find them."""
    if not name:
        return "**"
    return f"{name.strip()[:1]}**"


def split_tags(raw: str | None) -> list[str]:
    return [tag.strip() for tag in (raw or "").split(",") if tag.strip()]


@dataclass
class Candidate:
    profile: SeekerProfile
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def masked_name(self) -> str:
        return mask_name(self.profile.name)


@dataclass(frozen=True)
class Recommendation:
    candidates: list[Candidate]
    by_model: bool  # ordered by the trained ranker (else by FALLBACK_WEIGHTS)


def _signals(job: Job, tokenizer: Tokenizer) -> list[ColumnElement[bool]]:
    """Work-related reasons to look at a profile at all (home county and pay alone are not)."""
    desired = SeekerProfile.desired_job
    signals: list[ColumnElement[bool]] = []
    if job.occupation_code:
        signals.append(SeekerProfile.desired_occupation_code == job.occupation_code)
        parts = job.occupation_code.split("-")
        if len(parts) > 2:  # the same 中类 (6-18 of 6-18-02-04)
            prefix = "-".join(parts[:2]) + "-"
            signals.append(SeekerProfile.desired_occupation_code.startswith(prefix))
    # the desired job within the title (焊工 in 船舶电焊工) or the title within it
    signals.append(literal(job.title).contains(desired) & (desired != ""))
    signals.append(desired.contains(job.title, autoescape=True))
    # a word of the title within the desired job (船舶 of 船舶电焊工 in 船舶装配工)
    words = [word for word in dict.fromkeys(tokenizer.tokenize(job.title)) if len(word) > 1]
    for word in words[:MAX_TITLE_WORDS]:
        signals.append(desired.contains(word, autoescape=True))
    for tag in split_tags(job.skills)[:MAX_SKILL_TAGS]:
        signals.append(SeekerProfile.skills.contains(tag, autoescape=True))
    return signals


def candidate_pool(session: Session, job: Job, tokenizer: Tokenizer) -> list[SeekerProfile]:
    """Profiles with some work signal for the job, not yet applied to it (at most CANDIDATE_POOL).

    Those with the most signals come first, then the most recently updated, so that the bound
    cuts the weakest.
    """
    signals = _signals(job, tokenizer)
    strength = sum((case((signal, 1), else_=0) for signal in signals), literal(0))
    # withdrawn applications too: the seeker has seen the job and decided
    applied = select(Application.seeker_id).where(Application.job_id == job.id)
    return list(
        session.scalars(
            select(SeekerProfile)
            .where(
                or_(*signals),
                SeekerProfile.id.not_in(applied),
                SeekerProfile.open_to_employers.is_(True),
            )
            .order_by(strength.desc(), SeekerProfile.updated_at.desc(), SeekerProfile.id.desc())
            .limit(CANDIDATE_POOL)
        )
    )


def _load_home_places(session: Session, profiles: Sequence[SeekerProfile]) -> list[Place]:
    """One query for the villages and towns of homes without their own point.

    `home_point` then finds them in the session's identity map instead of asking per profile;
    the caller keeps the returned list alive while it does (the map holds weak references).
    """
    codes = {
        code
        for profile in profiles
        if profile.lat is None or profile.lng is None
        for code in (profile.home_village_code, profile.home_town_code)
        if code
    }
    if not codes:
        return []
    return list(session.scalars(select(Place).where(Place.code.in_(codes))))


def _query(holder: SearchHolder, session: Session, profile: SeekerProfile) -> QueryContext:
    """The seeker as the query side: their desired job's words (else their skills), wishes."""
    tokenizer = holder.tokenizer
    text = (profile.desired_job or "").strip() or " ".join(skill_tags(profile))
    return QueryContext(
        words=tuple(dict.fromkeys(tokenizer.tokenize(text))),
        compact_text="".join(tokenizer.normalize(text).split()),
        # as a search for the desired job would read it: a compound heads, not its parts
        whole_words=whole_words(words_query(tokenizer.query_terms(text))),
        seeker=seeker_context(holder, session, profile),
    )


def text_match(words: Sequence[str], posting: features.Candidate) -> float:
    """The engine-score stand-in: 2 per desired word in the title, 1 per word elsewhere.

    No engine searches in this direction (the job is fixed, the seekers vary), so the features
    built on the engine's score (its value, share of the best, reciprocal rank) read this cheap
    match of the same tokens instead; a model trained on BM25 sees smaller raw values here,
    while the share and the rank are scale-free.
    """
    title = set(posting.title_words)
    return float(
        sum(2 if word in title else 1 if word in posting.words else 0 for word in set(words))
    )


def fallback_scores(rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """FALLBACK_WEIGHTS over the rows: Σ weight × value, NaN (unknown) counting as 0."""
    scores = np.zeros(len(rows), dtype=np.float64)
    for name, weight in FALLBACK_WEIGHTS.items():
        column = rows[:, FEATURE_NAMES.index(name)]
        if name == "distance_km":
            column = np.clip(1.0 - column / CLOSE_KM, 0.0, 1.0)
        scores += weight * np.nan_to_num(column, nan=0.0)
    return scores


def _wording(
    job: Job, profile: SeekerProfile, skill_words: frozenset[str], tokenizer: Tokenizer
) -> Wording:
    """The employer's wording, naming this seeker's desired job, occupation and shared skills."""
    shared = [tag for tag in skill_tags(profile) if skill_words & set(tokenizer.tokenize(tag))]
    return replace(
        EMPLOYER_WORDING,
        title_exact=f"期望职位：{profile.desired_job}" if profile.desired_job else None,
        occupation=f"期望职业：{job.occupation_name}"
        if job.occupation_name
        else EMPLOYER_WORDING.occupation,
        skills="具备技能：" + "、".join(shared[:3]) if shared else EMPLOYER_WORDING.skills,
    )


def recommended_candidates(
    holder: SearchHolder,
    session: Session,
    job: Job,
    now: datetime,
    limit: int = MAX_CANDIDATES,
) -> Recommendation:
    """Seekers who fit the job and have not applied to it, best first (at most `limit`)."""
    tokenizer = holder.tokenizer
    profiles = candidate_pool(session, job, tokenizer)
    if not profiles:
        return Recommendation([], by_model=False)
    places = _load_home_places(session, profiles)
    queries = [_query(holder, session, profile) for profile in profiles]
    del places  # every home is resolved: the identity map may let them go
    # the job's words are cut here, not read from the index: one posting, and no engine needed
    posting = posting_candidate(job_record(job), 0.0, 1, tokenizer)
    matches = [text_match(query.words, posting) for query in queries]
    # the stand-in engine order; ties keep the pool's (most signals, most recent first)
    engine_order = sorted(range(len(profiles)), key=lambda i: -matches[i])
    rank = {i: position for position, i in enumerate(engine_order, 1)}
    rows = featurize_pairs(
        [
            (query, replace(posting, engine_score=matches[i], engine_rank=rank[i]))
            for i, query in enumerate(queries)
        ],
        now,
    )
    model = model_scores(holder.ranker, rows)
    scores = model if model is not None else fallback_scores(rows)
    best = sorted(range(len(profiles)), key=lambda i: (-scores[i], rank[i]))[:limit]
    skill_words = frozenset(
        word for tag in split_tags(job.skills) for word in tokenizer.tokenize(tag)
    )
    log.debug("candidates for job_id=%s: pool %d, by %s", job.id, len(profiles), model is not None)
    return Recommendation(
        [
            Candidate(
                profiles[i],
                float(scores[i]),
                reasons(
                    rows[i], limit=3, wording=_wording(job, profiles[i], skill_words, tokenizer)
                ),
            )
            for i in best
        ],
        by_model=model is not None,
    )


def invited(session: Session, job: Job) -> set[int]:
    """The seekers invited to apply for the job (profile ids)."""
    return set(session.scalars(select(Invitation.seeker_id).where(Invitation.job_id == job.id)))


def candidate_token(secret: str, job_id: int, seeker_id: int) -> str:
    """An opaque name for a candidate on one job's list. The employer never sees profile ids:
    one id seen across jobs, each list saying how far from that job the person lives, would
    let an employer work out where they live."""
    message = f"invite:{job_id}:{seeker_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:24]


def invite(
    holder: SearchHolder,
    session: Session,
    job: Job,
    token: str,
    *,
    secret: str,
    user_id: int | None,
    now: datetime,
) -> Invitation:
    """Invite one of the job's recommended candidates (named by `candidate_token`) to apply
    (邀请投递); again: harmless.

    Only someone on the job's list now (a seeker who said no, or applied, or never fits is not
    found), and only for a published job. The employer learns nothing more of them: the
    seeker sees the job and decides whether to apply.
    """
    if job.status != JobStatus.PUBLISHED:
        raise Conflict("职位不在招聘中，不能邀请")
    shown = recommended_candidates(holder, session, job, now)
    seeker_id = next(
        (
            candidate.profile.id
            for candidate in shown.candidates
            if hmac.compare_digest(candidate_token(secret, job.id, candidate.profile.id), token)
        ),
        None,
    )
    if seeker_id is None:
        raise NotFound("没有这位推荐人选")
    existing = select(Invitation).where(
        Invitation.job_id == job.id, Invitation.seeker_id == seeker_id
    )
    invitation = session.scalar(existing)
    if invitation is not None:
        return invitation
    invitation = Invitation(
        job_id=job.id, seeker_id=seeker_id, invited_by_user_id=user_id, created_at=now
    )
    try:
        with session.begin_nested():
            session.add(invitation)
    except IntegrityError:  # the same invitation sent at the same moment from another tab
        found = session.scalar(existing)
        assert found is not None  # noqa: S101 - the unique constraint says it exists
        return found
    return invitation
