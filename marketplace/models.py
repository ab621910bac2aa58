"""Every mapped class, imported once so that the metadata (and Alembic) sees the whole schema."""

from marketplace.accounts.models import KioskDevice, Role, User
from marketplace.bases.models import (
    BaseDelivery,
    BaseDeliveryAttempt,
    BaseDeliveryJob,
    BaseRecruit,
    LabourBase,
)
from marketplace.database import Base
from marketplace.employers.models import Employer, KeyCategory, Verification
from marketplace.events.models import Booth, Campaign, Event
from marketplace.gigs.models import GigEvent, GigOffer, GigRating, GigRequest, GigWorker
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job, JobKind, JobStatus, JobStatusEvent
from marketplace.occupations.models import Occupation
from marketplace.places.models import Datum, Place, PlaceLevel, Precision, ServicePoint
from marketplace.policies.models import ClaimStatus, Policy, PolicyClaim, PolicyDeclaration
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
    "BaseDelivery",
    "BaseDeliveryAttempt",
    "BaseDeliveryJob",
    "BaseRecruit",
    "Booth",
    "Campaign",
    "ClaimStatus",
    "Datum",
    "Employer",
    "Event",
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
    "LabourBase",
    "Occupation",
    "Place",
    "PlaceLevel",
    "Policy",
    "PolicyClaim",
    "PolicyDeclaration",
    "Precision",
    "Role",
    "SearchOutbox",
    "SeekerProfile",
    "ServicePoint",
    "TargetGroup",
    "User",
    "Verification",
]
