"""CPR numbers are masked before anything else looks at a text (see understanding.mask_cpr)."""
from .understanding import CPR_MASK, mask_cpr  # noqa: F401
