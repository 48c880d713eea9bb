"""SQLAlchemy entities; importing this package registers every table on `Base.metadata`."""

from lvqi_desktop.models import (  # noqa: F401  (registers the pool tables)
    bases,
    cultivation,
    exchange,
    keys,
    monitoring,
    pools,
    targets,
    tier_rules,
)
from lvqi_desktop.models.base import Base
from lvqi_desktop.models.demands import Demand, DemandEvent
from lvqi_desktop.models.enterprise import Enterprise, EnterpriseYear
from lvqi_desktop.models.helpers import Helper, HelperAssignment, ServiceTeam, ServiceTeamMember
from lvqi_desktop.models.history import ChangeRecord
from lvqi_desktop.models.office import AppMeta, Office, Operator, Setting
from lvqi_desktop.models.reference import County, IndustrySection, SizeClassRule, Township
from lvqi_desktop.models.visits import Visit, VisitParticipant

__all__ = [
    "Demand", "DemandEvent", "Helper", "HelperAssignment", "ServiceTeam", "ServiceTeamMember", "Visit",
    "VisitParticipant",
    "AppMeta", "Base", "ChangeRecord", "County", "Enterprise", "EnterpriseYear", "IndustrySection", "Office",
    "Operator", "Setting", "SizeClassRule", "Township",
]
