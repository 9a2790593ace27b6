"""orjson serialisation of events, decoded by the events' own type hints.

Stored state is plain JSON with no type tags (dates as ``YYYY-MM-DD``, moments as RFC 3339, UUIDs
canonical, decimals as strings), so other systems and inspectors can read the log as it is. Types
come back exactly because each event class declares them: the mapper converts every field by its
annotation when it decodes. Snapshots are decoded by the annotations of the aggregate they hold.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Union, cast
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

Convert = Callable[[Any], Any]

# Attributes every eventsourcing aggregate keeps besides its own annotated ones.
_AGGREGATE_BASE_HINTS: dict[str, Any] = {"_created_on": datetime, "_modified_on": datetime}


class OrjsonMapper(Mapper[UUID]):
    """Maps domain events to stored JSON with orjson and back, by the classes' type hints."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        data = encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=data,
        )

    def stored_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        """The record's fields as stored JSON, not decoded into an event: for a reader that
        wants one field of many records (``domain.directives.references.LegacyReferences``)."""
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state = decode(data)
        except (orjson.JSONDecodeError, ValueError) as e:
            msg = f"cannot decode stored event {stored_event.topic}: {e}"
            raise MapperDeserialisationError(msg) from e
        if not isinstance(state, dict):
            msg = f"stored event {stored_event.topic} is not a JSON object"
            raise MapperDeserialisationError(msg)
        return state

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            state = cast("dict[str, Any]", decode(data))
            class_version = getattr(cls, "class_version", 1)
            from_version = state.pop("class_version", 1)
            while from_version < class_version:
                getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
                from_version += 1
            state = _decode_event_state(cls, state)
        except (orjson.JSONDecodeError, TypeError, ValueError, KeyError) as e:
            msg = (
                f"cannot decode stored event {stored_event.topic} "
                f"{stored_event.originator_id} v{stored_event.originator_version}: {e}"
            )
            raise MapperDeserialisationError(msg) from e
        originator_id = stored_event.originator_id
        state["originator_id"] = (
            originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        )
        state["originator_version"] = stored_event.originator_version
        domain_event = object.__new__(cls)
        object.__setattr__(domain_event, "__dict__", state)
        return cast("DomainEventProtocol[UUID]", domain_event)


def encode(value: Any) -> bytes:
    """JSON bytes for a value built of dataclasses, enums, dates, moments, UUIDs and decimals.

    orjson refuses a lone surrogate, which no new event carries (``domain.shared.text``) but an
    aggregate rebuilt from an older log may: its snapshot is then written by the standard
    library, the surrogate escaped (``\\ud800``), and ``decode`` reads it back as it was.
    """
    try:
        return orjson.dumps(value, default=_default)
    except orjson.JSONEncodeError as e:
        if "surrogates" not in str(e):
            raise
        return json.dumps(value, default=_standard_default, separators=(",", ":")).encode()


def decode(data: bytes) -> Any:
    """The JSON value of stored bytes, faithfully even where orjson refuses them.

    An older version, or anyone writing to the store, may have left a lone surrogate escaped
    (``\\ud800``) or bytes that are not UTF-8. orjson refuses both; the standard library reads
    the first as it is and, with each stray byte read as the surrogate that stands for it
    (U+DC80-U+DCFF, Python's ``surrogateescape``), the second. The read models then show each
    escaped (``readmodels.text.storable``); bytes that are not JSON at all still fail here.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(bytes(data).decode("utf-8", "surrogateescape"))


def _standard_default(value: Any) -> Any:
    """What orjson writes natively, for the standard library's encoder."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return _default(value)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    msg = f"{type(value).__name__} is not serialisable in an event"
    raise TypeError(msg)


def _decode_event_state(cls: Any, state: dict[str, Any]) -> dict[str, Any]:
    if issubclass(cls, Snapshot):
        decoded = _decode_fields(_hints(cls), state)
        aggregate_cls = resolve_topic(decoded["topic"])
        decoded["state"] = _decode_fields(_aggregate_hints(aggregate_cls), decoded["state"])
        return decoded
    return _decode_fields(_hints(cls), state)


def _decode_fields(converters: dict[str, Convert | None], state: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, value in state.items():
        convert = converters.get(name)
        decoded[name] = value if convert is None or value is None else convert(value)
    return decoded


@cache
def _hints(cls: type[Any]) -> dict[str, Convert | None]:
    return {name: converter(tp) for name, tp in typing.get_type_hints(cls).items()}


@cache
def _aggregate_hints(cls: type[Any]) -> dict[str, Convert | None]:
    hints = dict(_AGGREGATE_BASE_HINTS)
    hints.update(typing.get_type_hints(cls))
    return {name: converter(tp) for name, tp in hints.items()}


_SCALARS: tuple[Any, ...] = (str, int, float, bool, type(None), Any, object)


@cache
def converter(tp: Any) -> Convert | None:  # noqa: PLR0911, PLR0912 - a branch per annotation kind
    """A function turning decoded JSON into a value of type ``tp``; None when JSON already is one.

    Unsupported annotations fail here, when a class is first decoded, not silently later.
    """
    if tp in _SCALARS or isinstance(tp, typing.TypeVar):
        return None
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is UUID:
        return UUID
    if tp is Decimal:
        return Decimal
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_converter(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Literal or origin is typing.ClassVar:
        return None
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            msg = f"cannot decode a union of several types: {tp}"
            raise TypeError(msg)
        return converter(options[0])
    if origin is tuple:
        return _sequence_converter(tuple, args[0] if len(args) == 2 and args[1] is ... else Any)
    if origin in (list, frozenset, set):
        return _sequence_converter(origin, args[0] if args else Any)
    if origin is dict:
        value_convert = converter(args[1]) if args else None
        if value_convert is None:
            return None
        return lambda d: {k: (v if v is None else value_convert(v)) for k, v in d.items()}
    msg = f"no JSON decoding for annotation {tp!r}"
    raise TypeError(msg)


def _sequence_converter(container: Callable[[Any], Any], item_type: Any) -> Convert:
    item_convert = converter(item_type)
    if item_convert is None:
        return container
    return lambda items: container(item_convert(i) if i is not None else None for i in items)


def _dataclass_converter(cls: type[Any]) -> Convert:
    field_converters = {name: converter(tp) for name, tp in typing.get_type_hints(cls).items()}
    init_fields = {f.name for f in dataclasses.fields(cls) if f.init}

    def convert(value: dict[str, Any]) -> Any:
        kwargs = {
            name: v if (c := field_converters.get(name)) is None or v is None else c(v)
            for name, v in value.items()
            if name in init_fields
        }
        return cls(**kwargs)

    return convert
