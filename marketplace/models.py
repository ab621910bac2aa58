"""Every mapped class, imported once so that the metadata (and Alembic) sees the whole schema."""

from marketplace.accounts.models import KioskDevice, Role, User
from marketplace.database import Base
from marketplace.employers.models import Employer, KeyCategory, Verification
from marketplace.gigs.models import GigEvent, GigOffer, GigRating, GigRequest, GigWorker
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job, JobKind, JobStatus, JobStatusEvent
from marketplace.occupations.models import Occupation
from marketplace.places.models import Datum, Place, PlaceLevel, Precision, ServicePoint
from marketplace.search.outbox import SearchOutbox
from marketplace.seekers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    SeekerProfile,
    TargetGroup,
)

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "Base",
    "Datum",
    "Employer",
    "GigEvent",
    "GigOffer",
    "GigRating",
    "GigRequest",
    "GigWorker",
    "Interaction",
    "InteractionEvent",
    "Job",
    "JobKind",
    "JobStatus",
    "JobStatusEvent",
    "KeyCategory",
    "KioskDevice",
    "Occupation",
    "Place",
    "PlaceLevel",
    "Precision",
    "Role",
    "SearchOutbox",
    "SeekerProfile",
    "ServicePoint",
    "TargetGroup",
    "User",
    "Verification",
]
