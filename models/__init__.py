"""The data model, one module per aggregate; importing this package registers every table."""

from models.activity import AuditEntry, Notification
from models.booking import Booking
from models.catalogue_state import CatalogueState
from models.consent import Consent, ParentRequest
from models.enterprise import Enterprise, EnterpriseStaff, TourProgramme, TourSession
from models.enterprise_team import EnterprisePhoto, Revision, StaffInvite
from models.feedback import Feedback
from models.profession import EducationPath, Profession, Sphere
from models.profile import DismissedProfession, InterestProfile, ShortlistEntry
from models.profminimum import CareerActivity, ProfminimumLevel
from models.school import ClassMembership, School, SchoolClass
from models.user import ApiToken, LoginSession, User
from models.vacancy import Vacancy, VacancyDelivery, VacancyResponse

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Booking",
    "CareerActivity",
    "CatalogueState",
    "ClassMembership",
    "Consent",
    "DismissedProfession",
    "EducationPath",
    "Enterprise",
    "EnterprisePhoto",
    "EnterpriseStaff",
    "Feedback",
    "InterestProfile",
    "LoginSession",
    "Notification",
    "ParentRequest",
    "Profession",
    "ProfminimumLevel",
    "Revision",
    "School",
    "SchoolClass",
    "ShortlistEntry",
    "Sphere",
    "StaffInvite",
    "TourProgramme",
    "TourSession",
    "User",
    "Vacancy",
    "VacancyDelivery",
    "VacancyResponse",
]
