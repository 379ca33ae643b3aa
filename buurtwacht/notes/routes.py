"""HTTP endpoints for notes: /api/v1/note-categories, /api/v1/groups/{id}/notes..., /api/v1/notes/{id}/..."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request, send_file
from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht import spreadsheets
from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.notes import reads, recording, service
from buurtwacht.notes.categories import CATEGORIES, REFERRALS
from buurtwacht.notes.schemas import (
    CategorySchema,
    CommentCreateSchema,
    GroupCategoriesSchema,
    NoteCountsSchema,
    NoteCreateSchema,
    NoteQuerySchema,
    NoteSchema,
    NoteUpdateSchema,
    PhotoSchema,
    PhotoUploadSchema,
    ReviewSchema,
    StatusChangeSchema,
)
from buurtwacht.readcache import cacheable

blp = Blueprint("notes", __name__, url_prefix=API_PREFIX, description="Notes (waarnemingen) and where they belong.")


def photo_sized(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let this request's body be as large as a photo (the API's 1 MiB limit is for JSON)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = current_app.config["BUURTWACHT"].PHOTO_MAX_BYTES
        return view(*args, **kwargs)

    return wrapper


@blp.route("/note-categories")
class Categories(MethodView):
    @blp.signed_in
    @blp.response(200, CategorySchema(many=True))
    def get(self) -> Any:
        """All note categories, with where a report belongs (referral guidance)

        Reference data, in Dutch and English. `domestic_violence` is never recorded: it only
        refers to Veilig Thuis.
        """
        return [
            {
                "code": c.code,
                "label": c.label,
                "examples": c.examples,
                "recordable": c.recordable,
                "referrals": [REFERRALS[r] for r in c.referrals],
            }
            for c in CATEGORIES.values()
        ]


@blp.route("/groups/<uuid:group_id>/categories")
class GroupCategories(MethodView):
    @blp.group_scoped
    @blp.response(200, GroupCategoriesSchema)
    def get(self, group_id: uuid.UUID) -> Any:
        """The categories this group uses"""
        return {"categories": service.categories_of(current_person(), group_id)}

    @blp.group_scoped
    @blp.arguments(GroupCategoriesSchema)
    @blp.response(200, GroupCategoriesSchema)
    def put(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Choose the categories this group uses (coordinators); an empty list means all"""
        return {"categories": service.choose_categories(current_person(), group_id, data["categories"])}


@blp.route("/groups/<uuid:group_id>/notes")
class GroupNotes(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.arguments(NoteQuerySchema, location="query")
    @blp.response(200, NoteSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], group_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """List a group's notes, newest first

        Members see the group's notes (a held note only its author and coordinators); the
        wijkagent sees what was shared with the police, and each read is written to the audit
        log. Filter by status, category, period (`from`, `to`), area and patrol.
        """
        return reads.list_notes(current_person(), group_id, filters, pagination_parameters)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(NoteCreateSchema)
    @blp.response(201, NoteSchema)
    @blp.presumes_versions  # recording.record_note: its one statement refuses to write under changed versions
    def post(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Record a note (members)

        The app makes the `id`: sending the same note again returns it unchanged; another body
        under the same id is 409. The answer carries the category's referral guidance.
        """
        return recording.record_note(current_person(), group_id, data)


@blp.route("/groups/<uuid:group_id>/notes/counts")
class NoteCounts(MethodView):
    @blp.group_scoped
    @blp.arguments(NoteQuerySchema, location="query")
    @blp.response(200, NoteCountsSchema)
    def get(self, filters: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Numbers of notes by category and status (everyone related to the group, admins too)"""
        return service.counts(current_person(), group_id, filters)


@blp.route("/groups/<uuid:group_id>/notes/export")
class NoteExport(MethodView):
    @blp.group_scoped
    @blp.arguments(NoteQuerySchema, location="query")
    @blp.response(
        200,
        content_type="text/csv",
        description="CSV for a spreadsheet, one note a row, in the coordinator's language: `;`-separated "
        "UTF-8 with a BOM and CRLF line ends (what a Dutch Excel opens with a double click), decimal "
        "commas in Dutch, times in Europe/Amsterdam as `2026-11-01 00:15`, and text that would run as a "
        "formula prefixed with `'`",
    )
    def get(self, filters: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Export notes of a period as CSV (coordinators)"""
        body, name = service.export_csv(current_person(), group_id, filters)
        disposition = f'attachment; filename="{name}"'
        return Response(body, content_type=spreadsheets.CONTENT_TYPE, headers={"Content-Disposition": disposition})


@blp.route("/notes/<uuid:note_id>")
class NoteById(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.response(200, NoteSchema)
    def get(self, note_id: uuid.UUID) -> Any:
        """Get a note with its history, comments and referral guidance"""
        return reads.get_note(current_person(), note_id)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(NoteUpdateSchema)
    @blp.response(200, NoteSchema)
    def patch(self, changes: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Edit your note (its author, for a short time after recording; later: comments)"""
        return service.update_note(current_person(), note_id, changes)


@blp.route("/notes/<uuid:note_id>/share")
class Share(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, NoteSchema)
    def post(self, note_id: uuid.UUID) -> Any:
        """Share a note with the wijkagent (its author or a coordinator)"""
        return service.share_with_police(current_person(), note_id)


@blp.route("/notes/<uuid:note_id>/status")
class Status(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, NoteSchema)
    def post(self, data: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Move a note's follow-up on, with the reason (coordinators)

        open -> reported -> resolved or no_action (also straight from open).
        """
        return service.change_status(current_person(), note_id, data["status"], data["reason"])


@blp.route("/notes/<uuid:note_id>/review")
class Review(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(ReviewSchema)
    @blp.response(200, NoteSchema)
    def post(self, data: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Release a held note to the group, or close it (coordinators)"""
        return service.review(current_person(), note_id, data["decision"] == "release", data["reason"])


@blp.route("/notes/<uuid:note_id>/comments")
class Comments(MethodView):
    @blp.group_scoped
    @blp.arguments(CommentCreateSchema)
    @blp.response(201, NoteSchema)
    def post(self, data: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Add a comment (anyone who can read the note); comments are never edited"""
        return service.add_comment(current_person(), note_id, data["text"])


@blp.route("/notes/<uuid:note_id>/photos")
class Photos(MethodView):
    @photo_sized
    @blp.group_scoped
    @blp.rate_limited("photos")
    @blp.conflicts
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.arguments(PhotoUploadSchema, location="files")
    @blp.response(201, PhotoSchema)
    def post(self, files: dict[str, Any], note_id: uuid.UUID) -> Any:
        """Add a photo to your note (multipart field `photo`, JPEG or PNG)

        The image is checked by reading it, turned upright, scaled to at most 2048 pixels and
        stored without EXIF or location metadata. At most BUURTWACHT_PHOTOS_PER_NOTE photos,
        each at most BUURTWACHT_PHOTO_MAX_BYTES and 25 megapixels (422 beyond, judged from the
        header); only while the note can be edited. Uploads per person are limited
        (BUURTWACHT_RATE_LIMIT_PHOTOS, refused ones too): 429 beyond.
        """
        return service.add_photo(current_person(), note_id, files["photo"].read())


@blp.route("/notes/<uuid:note_id>/photos/<uuid:photo_id>")
class Photo(MethodView):
    @blp.group_scoped
    @blp.response(200, content_type="image/jpeg", description="The photo (JPEG or PNG)")
    def get(self, note_id: uuid.UUID, photo_id: uuid.UUID) -> Any:
        """Get a photo (same access as its note)"""
        path, content_type = service.photo_file(current_person(), note_id, photo_id)
        return send_file(path, mimetype=content_type, max_age=0, conditional=False)
