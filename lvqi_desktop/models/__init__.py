"""SQLAlchemy entities; importing this package registers every table on `Base.metadata`."""

from lvqi_desktop.models import bases  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import cultivation  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import exchange  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import keys  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import monitoring  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import pools  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import targets  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models import tier_rules  # noqa: F401  (registers the pool tables)
from lvqi_desktop.models.base import Base
from lvqi_desktop.models.demands import Demand
from lvqi_desktop.models.demands import DemandEvent
from lvqi_desktop.models.enterprise import Enterprise
from lvqi_desktop.models.enterprise import EnterpriseYear
from lvqi_desktop.models.helpers import Helper
from lvqi_desktop.models.helpers import HelperAssignment
from lvqi_desktop.models.helpers import ServiceTeam
from lvqi_desktop.models.helpers import ServiceTeamMember
from lvqi_desktop.models.history import ChangeRecord
from lvqi_desktop.models.office import AppMeta
from lvqi_desktop.models.office import Office
from lvqi_desktop.models.office import Operator
from lvqi_desktop.models.office import Setting
from lvqi_desktop.models.reference import County
from lvqi_desktop.models.reference import IndustrySection
from lvqi_desktop.models.reference import SizeClassRule
from lvqi_desktop.models.reference import Township
from lvqi_desktop.models.visits import Visit
from lvqi_desktop.models.visits import VisitParticipant

__all__ = [
    "Demand", "DemandEvent", "Helper", "HelperAssignment", "ServiceTeam", "ServiceTeamMember", "Visit",
    "VisitParticipant",
    "AppMeta", "Base", "ChangeRecord", "County", "Enterprise", "EnterpriseYear", "IndustrySection", "Office",
    "Operator", "Setting", "SizeClassRule", "Township",
]
