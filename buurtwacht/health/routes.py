"""GET /healthz (the process answers) and GET /readyz (and its database answers)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import text

from buurtwacht import db
from buurtwacht.api import Blueprint
from buurtwacht.health.schemas import HealthSchema

blp = Blueprint(
    "health", __name__, url_prefix="", description="Probes for process managers and load balancers; no sign-in."
)


@blp.route("/healthz")
class Alive(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> Any:
        """The process is alive"""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self) -> Any:
        """The process can reach its database"""
        db.session().execute(text("SELECT 1"))  # an OperationalError becomes 503 in buurtwacht.errors
        return {"status": "ok"}
