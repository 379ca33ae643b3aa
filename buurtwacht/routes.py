"""Every blueprint of the API, in the order the documentation lists them."""

from __future__ import annotations

from buurtwacht.areas.routes import blp as areas
from buurtwacht.groups.routes import blp as groups
from buurtwacht.health.routes import blp as health
from buurtwacht.members.routes import blp as members
from buurtwacht.people.routes import blp as people

BLUEPRINTS = [people, areas, groups, members, health]
