"""Training data from the interaction log: searches, outcomes, and position bias (pure).

A *search* is one browser session's search for one query text (normalised: NFKC, lower case,
spaces collapsed), however many pages or reloads it took. For each job a search showed, its
*grade* is the strongest outcome the log attributes to that search: hire 3 > apply 2 >
click 1 > shown only 0, and its *position* is where it was first shown (1-based, overall).

Position bias. People open what is near the top whether or not it is the best, so raw clicks
teach a model to copy the ranking that produced them. We estimate, from the log itself, how
likely a result at each position is to be looked at (its *examination propensity*) with the
position-based click model: P(positive at position k for query q, job d) = θ_k · γ_qd, where
θ_k is the chance that position k is examined and γ_qd the chance that job d is attractive
for query q once seen. Both are fitted by expectation-maximisation (Chuklin, Markov and de
Rijke, "Click Models for Web Search", 2015, §4; the propensity estimate of Wang et al.,
WSDM 2018, without its feature-based γ): the E step shares each non-positive between "not
examined" and "examined but not wanted", the M step re-counts. θ is then divided by θ_1 (so
position 1 has propensity 1), clipped to [PROPENSITY_FLOOR, 1], and a positive at position k
is weighted 1/θ_k when the ranker is fitted: it stands for the 1/θ_k people who would have
acted had they all seen it. Non-positives keep weight 1.

θ is only identified where the same job was shown for the same query at different positions
(the corpus and the model change between sessions). With a ranking that never moves, θ and γ
cannot be told apart; `Propensities.moved_pairs` reports how much evidence there was.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from matching.features import FEATURE_NAMES, Candidate, QueryContext, featurize

GRADES = {"click": 1, "apply": 2, "hire": 3}  # an impression alone is grade 0
PROPENSITY_FLOOR = 0.05  # a weight of at most 20: one lucky deep click must not swamp the rest
MAX_POSITION = 50  # deeper positions share one propensity (too few impressions to tell apart)


@dataclass(frozen=True)
class LoggedEvent:
    """One row of the interaction log, as far as training needs it."""

    event: str  # "impression", "click", "apply" or "hire"
    job_id: int
    at: datetime
    session_id: str | None = None
    user_id: int | None = None
    query: str | None = None  # impressions, and clicks from a results page
    position: int | None = None  # 1-based overall position on the results page


@dataclass(frozen=True)
class Shown:
    """One job one search showed, with the strongest outcome the search led to."""

    session_id: str
    query: str  # normalised
    job_id: int
    position: int
    grade: int

    @property
    def search(self) -> tuple[str, str]:
        return self.session_id, self.query


@dataclass(frozen=True)
class Propensities:
    """Examination propensity per position (index 0 is position 1), from the PBM's EM."""

    by_position: tuple[float, ...]
    iterations: int
    moved_pairs: int  # (query, job) pairs shown at two or more positions: θ's evidence

    def at(self, position: int) -> float:
        index = min(max(position, 1), len(self.by_position)) - 1
        return self.by_position[index]


def normalise_query(text: str) -> str:
    """The query text a search is known by: NFKC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def shown_jobs(events: Iterable[LoggedEvent]) -> list[Shown]:
    """Each (search, job) the log shows, graded by what followed, in order of first showing.

    A click names its search (query and session); an application counts for the latest search
    of that session or user that had shown the job before it, a hire (logged with the seeker's
    user id only) for the latest such search of that user.
    """
    ordered = sorted(events, key=lambda e: e.at)
    # (session, query, job) → (position, time) of its first showing
    first: dict[tuple[str, str, int], tuple[int, datetime]] = {}
    by_session: dict[tuple[str, int], list[tuple[datetime, str, str]]] = defaultdict(list)
    by_user: dict[tuple[int, int], list[tuple[datetime, str, str]]] = defaultdict(list)
    for e in ordered:
        if e.event != "impression" or not e.session_id or not e.query or not e.position:
            continue
        query = normalise_query(e.query)
        key = (e.session_id, query, e.job_id)
        if not query or key in first:
            continue
        first[key] = (e.position, e.at)
        by_session[e.session_id, e.job_id].append((e.at, e.session_id, query))
        if e.user_id is not None:
            by_user[e.user_id, e.job_id].append((e.at, e.session_id, query))

    grades: dict[tuple[str, str, int], int] = {}

    def credit(key: tuple[str, str, int], grade: int) -> None:
        grades[key] = max(grades.get(key, 0), grade)

    for e in ordered:
        grade = GRADES.get(e.event)
        if grade is None:
            continue
        if e.event == "click":
            if e.session_id and e.query:
                key = (e.session_id, normalise_query(e.query), e.job_id)
                if key in first:
                    credit(key, grade)
            continue
        earlier = [
            seen
            for seen in (
                (by_session.get((e.session_id, e.job_id), []) if e.session_id else [])
                + (by_user.get((e.user_id, e.job_id), []) if e.user_id is not None else [])
            )
            if seen[0] <= e.at
        ]
        if earlier:
            _at, session_id, query = max(earlier)
            credit((session_id, query, e.job_id), grade)
    return [
        Shown(session_id, query, job_id, position, grades.get((session_id, query, job_id), 0))
        for (session_id, query, job_id), (position, _at) in sorted(
            first.items(), key=lambda item: item[1][1]
        )
    ]


def estimate_propensities(
    shown: Sequence[Shown],
    *,
    max_position: int = MAX_POSITION,
    floor: float = PROPENSITY_FLOOR,
    iterations: int = 500,
    tolerance: float = 1e-7,
) -> Propensities:
    """θ_k of the position-based click model, fitted by EM, θ_1 = 1, clipped to [floor, 1].

    A positive is any grade above 0 (an application or hire implies the job was looked at).
    Positions nobody was shown at take the propensity of the position above them.
    """
    if not shown:
        raise ValueError("no impressions to estimate propensities from")
    depth = min(max(s.position for s in shown), max_position)
    position = np.array([min(s.position, depth) - 1 for s in shown], dtype=np.intp)
    pair_ids: dict[tuple[str, int], int] = {}
    pair = np.array(
        [pair_ids.setdefault((s.query, s.job_id), len(pair_ids)) for s in shown], dtype=np.intp
    )
    clicked = np.array([s.grade > 0 for s in shown], dtype=np.float64)
    per_position = np.bincount(position, minlength=depth).astype(np.float64)
    per_pair = np.bincount(pair, minlength=len(pair_ids)).astype(np.float64)
    theta = np.full(depth, 0.5)
    gamma = np.full(len(pair_ids), 0.5)
    done = 0
    while done < iterations:
        done += 1
        t, g = theta[position], gamma[pair]
        unseen = np.maximum(1.0 - t * g, 1e-12)
        examined = clicked + (1.0 - clicked) * t * (1.0 - g) / unseen
        attractive = clicked + (1.0 - clicked) * (1.0 - t) * g / unseen
        new_theta = np.bincount(position, examined, depth) / np.maximum(per_position, 1.0)
        gamma = np.bincount(pair, attractive, len(pair_ids)) / per_pair
        change = float(np.max(np.abs(new_theta - theta)))
        theta = new_theta
        if change < tolerance:
            break
    # fill positions without impressions from above, then scale so that position 1 is 1
    for k in range(depth):
        if per_position[k] == 0:
            theta[k] = theta[k - 1] if k else 1.0
    top = theta[0] if theta[0] > 0 else float(np.max(theta)) or 1.0
    scaled = np.clip(theta / top, floor, 1.0)
    positions: dict[tuple[str, int], set[int]] = defaultdict(set)
    for s in shown:
        positions[s.query, s.job_id].add(s.position)
    moved = sum(1 for seen in positions.values() if len(seen) > 1)
    return Propensities(tuple(float(v) for v in scaled), done, moved)


def weights(shown: Sequence[Shown], propensities: Propensities | None) -> npt.NDArray[np.float64]:
    """Inverse-propensity sample weights: 1/θ_k for a positive at position k, 1 otherwise."""
    return np.array(
        [
            1.0 / propensities.at(s.position) if propensities is not None and s.grade > 0 else 1.0
            for s in shown
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class TrainingSet:
    features: npt.NDArray[np.float64]
    grades: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    used: int  # impressions whose job is still among its query's candidates
    dropped: int  # impressions of jobs gone, or no longer among the candidates


def training_set(
    shown: Sequence[Shown],
    candidates: Mapping[str, tuple[QueryContext, Sequence[Candidate]]],
    propensities: Propensities | None,
    now: datetime,
) -> TrainingSet:
    """Rows of (query, job, grade): the job's features for the query today, the grade, and the
    summed weight of the impressions that ended so.

    `candidates` maps each normalised query to its context and candidates as search builds
    them now; without `propensities` every impression weighs 1 (raw outcomes, for comparison).
    Impressions alike but for their session are one row: the features are the same, and for
    squared loss a weighted row is the same as its copies (and fits many times faster).
    """
    matrices = {
        query: (featurize(context, found, now), {c.job_id: i for i, c in enumerate(found)})
        for query, (context, found) in candidates.items()
    }
    weight = weights(shown, propensities)
    summed: dict[tuple[str, int, int], float] = defaultdict(float)
    used = 0
    for s, w in zip(shown, weight, strict=True):
        if s.job_id in matrices.get(s.query, (None, {}))[1]:
            summed[s.query, s.job_id, s.grade] += float(w)
            used += 1
    rows = [matrices[query][0][matrices[query][1][job_id]] for query, job_id, _g in summed]
    width = len(FEATURE_NAMES)
    return TrainingSet(
        np.vstack(rows) if rows else np.empty((0, width), dtype=np.float64),
        np.array([grade for _q, _j, grade in summed], dtype=np.float64),
        np.array(list(summed.values()), dtype=np.float64),
        used=used,
        dropped=len(shown) - used,
    )
