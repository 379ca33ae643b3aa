"""HTTP endpoints: /api/v1/me/alert-feeds (the feeds' URLs) and /feeds/{token}.atom (the feed, and its CAP links)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.feeds import service
from buurtwacht.feeds.schemas import AlertFeedCreatedSchema, AlertFeedSchema
from buurtwacht.links import public_url

blp = Blueprint(
    "feeds", __name__, url_prefix="", description="Private Atom feeds of an area's alerts, for feed readers."
)

# A feed reader polls; a few minutes in its own cache is fine, a shared cache must never keep it.
FEED_CACHING = {"Cache-Control": "private, max-age=300"}


@blp.route(f"{API_PREFIX}/me/alert-feeds")
class MyAlertFeeds(MethodView):
    @blp.signed_in
    @blp.response(200, AlertFeedSchema(many=True))
    def get(self) -> Any:
        """My private alert feeds (without their secret URLs)"""
        return service.mine(current_person())


@blp.route(f"{API_PREFIX}/me/alert-feeds/<int(max=2147483647):area_id>")
class MyAlertFeed(MethodView):
    @blp.group_scoped
    @blp.response(201, AlertFeedCreatedSchema)
    def post(self, area_id: int) -> Any:
        """Make a new private Atom feed URL for an area's alerts

        For a feed reader, which cannot sign in: the secret URL is the key, shown only now. It shows
        what you may see at the moment of each read: once you no longer receive the area's alerts
        (you left the group, or are no longer its wijkagent) it answers 404. Making a new one stops
        the area's old URL at once. 403 for an area whose alerts you do not receive.
        """
        made = service.rotate(current_person(), area_id)
        return {**made, "url": public_url("feeds.Feed", token=made.pop("token"))}

    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, area_id: int) -> None:
        """Turn my private feed of an area off"""
        service.revoke(current_person(), area_id)


@blp.route("/feeds/<string:token>.atom")
class Feed(MethodView):
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, content_type="application/atom+xml", description="Atom 1.0 (RFC 4287)")
    def get(self, token: str) -> Any:
        """An area's alerts as an Atom feed (no sign-in: the secret URL is the key)

        The last 50 alerts that reached the area, newest first; an entry's `updated` and summary
        change with each update, the close or a cancel, and it links the alert's CAP 1.2 message
        through the same secret. 404 for an unknown URL, and once its owner no longer receives the
        area's alerts.
        """
        body = service.feed(
            token,
            public_url("feeds.Feed", token=token),
            lambda alert: public_url("feeds.FeedCap", token=token, alert_id=alert.id),
        )
        return Response(body, mimetype="application/atom+xml", headers=FEED_CACHING)


@blp.route("/feeds/<string:token>/alerts/<uuid:alert_id>.cap")
class FeedCap(MethodView):
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, content_type="application/cap+xml", description="CAP 1.2 (OASIS) XML")
    def get(self, token: str, alert_id: uuid.UUID) -> Any:
        """The CAP 1.2 message of an alert in a private feed (no sign-in: the feed's secret URL is the key)"""
        return Response(service.cap(token, alert_id), mimetype="application/cap+xml", headers=FEED_CACHING)
