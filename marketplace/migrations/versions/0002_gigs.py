"""gigs: odd-job workers, requests, offers, ratings and their history (即时快招)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:11:26.871669
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gig_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_user_id", sa.Integer(), nullable=True),
        sa.Column("service_point_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=40), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("place_code", sa.String(length=12), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("datum", sa.String(length=8), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("pay_amount", sa.Float(), nullable=False),
        sa.Column("pay_unit", sa.String(length=8), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.Column("dispatch_note", sa.Text(), nullable=True),
        sa.Column("waves", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_gig_requests_window_ordered")),
        sa.CheckConstraint("headcount >= 1", name=op.f("ck_gig_requests_headcount_positive")),
        sa.CheckConstraint(
            "requester_user_id IS NOT NULL OR service_point_id IS NOT NULL",
            name=op.f("ck_gig_requests_has_requester"),
        ),
        sa.ForeignKeyConstraint(
            ["place_code"], ["places.code"], name=op.f("fk_gig_requests_place_code_places")
        ),
        sa.ForeignKeyConstraint(
            ["requester_user_id"],
            ["users.id"],
            name=op.f("fk_gig_requests_requester_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["service_point_id"],
            ["service_points.id"],
            name=op.f("fk_gig_requests_service_point_id_service_points"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_requests")),
    )
    op.create_index(
        op.f("ix_gig_requests_requester_user_id"), "gig_requests", ["requester_user_id"]
    )
    op.create_index("ix_gig_requests_status_starts_at", "gig_requests", ["status", "starts_at"])

    op.create_table(
        "gig_workers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("place_code", sa.String(length=12), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("datum", sa.String(length=8), nullable=True),
        sa.Column("days", sa.String(length=7), nullable=False),
        sa.Column("available_from", sa.Time(), nullable=True),
        sa.Column("available_until", sa.Time(), nullable=True),
        sa.Column("rate_amount", sa.Float(), nullable=True),
        sa.Column("rate_unit", sa.String(length=8), nullable=True),
        sa.Column("phone_verified", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("registered_by_point_id", sa.Integer(), nullable=True),
        sa.Column("offers_count", sa.Integer(), nullable=False),
        sa.Column("accepts_count", sa.Integer(), nullable=False),
        sa.Column("declines_count", sa.Integer(), nullable=False),
        sa.Column("withdrawals_count", sa.Integer(), nullable=False),
        sa.Column("completions_count", sa.Integer(), nullable=False),
        sa.Column("no_shows_count", sa.Integer(), nullable=False),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("last_offered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_code"], ["places.code"], name=op.f("fk_gig_workers_place_code_places")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_point_id"],
            ["service_points.id"],
            name=op.f("fk_gig_workers_registered_by_point_id_service_points"),
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"], ["seekers.id"], name=op.f("fk_gig_workers_seeker_id_seekers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_workers")),
        sa.UniqueConstraint("seeker_id", name=op.f("uq_gig_workers_seeker_id")),
    )
    op.create_index(op.f("ix_gig_workers_place_code"), "gig_workers", ["place_code"])

    op.create_table(
        "gig_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("offered_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["gig_requests.id"], name=op.f("fk_gig_offers_request_id_gig_requests")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["gig_workers.id"], name=op.f("fk_gig_offers_worker_id_gig_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_offers")),
        sa.UniqueConstraint(
            "request_id", "worker_id", name=op.f("uq_gig_offers_request_id_worker_id")
        ),
    )
    op.create_index(op.f("ix_gig_offers_request_id"), "gig_offers", ["request_id"])
    op.create_index("ix_gig_offers_status_expires_at", "gig_offers", ["status", "expires_at"])
    op.create_index(op.f("ix_gig_offers_worker_id"), "gig_offers", ["worker_id"])

    op.create_table(
        "gig_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rater_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_gig_ratings_score_range")),
        sa.ForeignKeyConstraint(
            ["rater_user_id"], ["users.id"], name=op.f("fk_gig_ratings_rater_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["gig_requests.id"], name=op.f("fk_gig_ratings_request_id_gig_requests")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["gig_workers.id"], name=op.f("fk_gig_ratings_worker_id_gig_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_ratings")),
        sa.UniqueConstraint(
            "request_id",
            "worker_id",
            "direction",
            name=op.f("uq_gig_ratings_request_id_worker_id_direction"),
        ),
    )
    op.create_index(op.f("ix_gig_ratings_request_id"), "gig_ratings", ["request_id"])
    op.create_index(op.f("ix_gig_ratings_worker_id"), "gig_ratings", ["worker_id"])

    op.create_table(
        "gig_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=8), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["gig_offers.id"], name=op.f("fk_gig_events_offer_id_gig_offers")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["gig_requests.id"], name=op.f("fk_gig_events_request_id_gig_requests")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gig_events_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["gig_workers.id"], name=op.f("fk_gig_events_worker_id_gig_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gig_events")),
    )
    op.create_index(op.f("ix_gig_events_request_id"), "gig_events", ["request_id"])
    op.create_index(op.f("ix_gig_events_worker_id"), "gig_events", ["worker_id"])


def downgrade() -> None:
    # in reverse order of the foreign keys; dropping a table drops its indexes
    for table in ("gig_events", "gig_ratings", "gig_offers", "gig_workers", "gig_requests"):
        op.drop_table(table)
