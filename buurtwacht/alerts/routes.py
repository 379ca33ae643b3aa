"""HTTP endpoints: /api/v1/alerts..., /api/v1/areas/{id}/alerts.atom and alert-stats, /api/v1/me/subscriptions."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, send_file
from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht import db, limits
from buurtwacht.alerts import formats, reads, service, subscriptions
from buurtwacht.alerts.schemas import (
    AlertCancelSchema,
    AlertCloseSchema,
    AlertCreateSchema,
    AlertQuerySchema,
    AlertStatsSchema,
    AlertUpdateSchema,
    AlertViewSchema,
    AreaMonthSchema,
    ResponderSchema,
    SubscriptionSchema,
    TipCreateSchema,
    TipPhotoSchema,
    TipReceiptSchema,
    TipSchema,
    YearQuerySchema,
)
from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.links import public_url
from buurtwacht.models import Alert, AlertTip, Area
from buurtwacht.notes.routes import photo_sized
from buurtwacht.notes.schemas import PhotoUploadSchema
from buurtwacht.readcache import cacheable

blp = Blueprint(
    "alerts", __name__, url_prefix=API_PREFIX, description="Burgernet-style alerts: call-outs, tips, updates, results."
)


@blp.route("/alerts")
class Alerts(MethodView):
    @cacheable
    @blp.signed_in
    @blp.arguments(AlertQuerySchema, location="query")
    @blp.response(200, AlertViewSchema(many=True))
    @blp.paginate(page_size=20, max_page_size=100)
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """Alerts for me: those that reach my areas, that I issued, or (wijkagent) of my areas"""
        return reads.list_alerts(current_person(), filters, pagination_parameters)

    @blp.signed_in
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    @blp.conflicts
    @blp.arguments(AlertCreateSchema)
    @blp.rate_limited("alerts", replay=limits.replay_of(Alert))
    @blp.response(201, AlertViewSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Start an alert (wijkagent for their areas, coordinator for their group's area)

        Answers at once: the pushes go out through the dispatchers, in each person's language,
        always reminding them to call 112 first. 409 when a like alert is already open for the
        area (the answer names it); 429 past the hourly limit; 422 when the description rests
        on origin or appearance alone.
        """
        person = current_person()
        alert = service.create(person, data)
        return service.detail(person, alert.id)


@blp.route("/alerts/<uuid:alert_id>")
class AlertById(MethodView):
    @cacheable
    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, AlertViewSchema)
    def get(self, alert_id: uuid.UUID) -> Any:
        """Get an alert with its updates"""
        return reads.detail(current_person(), alert_id)


@blp.route("/alerts/<uuid:alert_id>/updates")
class Updates(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(AlertUpdateSchema)
    @blp.response(201, AlertViewSchema)
    def post(self, data: dict[str, Any], alert_id: uuid.UUID) -> Any:
        """Add an update (issuer or the area's wijkagent); pushed to the same people"""
        person = current_person()
        service.add_update(person, alert_id, data["text"])
        return service.detail(person, alert_id)


@blp.route("/alerts/<uuid:alert_id>/close")
class Close(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(AlertCloseSchema)
    @blp.response(200, AlertViewSchema)
    def post(self, data: dict[str, Any], alert_id: uuid.UUID) -> Any:
        """Close an alert with its outcome; everyone it reached gets the result and a thank-you"""
        person = current_person()
        service.close(person, alert_id, data["outcome"], data["message"])
        return service.detail(person, alert_id)


@blp.route("/alerts/<uuid:alert_id>/cancel")
class Cancel(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(AlertCancelSchema)
    @blp.response(200, AlertViewSchema)
    def post(self, data: dict[str, Any], alert_id: uuid.UUID) -> Any:
        """Cancel an alert (e.g. sent by mistake); everyone it reached is told"""
        person = current_person()
        service.cancel(person, alert_id, data["reason"])
        return service.detail(person, alert_id)


@blp.route("/alerts/<uuid:alert_id>/tips")
class Tips(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.response(200, TipSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, alert_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """The tips, with who sent them (issuer and the area's wijkagent only)"""
        return service.tips(current_person(), alert_id, pagination_parameters)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(TipCreateSchema)
    @blp.rate_limited("tips", replay=limits.replay_of(AlertTip))
    @blp.response(201, TipReceiptSchema)
    def post(self, data: dict[str, Any], alert_id: uuid.UUID) -> Any:
        """Send a tip (anyone the alert reached, while it is open)

        Only the issuer and the wijkagent see who sent it. In an emergency, call 112 first.
        """
        return service.add_tip(current_person(), alert_id, data)


@blp.route("/alerts/<uuid:alert_id>/tips/<uuid:tip_id>/photo")
class TipPhoto(MethodView):
    @photo_sized
    @blp.group_scoped
    @blp.rate_limited("photos")
    @blp.conflicts
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.arguments(PhotoUploadSchema, location="files")
    @blp.response(200, TipPhotoSchema)
    def put(self, files: dict[str, Any], alert_id: uuid.UUID, tip_id: uuid.UUID) -> Any:
        """Add a photo to your tip (multipart field `photo`, JPEG or PNG), after the tip itself

        Send the tip first (`POST .../tips`, small, it gets through on a weak connection), then its photo here
        under the tip's id: a retry of the same photo, after an answer that got lost, answers what was stored
        without reading it again; another photo replaces it. One photo a tip, while the alert is open (409
        after), checked and stored like a note's: read to know what it is, turned upright, scaled to at most
        2048 pixels, without EXIF or location; at most BUURTWACHT_PHOTO_MAX_BYTES (413) and 25 megapixels
        (422, judged from the header). Uploads count against BUURTWACHT_RATE_LIMIT_PHOTOS with the notes'
        photos, refused ones too: 429 beyond. Seen only by the alert's issuer, the area's wijkagent and you;
        deleted with the tip, BUURTWACHT_PHOTO_RETENTION_DAYS after the alert ended, or with your account.
        """
        return service.set_tip_photo(current_person(), alert_id, tip_id, files["photo"].read())

    @blp.group_scoped
    @blp.response(200, content_type="image/jpeg", description="The photo (JPEG or PNG)")
    def get(self, alert_id: uuid.UUID, tip_id: uuid.UUID) -> Any:
        """Get a tip's photo (the issuer, the area's wijkagent and its sender)"""
        path, content_type = service.tip_photo_file(current_person(), alert_id, tip_id)
        return send_file(path, mimetype=content_type, max_age=0, conditional=False)


@blp.route("/alerts/<uuid:alert_id>/looking")
class Looking(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, AlertViewSchema)
    def put(self, alert_id: uuid.UUID) -> Any:
        """Say "I'm looking" (anyone the alert reached)"""
        return service.set_looking(current_person(), alert_id, looking=True)

    @blp.group_scoped
    @blp.response(200, AlertViewSchema)
    def delete(self, alert_id: uuid.UUID) -> Any:
        """Stop looking"""
        return service.set_looking(current_person(), alert_id, looking=False)


@blp.route("/alerts/<uuid:alert_id>/responders")
class Responders(MethodView):
    @blp.group_scoped
    @blp.response(200, ResponderSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, alert_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """Who is looking: first name and initial, group, since when (issuer and the area's wijkagent only)

        Everyone who said "I'm looking" (`PUT .../looking`) and has not stopped (`DELETE .../looking`),
        longest looking first: their first name and the initial of their last name, the names of their
        groups in the alert's areas or below them (empty for a resident who receives the area's alerts
        without a group),
        and since when, in local time. No contact details: a tip's sender is called back from `GET .../tips`.
        Read by the same people as `GET .../stats`, whose `responders` counts this list: 403 for people the
        alert reached, 404 for everyone else. Empty once the alert's retention ended
        (BUURTWACHT_ALERT_RETENTION_DAYS after it ended); the count stays in `.../stats`.
        """
        return service.responders(current_person(), alert_id, pagination_parameters)


@blp.route("/alerts/<uuid:alert_id>/stats")
class Stats(MethodView):
    @blp.group_scoped
    @blp.response(200, AlertStatsSchema)
    def get(self, alert_id: uuid.UUID) -> Any:
        """Audience, pushes sent, failed and pending, tips, responders, time to close (issuer, wijkagent)"""
        return service.statistics(current_person(), alert_id)


@blp.route("/alerts/<uuid:alert_id>/cap")
class Cap(MethodView):
    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, content_type="application/cap+xml", description="CAP 1.2 (OASIS) XML")
    def get(self, alert_id: uuid.UUID) -> Any:
        """The alert as a CAP 1.2 message

        msgType Alert, then Update (after updates or the close) referencing the original, or
        Cancel; status Exercise for exercises.
        """
        alert, _ = service.alert_for(current_person(), alert_id)
        return Response(formats.cap_message(alert), mimetype="application/cap+xml")


@blp.route("/areas/<int(max=2147483647):area_id>/alerts.atom")
class AreaFeed(MethodView):
    @blp.group_scoped
    @blp.response(200, content_type="application/atom+xml", description="Atom 1.0")
    def get(self, area_id: int) -> Any:
        """An Atom feed of the alerts for an area (the last 50)

        For the app, whose requests carry a token; a feed reader, which cannot send one, reads the
        same feed at a private URL from `POST /api/v1/me/alert-feeds/{area_id}`. Each entry's
        `updated` and summary change with every update, the close, a cancel or the expiry.
        """
        service.require_area_reader(current_person(), area_id)
        body = formats.atom_feed(
            db.session().get_one(Area, area_id),
            formats.area_alerts(area_id),
            public_url("alerts.AreaFeed", area_id=area_id),
            lambda a: public_url("alerts.Cap", alert_id=a.id),
        )
        return Response(body, mimetype="application/atom+xml")


@blp.route("/areas/<int(max=2147483647):area_id>/alert-stats")
class AreaStats(MethodView):
    @blp.group_scoped
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, AreaMonthSchema(many=True))
    def get(self, query: dict[str, Any], area_id: int) -> Any:
        """Alerts per month for an area: count, audience, tips, outcomes (admins too: numbers only)"""
        service.require_area_reader(current_person(), area_id, statistics_only=True)
        return service.area_month_stats(area_id, query["year"])


@blp.route("/me/subscriptions")
class MySubscriptions(MethodView):
    @blp.signed_in
    @blp.response(200, SubscriptionSchema(many=True))
    def get(self) -> Any:
        """The areas whose alerts I receive as a resident"""
        return subscriptions.mine(current_person())


@blp.route("/me/subscriptions/<int(max=2147483647):area_id>")
class MySubscription(MethodView):
    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SubscriptionSchema(many=True))
    def put(self, area_id: int) -> Any:
        """Receive alerts for my wijk or dorp without joining a group (only the area is kept)"""
        return subscriptions.subscribe(current_person(), area_id)

    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, area_id: int) -> None:
        """Stop receiving alerts for an area"""
        subscriptions.unsubscribe(current_person(), area_id)
