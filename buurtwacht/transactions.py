"""One transaction per request: committed at the edge when the answer is a success, else rolled back."""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy.exc import IntegrityError, OperationalError

from buurtwacht import db, messages
from buurtwacht.errors import error_response


def _commit_or_roll_back(response: Response) -> Response:
    if not db.has_session():
        return response
    session = db.session()
    if response.status_code >= 400:
        session.rollback()
        return response
    if db.reads_only(session):  # its statements ran in autocommit: a commit would only walk the session
        return response
    try:
        session.commit()
    except IntegrityError:
        messages.remember_reader()  # before the rollback expires the person whose language the answer needs
        session.rollback()
        return error_response(409, "conflicts with the current state; reload and try again")
    except OperationalError:
        messages.remember_reader()
        session.rollback()
        return error_response(503, "the database is unavailable; try again shortly")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_commit_or_roll_back)
