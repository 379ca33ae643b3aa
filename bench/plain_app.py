"""The plain-stack baseline for bench/load.py: the simplest app on the same stack, served like the API.

flask-smorest with marshmallow schemas and the SQLAlchemy ORM on the bench's PostgreSQL database,
rows of 8 fields, no sign-in, a session per request committed at its end: a list of 50 rows, one row
by key, and inserting one row. What the API's requests are compared with (issue 14's "plain" rows).
The table is made and filled by bench/load.py (`TABLE`); PLAIN_DATABASE_URL names the database.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import marshmallow as ma
from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from sqlalchemy import DateTime, Integer, String, Uuid, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, scoped_session, sessionmaker

TABLE = """
CREATE TABLE plain_items (
    id uuid PRIMARY KEY, name varchar(120) NOT NULL, street varchar(120) NOT NULL, category varchar(40) NOT NULL,
    status varchar(20) NOT NULL, count integer NOT NULL, created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO plain_items SELECT gen_random_uuid(), 'Item ' || i, 'Straat ' || mod(i, 53), 'youth_nuisance', 'open', i,
    now() - i * interval '1 minute', now() FROM generate_series(1, 1000) i;
CREATE INDEX plain_items_created_at ON plain_items (created_at);
"""


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "plain_items"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ItemSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(required=True)
    street = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    status = ma.fields.String(dump_only=True)
    count = ma.fields.Integer(load_default=0)
    created_at = ma.fields.DateTime(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


app = Flask(__name__)
app.config.update(API_TITLE="plain", API_VERSION="1", OPENAPI_VERSION="3.1.0")
api = Api(app)
blp = Blueprint("items", __name__, url_prefix="/items")
engine = create_engine(os.environ.get("PLAIN_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test"))
Session = scoped_session(sessionmaker(engine))


@app.teardown_appcontext
def _end(_exc: BaseException | None) -> None:
    Session.remove()


@blp.route("")
class Items(MethodView):
    @blp.response(200, ItemSchema(many=True))
    def get(self) -> Any:
        return Session.scalars(select(Item).order_by(Item.created_at.desc()).limit(50)).all()

    @blp.arguments(ItemSchema)
    @blp.response(201, ItemSchema)
    def post(self, data: dict[str, Any]) -> Any:
        now = dt.datetime.now(dt.UTC)
        item = Item(**data, status="open", created_at=now, updated_at=now)
        Session.add(item)
        Session.commit()
        return item


@blp.route("/<uuid:item_id>")
class OneItem(MethodView):
    @blp.response(200, ItemSchema)
    def get(self, item_id: uuid.UUID) -> Any:
        return Session.get_one(Item, item_id)


api.register_blueprint(blp)
