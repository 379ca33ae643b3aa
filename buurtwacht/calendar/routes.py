"""HTTP endpoints: /api/v1/me/calendar (the feed's URL) and /calendar/{token}.ics (the feed)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from buurtwacht import db
from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.calendar import service
from buurtwacht.calendar.schemas import FeedCreatedSchema, FeedStatusSchema
from buurtwacht.links import public_url

blp = Blueprint("calendar", __name__, url_prefix="", description="A private iCalendar feed of your patrols.")


@blp.route(f"{API_PREFIX}/me/calendar")
class MyCalendar(MethodView):
    @blp.signed_in
    @blp.response(200, FeedStatusSchema)
    def get(self) -> Any:
        """Whether my calendar feed is on"""
        return service.status(current_person())

    @blp.signed_in
    @blp.response(201, FeedCreatedSchema)
    def post(self) -> Any:
        """Make a new private calendar feed URL

        Subscribe to it in a calendar app. Making a new one stops the old URL at once.
        """
        token = service.rotate(current_person())
        return {"url": public_url("calendar.Feed", token=token), "created_at": db.utcnow()}

    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self) -> None:
        """Turn my calendar feed off"""
        service.revoke(current_person())


@blp.route("/calendar/<string:token>.ics")
class Feed(MethodView):
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, content_type="text/calendar", description="iCalendar (RFC 5545) with your patrols")
    def get(self, token: str) -> Any:
        """The calendar feed (no sign-in: the secret URL is the key)

        Your patrols from a month ago to six months ahead, in Europe/Amsterdam time; waiting-list
        places are tentative, cancelled patrols are marked cancelled.
        """
        return Response(
            service.feed(token), mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"}
        )
