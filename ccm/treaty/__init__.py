"""The rules of the Convention on Cluster Munitions, in pure Python (no Django imports).

Articles 3 (stockpile destruction), 4 (clearance) and 17 (entry into force). Every function takes
plain values and returns plain values, so services, selectors and analytics can share them.
"""

from ccm.treaty.deadlines import (
    FIRST_ENTRY_INTO_FORCE,
    THIRTIETH_DEPOSIT,
    ObligationKind,
    add_years,
    entry_into_force,
    original_deadline,
)
from ccm.treaty.describe import Meeting, ObligationDescription, describe_obligation
from ccm.treaty.extensions import (
    Decision,
    ExtensionRequest,
    Violation,
    current_deadline,
    validate_extension_request,
)
from ccm.treaty.status import ObligationStatus, obligation_status

__all__ = [
    "FIRST_ENTRY_INTO_FORCE",
    "THIRTIETH_DEPOSIT",
    "Decision",
    "ExtensionRequest",
    "Meeting",
    "ObligationDescription",
    "ObligationKind",
    "ObligationStatus",
    "Violation",
    "add_years",
    "current_deadline",
    "describe_obligation",
    "entry_into_force",
    "obligation_status",
    "original_deadline",
    "validate_extension_request",
]
