"""Template filters about needs, added to the shared ``ccm`` template library (see NeedsConfig.ready)."""

from ccm.core.templatetags.ccm import register
from ccm.needs.models import Pillar


@register.filter
def pillar_label(value: str) -> str:
    """A pillar's code in words ("stockpile_destruction" → "Stockpile destruction"); unknown codes unchanged."""
    try:
        return str(Pillar(value).label)
    except ValueError:
        return value
