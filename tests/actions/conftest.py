from collections.abc import Iterator

import pytest

from ccm.actions import sources
from tests.actions.helpers import need_as_source


@pytest.fixture(autouse=True)
def need_source() -> Iterator[sources.Source]:
    with need_as_source() as entry:
        yield entry
