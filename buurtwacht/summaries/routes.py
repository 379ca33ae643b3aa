"""HTTP endpoints: /api/v1/groups/{id}/summaries/{month} and its re-send."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from buurtwacht import access
from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.summaries import listing, mailing, service
from buurtwacht.summaries.schemas import ResendSchema, SummarySchema

blp = Blueprint("summaries", __name__, url_prefix=API_PREFIX, description="The monthly summary (maandoverzicht).")


@blp.route("/groups/<uuid:group_id>/summaries/<string:month>")
class Summary(MethodView):
    @blp.group_scoped
    @blp.response(200, SummarySchema)
    def get(self, group_id: uuid.UUID, month: str) -> Any:
        """A group's summary for a month (`YYYY-MM`): coordinators, the wijkagent, admins

        The same numbers as the e-mail of the 1st: no names, no place with fewer than 3 notes.
        """
        return service.summary_for(current_person(), group_id, month)


@blp.route("/groups/<uuid:group_id>/summaries/<string:month>/send")
class Resend(MethodView):
    @blp.group_scoped
    @blp.response(200, ResendSchema)
    def post(self, group_id: uuid.UUID, month: str) -> Any:
        """E-mail the summary again to the wijkagent(s) and coordinators (coordinators, the wijkagent)"""
        group, _ = access.group_for(
            current_person(), group_id, frozenset({access.Relation.COORDINATOR, access.Relation.OFFICER})
        )
        return {"queued": mailing.queue_summary(group, *service.parse_month(month), resend=True)}


@blp.route("/areas/<int(max=2147483647):area_id>/summaries/<string:month>")
class AreaSummaries(MethodView):
    @blp.signed_in
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SummarySchema(many=True))
    def get(self, area_id: int, month: str) -> Any:
        """The summaries of every group in an area for a month (`YYYY-MM`): its wijkagent, admins

        One per group in the area and the areas below it, by group name: the same numbers as
        each group's summary. Admins who are not the area's wijkagent read alerts without headlines.
        """
        return listing.area_summaries(current_person(), area_id, month)
