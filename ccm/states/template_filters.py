"""Template filters about States, added to the shared ``ccm`` template library (see StatesConfig.ready)."""

from ccm.core.templatetags.ccm import register
from ccm.states.models import ObligationStatus


@register.filter
def status_label(value: str) -> str:
    try:
        return str(ObligationStatus(value).label)
    except ValueError:
        return value
