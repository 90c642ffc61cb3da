"""The access policy: who may see and do what (policy), route classes and their enforcement (routes), and the
counting of probes of other people's objects (probes)."""

from greencustoms.access import policy, scope
from greencustoms.access.probes import record_probe, refuse, row_exists, someone_elses
from greencustoms.access.routes import Access, init_app, requires, route_class, trained_workshop_of_request

__all__ = [
    "Access",
    "init_app",
    "policy",
    "record_probe",
    "refuse",
    "requires",
    "route_class",
    "row_exists",
    "scope",
    "someone_elses",
    "trained_workshop_of_request",
]
