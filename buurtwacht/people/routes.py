"""HTTP endpoints under /api/v1/me."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.people import reads, service
from buurtwacht.people.schemas import MeSchema, MeUpdateSchema
from buurtwacht.readcache import cacheable

blp = Blueprint("people", __name__, url_prefix=f"{API_PREFIX}/me", description="The signed-in person.")


@blp.route("")
class Me(MethodView):
    @cacheable
    @blp.signed_in
    @blp.response(200, MeSchema)
    def get(self) -> Any:
        """Who am I

        The first call with a new Firebase account creates the person. Returns the profile,
        every membership (with its status: `pending` until a coordinator approves) and, for a
        wijkagent, the areas they serve.
        """
        return reads.me()

    @blp.signed_in
    @blp.arguments(MeUpdateSchema)
    @blp.response(200, MeSchema)
    def patch(self, changes: dict[str, Any]) -> Any:
        """Change my name, phone or language"""
        return service.update_me(changes)
