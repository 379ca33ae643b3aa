"""HTTP endpoints under /api/v1/areas."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.areas import figures, service, shared_notes
from buurtwacht.areas.schemas import (
    AreaCreateSchema,
    AreaFiguresSchema,
    AreaQuerySchema,
    AreaSchema,
    AreaUpdateSchema,
    FiguresQuerySchema,
    OfficerAssignSchema,
    OfficerSchema,
    SharedNoteQuerySchema,
)
from buurtwacht.auth.service import current_person
from buurtwacht.notes.schemas import NoteSchema

blp = Blueprint(
    "areas",
    __name__,
    url_prefix=f"{API_PREFIX}/areas",
    description="The area tree: gemeente, gebieden, wijken and dorpen; and their wijkagenten.",
)


@blp.route("")
class Areas(MethodView):
    @blp.signed_in
    @blp.arguments(AreaQuerySchema, location="query")
    @blp.response(200, AreaSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=500)
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """List areas

        Reference data: Emmen's six gebieden with their wijken and dorpen. Filter by `kind` or
        `parent_id` to walk the tree.
        """
        return service.list_areas(filters, pagination_parameters)

    @blp.admin_only
    @blp.conflicts
    @blp.arguments(AreaCreateSchema)
    @blp.response(201, AreaSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add an area (admins)

        A district lies in the municipality; a wijk or dorp lies in a district.
        """
        return service.create_area(data)


@blp.route("/<int(max=2147483647):area_id>")
class AreaById(MethodView):
    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, AreaSchema)
    def get(self, area_id: int) -> Any:
        """Get an area"""
        return service.get_area(area_id)

    @blp.admin_only
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(AreaUpdateSchema)
    @blp.response(200, AreaSchema)
    def patch(self, changes: dict[str, Any], area_id: int) -> Any:
        """Change an area's name, centre or boundary (admins)"""
        return service.update_area(area_id, changes)


@blp.route("/<int(max=2147483647):area_id>/officers")
class AreaOfficers(MethodView):
    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, OfficerSchema(many=True))
    def get(self, area_id: int) -> Any:
        """List the wijkagenten of an area (names only)"""
        return service.officers_of(area_id)

    @blp.admin_only
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(OfficerAssignSchema)
    @blp.response(201, OfficerSchema)
    def post(self, data: dict[str, Any], area_id: int) -> Any:
        """Assign a wijkagent to an area (admins)

        The officer then reads what the groups in this area (and the areas below it) share
        with the police. Assigning twice changes nothing.
        """
        return service.assign_officer(area_id, data["email"], data["display_name"])


@blp.route("/<int(max=2147483647):area_id>/officers/<uuid:person_id>")
class AreaOfficer(MethodView):
    @blp.admin_only
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, area_id: int, person_id: uuid.UUID) -> None:
        """Remove a wijkagent from an area (admins)"""
        service.unassign_officer(area_id, person_id)


@blp.route("/<int(max=2147483647):area_id>/figures")
class AreaFigures(MethodView):
    @blp.signed_in
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(FiguresQuerySchema, location="query")
    @blp.response(200, AreaFiguresSchema)
    def get(self, query: dict[str, Any], area_id: int) -> Any:
        """An area's anonymous figures per month of a year (admins, the area's wijkagent)

        Patrols planned, walked and cancelled, volunteer hours, active volunteers and notes by
        category, for every group in the area and the areas below it (ask per gebied): numbers
        only, counted as in the monthly summary. Alerts per month: `alert-stats`.
        """
        area = service.served_area(current_person(), area_id, admins=True)
        return figures.of_area(area, query["year"])


@blp.route("/<int(max=2147483647):area_id>/shared-notes")
class AreaSharedNotes(MethodView):
    @blp.signed_in
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.arguments(SharedNoteQuerySchema, location="query")
    @blp.response(200, NoteSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], area_id: int, pagination_parameters: PaginationParameters) -> Any:
        """The notes shared with the police in an area, newest first (the area's wijkagent)

        What every group in the area and the areas below it shared with the police, as each
        group's list shows it to the wijkagent (never a held note); each read is written to the
        audit log. Filter by status, category, group and period (`from`, `to`).
        """
        return shared_notes.shared_notes(current_person(), area_id, filters, pagination_parameters)
