"""The import sources by name; each module is loaded only when its source is used."""

from importlib import import_module

from imports.sources.base import Source

SOURCES = {
    "moco": "imports.sources.moco.MocoPresenceSource",
    "huddle": "imports.sources.huddle.HuddlePresenceSource",
    "mctime": "imports.sources.mctime.McTimeEntrySource",
    "prosonata": "imports.sources.prosonata.ProSonataWorkingTimeSource",
}


def get_source(name: str) -> Source:
    module, _, cls = SOURCES[name].rpartition(".")
    return getattr(import_module(module), cls)()
