"""HTTP endpoints for swaps: /api/v1/patrols/{id}/swaps, /api/v1/swaps/{id}/..., /api/v1/me/swaps."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.swaps import service
from buurtwacht.swaps.schemas import SwapOfferSchema, SwapSchema

blp = Blueprint("swaps", __name__, url_prefix=API_PREFIX, description="Two volunteers swap places on patrols.")


@blp.route("/patrols/<uuid:patrol_id>/swaps")
class PatrolSwaps(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(SwapOfferSchema)
    @blp.response(201, SwapSchema)
    def post(self, data: dict[str, Any], patrol_id: uuid.UUID) -> Any:
        """Offer your place on a patrol to a fellow member

        Optionally ask for their place on another patrol in return. They are told, and accept
        or decline; until then you keep your place.
        """
        return service.swap_view(
            service.offer(current_person(), patrol_id, data["to_person_id"], data["other_patrol_id"])
        )


@blp.route("/swaps/<uuid:swap_id>/accept")
class Accept(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, SwapSchema)
    def post(self, swap_id: uuid.UUID) -> Any:
        """Accept a swap offered to you: the places change hands at once"""
        return service.swap_view(service.accept(current_person(), swap_id))


@blp.route("/swaps/<uuid:swap_id>/decline")
class Decline(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, SwapSchema)
    def post(self, swap_id: uuid.UUID) -> Any:
        """Decline a swap offered to you"""
        return service.swap_view(service.decline(current_person(), swap_id))


@blp.route("/swaps/<uuid:swap_id>")
class SwapById(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(204)
    def delete(self, swap_id: uuid.UUID) -> None:
        """Withdraw your own swap offer"""
        service.withdraw(current_person(), swap_id)


@blp.route("/me/swaps")
class MySwaps(MethodView):
    @blp.signed_in
    @blp.response(200, SwapSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, pagination_parameters: PaginationParameters) -> Any:
        """Swaps offered by me or to me, newest first"""
        return [service.swap_view(s) for s in service.mine(current_person(), pagination_parameters)]
