"""A generic codec between the model's frozen dataclasses and plain JSON data.

The store keeps analyses as JSON so they can be reloaded without re-running spaCy. Rather than a
hand-written ``to_dict``/``from_dict`` per class (which drifts every time a field is added), the
codec reads the type hints of each dataclass: tuples become lists, nested dataclasses become
objects, ``X | None`` accepts ``null``. Fields declared with ``compare=False`` (the transient spaCy
``doc``) are not data and are skipped; they come back as their default.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar, Union

T = TypeVar("T")


class CodecError(ValueError):
    """JSON data that does not fit the dataclass it is decoded into."""


def _stored_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.compare)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses -> dicts, tuples -> lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in _stored_fields(type(value))}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` (a dataclass or a typing expression) from JSON data."""
    if tp is Any or tp is object:
        return data
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if data is None:
            if type(None) in options:
                return None
            raise CodecError(f"null is not a {tp}")
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return decode(option, data)
            except CodecError as exc:
                errors.append(str(exc))
        raise CodecError(f"{data!r} fits none of {tp}: {errors}")
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise CodecError(f"{data!r} is not one of {typing.get_args(tp)}")
        return data
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise CodecError(f"expected a list for {tp}, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        if len(args) != len(data):
            raise CodecError(f"expected {len(args)} items for {tp}, got {len(data)}")
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [decode(arg, v) for v in data]
    if origin is dict:
        _key, arg = typing.get_args(tp)
        return {k: decode(arg, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, data)
    return _decode_scalar(tp, data)


def _decode_dataclass(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        raise CodecError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
    hints = _hints(cls)
    kwargs = {}
    for f in _stored_fields(cls):
        if f.name in data:
            kwargs[f.name] = decode(hints[f.name], data[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise CodecError(f"{cls.__name__}.{f.name} is missing")
    return cls(**kwargs)


def _decode_scalar(tp: Any, data: Any) -> Any:
    if tp is float:
        # JSON writes 3.0 as 3.0, but data from elsewhere may carry an int for a float field.
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise CodecError(f"{data!r} is not a number")
        return float(data)
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise CodecError(f"{data!r} is not an integer")
        return data
    if tp in (str, bool):
        if not isinstance(data, tp):
            raise CodecError(f"{data!r} is not a {tp.__name__}")
        return data
    if tp is type(None):
        if data is not None:
            raise CodecError(f"{data!r} is not null")
        return None
    raise CodecError(f"the codec cannot decode type {tp!r}")


def dumps(value: Any) -> str:
    """Compact JSON of ``value`` (dataclasses included); stable key order, non-ASCII kept."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(tp: type[T], text: str) -> T:
    """The ``tp`` value encoded in ``text`` by :func:`dumps`."""
    return decode(tp, json.loads(text))  # type: ignore[no-any-return]
