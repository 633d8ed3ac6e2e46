"""An import pauses Python's cycle collector while it writes a batch."""

import gc

import pytest

from imports.collector import collector_paused


@pytest.mark.parametrize("enabled_before", [True, False])
def test_collector_paused_disables_the_collector_and_restores_its_state(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("a failing batch")
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_overlapping_pauses_keep_the_collector_off_until_the_last_one_ends():
    """Two imports in two threads of one process: the first to end does not turn the
    collector back on under the other's batch."""
    gc.enable()
    try:
        first, second = collector_paused(), collector_paused()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert not gc.isenabled()
        second.__exit__(None, None, None)
        assert gc.isenabled()
    finally:
        gc.enable()
