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
