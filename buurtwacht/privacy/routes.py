"""HTTP endpoints for privacy rights: /api/v1/me/export, DELETE /api/v1/me and /api/v1/audit-log."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht import db
from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.localtime import local_date
from buurtwacht.privacy import service
from buurtwacht.privacy.schemas import AuditEntrySchema, AuditQuerySchema, ExportSchema

blp = Blueprint(
    "privacy",
    __name__,
    url_prefix=API_PREFIX,
    description="Privacy rights (AVG): your data as a file, deleting your account, and the audit log.",
)


@blp.route("/me/export")
class MyData(MethodView):
    @blp.signed_in
    @blp.response(200, ExportSchema)
    def get(self) -> Any:
        """Download all data held about me (AVG right of access)

        Your profile and settings, memberships and their history, devices (without their push
        address), patrol sign-ups and check-ins, the notes you wrote with their comments and history,
        your comments, tips, alerts that reached you, subscriptions, whether you have a calendar feed
        (not its secret), e-mails and pushes queued to you. Other people's names are left out.
        Sent as a download: `Content-Disposition: attachment; filename="buurtwacht-export-YYYY-MM-DD.json"`.
        """
        filename = f"buurtwacht-export-{local_date(db.utcnow()).isoformat()}.json"
        return service.export(), {"Content-Disposition": f'attachment; filename="{filename}"'}


@blp.route("/me")
class MyAccount(MethodView):
    @blp.signed_in
    @blp.conflicts
    @blp.response(204)
    def delete(self) -> None:
        """Delete my account (AVG right to erasure)

        Your memberships end (your places on planned patrols go to the waiting list), your devices,
        tips, subscriptions and calendar feed go, and your name, e-mail and phone are erased. Notes
        you wrote stay with the group under the name "Oud-deelnemer". The last coordinator of a group
        is refused (409): make another member coordinator first. Signing in again afterwards makes
        a new, empty account.
        """
        service.delete_me()


@blp.route("/audit-log")
class AuditLog(MethodView):
    @blp.admin_only
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """The audit log of the wijkagenten's reads of shared notes (admins)

        Newest first. Filter by period (`from`, `to`) and by reader (`reader_id`).
        """
        return service.audit_log(filters, pagination_parameters)
