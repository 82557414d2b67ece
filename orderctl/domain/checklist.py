"""Inspection checklists, answers, verdict and walk: the stable import path.

The implementation lives in :mod:`orderctl.domain.inspection`, split by
concern; this module re-exports its public API so callers have one name to
import from.
"""

from orderctl.domain.inspection import *  # noqa: F403
from orderctl.domain.inspection import __all__  # noqa: F401
