"""Property-based: any sequence of claims, declines, withdrawals, cancellations, completions,
expiry sweeps, pauses and Redis losses keeps the invariants: places held ≤ headcount, no worker
in two overlapping places, and Redis agreeing with SQL whenever the queue is up."""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import timedelta

import redis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, func, select

from marketplace.database import get_database
from marketplace.errors import Conflict
from marketplace.gigs import queue, services, state
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigEvent,
    GigOffer,
    GigRating,
    GigRequest,
    GigWorker,
    OfferStatus,
    RequestStatus,
)
from marketplace.gigs.recovery import expected_state
from tests.marketplace.gigs import factories
from tests.marketplace.gigs.factories import NOW

WORKERS = 5
# (headcount, starts after NOW, hours): the first two overlap in time, the third does not
REQUESTS = ((1, timedelta(hours=1), 2), (2, timedelta(hours=2), 2), (2, timedelta(hours=5), 1))
POLICY = DispatchPolicy(offer_seconds=900, wave_factor=5)  # everybody offered

# what the accept rule saw, to show that the runs reach the interesting cases
OUTCOMES: Counter[str] = Counter()

workers = st.integers(0, WORKERS - 1)
requests = st.integers(0, len(REQUESTS) - 1)


class GigMachine(RuleBasedStateMachine):
    def __init__(self, app: Flask, client: redis.Redis) -> None:
        super().__init__()
        self.client = client
        self.session = get_database(app).session()
        for table in (GigEvent, GigRating, GigOffer, GigRequest, GigWorker):
            self.session.execute(delete(table))
        self.session.commit()
        client.flushall()
        self.now = NOW
        self.workers = [factories.worker(self.session, client).id for _ in range(WORKERS)]
        requester = factories.user(self.session)
        self.requests = [
            factories.request(
                self.session,
                client,
                headcount=headcount,
                starts_in=starts_in,
                hours=hours,
                urgent=index == 1,  # the sweep sends this one's next waves
                requester=requester,
                policy=POLICY,
            ).id
            for index, (headcount, starts_in, hours) in enumerate(REQUESTS)
        ]
        for request_id in self.requests:  # the urgent one went out when posted
            services.dispatch(self.session, client, request_id, now=self.now, policy=POLICY)

    def teardown(self) -> None:
        self.session.close()

    def offer_id(self, request: int, worker: int) -> int | None:
        return self.session.scalar(
            select(GigOffer.id).where(
                GigOffer.request_id == self.requests[request],
                GigOffer.worker_id == self.workers[worker],
            )
        )

    @rule(request=requests, worker=workers)
    def accept(self, request: int, worker: int) -> None:
        offer_id = self.offer_id(request, worker)
        if offer_id is None:
            return
        try:
            offer = services.accept_offer(self.session, self.client, offer_id, now=self.now)
        except services.HireConflict as refused:
            OUTCOMES[str(refused.result)] += 1
            return
        OUTCOMES["accepted"] += 1
        assert offer.status == OfferStatus.ACCEPTED

    @rule(worker=workers)
    def accept_both_overlapping_requests(self, worker: int) -> None:
        self.accept(0, worker)
        self.accept(1, worker)

    @rule(request=requests, worker=workers)
    def accept_again(self, request: int, worker: int) -> None:
        offer_id = self.offer_id(request, worker)
        offer = self.session.get(GigOffer, offer_id) if offer_id else None
        if offer is None or offer.status != OfferStatus.ACCEPTED:
            return
        before = factories.fresh(self.session, GigWorker, offer.worker_id).accepts_count
        again = services.accept_offer(self.session, self.client, offer.id, now=self.now)
        assert again.status == OfferStatus.ACCEPTED
        self.session.expire_all()
        assert factories.fresh(self.session, GigWorker, offer.worker_id).accepts_count == before

    @rule(request=requests, worker=workers)
    def decline(self, request: int, worker: int) -> None:
        offer_id = self.offer_id(request, worker)
        if offer_id is not None:
            with contextlib.suppress(Conflict):
                services.decline_offer(
                    self.session, self.client, offer_id, now=self.now, policy=POLICY
                )

    @rule(request=requests, worker=workers)
    def withdraw(self, request: int, worker: int) -> None:
        offer_id = self.offer_id(request, worker)
        if offer_id is not None:
            with contextlib.suppress(Conflict):
                services.withdraw(self.session, self.client, offer_id, now=self.now, policy=POLICY)

    @rule(request=requests)
    def cancel(self, request: int) -> None:
        with contextlib.suppress(Conflict):
            services.cancel_request(self.session, self.client, self.requests[request], now=self.now)

    @rule(request=requests, mark_no_show=st.booleans())
    def complete(self, request: int, mark_no_show: bool) -> None:
        hired = self.session.scalars(
            select(GigOffer.worker_id).where(
                GigOffer.request_id == self.requests[request],
                GigOffer.status == OfferStatus.ACCEPTED,
            )
        ).all()
        no_shows = hired[:1] if mark_no_show else []
        with contextlib.suppress(Conflict):
            services.complete(
                self.session, self.client, self.requests[request], no_shows=no_shows, now=self.now
            )

    @rule(request=requests)
    def dispatch(self, request: int) -> None:
        services.dispatch(
            self.session, self.client, self.requests[request], now=self.now, policy=POLICY
        )

    @rule(seconds=st.integers(0, 600))
    def time_passes_and_the_sweep_runs(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
        services.expire_offers(self.session, self.client, now=self.now, policy=POLICY)

    @rule(worker=workers, paused=st.booleans())
    def pause(self, worker: int, paused: bool) -> None:
        services.pause_worker(
            self.session, self.client, self.workers[worker], paused=paused, now=self.now
        )

    @rule()
    def redis_loses_everything(self) -> None:
        self.client.flushall()

    @invariant()
    def places_held_never_exceed_headcount(self) -> None:
        self.session.expire_all()
        for request in self.session.scalars(select(GigRequest)):
            held = self.session.scalar(
                select(func.count()).where(
                    GigOffer.request_id == request.id, GigOffer.status == OfferStatus.ACCEPTED
                )
            )
            assert held is not None
            assert held <= request.headcount
            if request.status in LIVE_REQUEST_STATUSES:
                assert (request.status == RequestStatus.FILLED) == (held == request.headcount)
        self.session.rollback()

    @invariant()
    def no_worker_holds_overlapping_places(self) -> None:
        held = self.session.execute(
            select(GigOffer.worker_id, GigRequest.starts_at, GigRequest.ends_at)
            .join(GigRequest, GigRequest.id == GigOffer.request_id)
            .where(GigOffer.status == OfferStatus.ACCEPTED)
        ).all()
        for index, (worker, starts, ends) in enumerate(held):
            for other_worker, other_starts, other_ends in held[index + 1 :]:
                if worker == other_worker:
                    assert ends <= other_starts or other_ends <= starts
        self.session.rollback()

    @invariant()
    def redis_agrees_with_sql_while_the_queue_is_up(self) -> None:
        if queue.is_ready(self.client):
            assert state.snapshot(self.client) == expected_state(self.session)
        self.session.rollback()


def test_the_claim_state_machine_keeps_its_invariants(app: Flask, rds: redis.Redis) -> None:
    run_state_machine_as_test(
        # a factory is accepted (hypothesis documents it) though the stub names a class
        lambda: GigMachine(app, rds),  # type: ignore[arg-type]
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # the runs did reach claims that won and claims that were refused
    assert OUTCOMES["accepted"] > 0
    assert OUTCOMES["full"] + OUTCOMES["double_booked"] > 0
