"""Settings for bench/api_bench.py's server: the project's settings, with the floor views
of bench/floor.py mounted in front of the project's URLs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "floor"
