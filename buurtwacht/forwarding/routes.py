"""HTTP endpoints for forwarding: /api/v1/notes/{id}/forwards and /api/v1/groups/{id}/forwarding."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.forwarding import service
from buurtwacht.forwarding.schemas import ForwardCreateSchema, ForwardingChangeSchema, ForwardingSchema, ForwardSchema

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
