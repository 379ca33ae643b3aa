"""HTTP endpoints for forwarding: /api/v1/notes/{id}/forwards and .../fixed-yet, /api/v1/groups/{id}/forwarding,
/api/v1/areas/{id}/forwarding-stats."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.forwarding import service
from buurtwacht.forwarding.schemas import (
    AreaForwardFiguresSchema,
    FixedYetAnswerSchema,
    ForwardCreateSchema,
    ForwardingChangeSchema,
    ForwardingSchema,
    ForwardSchema,
    MonthQuerySchema,
)

blp = Blueprint(
    "forwarding",
    __name__,
    url_prefix=API_PREFIX,
    description="Notes forwarded to the municipality's public-space reports (Signalen, Open311), and its answer.",
)


@blp.route("/notes/<uuid:note_id>/forwards")
class NoteForwards(MethodView):
    @blp.group_scoped
    @blp.response(200, ForwardSchema(many=True))
    def get(self, note_id: uuid.UUID) -> Any:
        """Where a note was forwarded, and what became of it (same access as the note)"""
        return service.forwards_of(current_person(), note_id)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(ForwardCreateSchema)
    @blp.response(202, ForwardSchema)
    def post(self, data: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Forward a note to its municipality (coordinators; the author where the group allows it)

        The note is queued and sent by a dispatcher after this request: the answer is its forward
        record (`queued`). Forwarding again answers the same record and sends nothing twice; a failed
        forward is queued again. What goes: the note's text, place and time, its photos (without
        metadata) and the municipality's category; a name and address only when the author agrees
        (`share_contact`). 409 when no target is configured or the note is held; 422 when the
        municipality takes no such category or needs a point the note does not have.
        """
        return service.forward_note(current_person(), note_id, data)


@blp.route("/groups/<uuid:group_id>/forwarding")
class GroupForwarding(MethodView):
    @blp.group_scoped
    @blp.response(200, ForwardingSchema)
    def get(self, group_id: uuid.UUID) -> Any:
        """Where the group's notes can be forwarded, and whether authors may"""
        return service.forwarding_of(current_person(), group_id)

    @blp.group_scoped
    @blp.arguments(ForwardingChangeSchema)
    @blp.response(200, ForwardingSchema)
    def put(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Let authors forward their own notes, or not (coordinators)"""
        return service.set_forwarding(current_person(), group_id, data["authors_may_forward"])


@blp.route("/notes/<uuid:note_id>/fixed-yet")
class FixedYet(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(FixedYetAnswerSchema)
    @blp.response(200, ForwardSchema)
    def post(self, data: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Answer "Fixed yet?": is it fixed, or still there (the note's author, once asked)

        Some weeks after a note went to the municipality (FIXED_YET_WEEKS, 4) while it is still open there,
        its author gets one push asking this. The answer is kept on the forward (`fixed_yet`), added to the
        note's history (`fixed_yet`) and counted in the monthly summary. The same answer again changes
        nothing; the other answer replaces it. 409 when the note was not asked.
        """
        return service.answer_fixed_yet(current_person(), note_id, data["fixed"])


@blp.route("/areas/<int(max=2147483647):area_id>/forwarding-stats")
class AreaForwardingStats(MethodView):
    @blp.admin_only
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(MonthQuerySchema, location="query")
    @blp.response(200, AreaForwardFiguresSchema)
    def get(self, query: dict[str, Any], area_id: int) -> Any:
        """Notes forwarded to the municipality from an area in a month, and what became of them (admins)

        Numbers only, for every group in the area and the areas below it (ask per gebied): the same
        computation as the monthly summary's `forwarding`, so a gebied of one group shows its numbers.
        """
        return service.area_figures(area_id, query["month"])
