"""HTTP endpoints of the development sign-in: /api/v1/dev/people and /api/v1/dev/token (AUTH_MODE=local only)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth import development
from buurtwacht.auth.schemas import DevPersonSchema, DevTokenRequestSchema, DevTokenSchema

blp = Blueprint(
    "development",
    __name__,
    url_prefix=f"{API_PREFIX}/dev",
    description="Development sign-in for the web console. Exists only with `DEV_SIGN_IN=1` and "
    "`AUTH_MODE=local` outside production: 404 everywhere else.",
)


@blp.route("/people")
class DevPeople(MethodView):
    @blp.response(200, DevPersonSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self) -> Any:
        """List the people to sign in as (development only)

        Everyone with a sign-in address, by name, with what they do. 404 unless `DEV_SIGN_IN=1` with
        `AUTH_MODE=local` outside production.
        """
        return development.people()


@blp.route("/token")
class DevToken(MethodView):
    @blp.arguments(DevTokenRequestSchema)
    @blp.response(200, DevTokenSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data: dict[str, Any]) -> Any:
        """Sign in as a person (development only)

        Answers an ID token signed by the local key, as `flask token` prints. 404 unless
        `DEV_SIGN_IN=1` with `AUTH_MODE=local` outside production, or for an unknown person.
        """
        return development.token(data["person_id"], data["lifetime_minutes"])
