"""HTTP endpoints under /api/v1/me/devices."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.devices import service
from buurtwacht.devices.schemas import DeviceRegisterSchema, DeviceSchema

blp = Blueprint(
    "devices", __name__, url_prefix=f"{API_PREFIX}/me/devices", description="Devices that receive my pushes."
)


@blp.route("")
class Devices(MethodView):
    @blp.signed_in
    @blp.response(200, DeviceSchema(many=True))
    def get(self) -> Any:
        """My devices"""
        return service.mine(current_person())


@blp.route("/<uuid:device_id>")
class DeviceById(MethodView):
    @blp.signed_in
    @blp.arguments(DeviceRegisterSchema)
    @blp.response(200, DeviceSchema)
    def put(self, data: dict[str, Any], device_id: uuid.UUID) -> Any:
        """Register or refresh a device (the app makes the id, one per installation)

        Call it at every start and whenever FCM gives a new token or installation id.
        """
        return service.register(current_person(), device_id, data)

    @blp.signed_in
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, device_id: uuid.UUID) -> None:
        """Unregister a device (at sign-out)"""
        service.unregister(current_person(), device_id)
