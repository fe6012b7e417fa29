"""A generic codec between the model's frozen dataclasses and plain JSON data.

The store keeps analyses as JSON so they can be reloaded without re-running spaCy. Rather than a
hand-written ``to_dict``/``from_dict`` per class (which drifts every time a field is added), the
codec reads the type hints of each dataclass: tuples become lists, nested dataclasses become
objects, ``X | None`` accepts ``null``. Fields declared with ``compare=False`` (the transient spaCy
``doc``) are not data and are skipped; they come back as their default.

It also holds the one reader of JSON that comes from outside (:func:`load_json`): every reader of
JSON input (files, JSONL lines, the ``cluster --jsonl`` stream, uploads, a report to validate)
goes through it, so a document nested deeper than :data:`MAX_JSON_DEPTH` is one clear error
instead of a ``RecursionError`` that ends the batch, and :func:`repair_surrogates` makes the lone
surrogate escapes JSON allows (``"\\ud800"``) into text that can be hashed and stored.
"""

from __future__ import annotations

import dataclasses
import json
import re
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


#: type -> names of its stored fields, or None for a type that is not a dataclass. Looked up once
#: per type: ``dataclasses.fields`` on every value was most of the cost of saving an analysis.
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_PLAIN = (str, int, float, bool, type(None))


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in _stored_fields(cls)) if dataclasses.is_dataclass(cls) else None
        _FIELD_NAMES[cls] = names
        return names


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses -> dicts, tuples -> lists."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _encoder_for(kind)
    return encoder(value)


#: The exact types :func:`encode` returns unchanged (subclasses are found by :func:`_encoder_for`).
_PLAIN_TYPES = frozenset(_PLAIN)
#: type -> the function that encodes its values, chosen once per type: what to do with a value
#: depends only on its type, and choosing it for every value was most of the cost of saving.
_ENCODERS: dict[type, typing.Callable[[Any], Any]] = {}


def _encoder_for(kind: type) -> typing.Callable[[Any], Any]:
    if issubclass(kind, _PLAIN) or issubclass(kind, type):
        return _identity
    if issubclass(kind, tuple | list):
        return _encode_items
    if issubclass(kind, dict):
        return _encode_dict
    names = _field_names(kind)
    if names is None:
        return _identity
    return _dataclass_encoder(names)


def _encode_items(value: Any) -> list[Any]:
    plain = _PLAIN_TYPES
    return [v if type(v) in plain else encode(v) for v in value]


def _encode_dict(value: Any) -> dict[str, Any]:
    return {str(k): encode(v) for k, v in value.items()}


def _dataclass_encoder(names: tuple[str, ...]) -> typing.Callable[[Any], Any]:
    plain = _PLAIN_TYPES

    def dataclass_(value: Any) -> dict[str, Any]:
        out = {}
        for name in names:
            v = getattr(value, name)
            out[name] = v if type(v) in plain else encode(v)
        return out

    return dataclass_


def decode(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` (a dataclass or a typing expression) from JSON data."""
    return _decoder(tp)(data)


Decoder = typing.Callable[[Any], Any]


@cache
def _decoder(tp: Any) -> Decoder:
    """A function that decodes data of type ``tp``, built once per type.

    Reading the type hints and dispatching on them for every value was most of the cost of loading
    analyses; the built functions check exactly what that dispatch checked.
    """
    if tp is Any or tp is object:
        return _identity
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return _union_decoder(tp)
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def literal(data: Any) -> Any:
            if data not in allowed:
                raise CodecError(f"{data!r} is not one of {allowed}")
            return data

        return literal
    if origin is tuple:
        return _tuple_decoder(tp)
    if origin is list:
        (arg,) = typing.get_args(tp)
        item = _decoder(arg)
        return lambda data: [item(v) for v in data]
    if origin is dict:
        _key, arg = typing.get_args(tp)
        value = _decoder(arg)
        return lambda data: {k: value(v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    return _scalar_decoder(tp)


def _identity(data: Any) -> Any:
    return data


#: The scalar types whose decoder returns JSON data of exactly that type unchanged.
_SCALARS: dict[Any, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    bool: frozenset({bool}),
    float: frozenset({float}),
    type(None): frozenset({type(None)}),
}


@cache
def _kept(tp: Any) -> frozenset[type]:
    """The exact types of JSON data that the decoder of ``tp`` returns unchanged (maybe none).

    Decoders are skipped for such data: calling one per string and number was most of the cost
    of loading. A union qualifies when each option is such a scalar and no option converts
    another's data (``float`` takes an ``int`` and makes it a float).
    """
    if tp in _SCALARS:
        return _SCALARS[tp]
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if all(o in _SCALARS for o in options) and not (float in options and int in options):
            return frozenset().union(*(_SCALARS[o] for o in options))
    return frozenset()


def _union_decoder(tp: Any) -> Decoder:
    options = typing.get_args(tp)
    nullable = type(None) in options
    decoders = [_decoder(o) for o in options if o is not type(None)]

    def union(data: Any) -> Any:
        if data is None:
            if nullable:
                return None
            raise CodecError(f"null is not a {tp}")
        errors = []
        for option in decoders:
            try:
                return option(data)
            except CodecError as exc:
                errors.append(str(exc))
        raise CodecError(f"{data!r} fits none of {tp}: {errors}")

    return union


def _tuple_decoder(tp: Any) -> Decoder:
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        kept = _kept(args[0])

        def var_tuple(data: Any) -> Any:
            if not isinstance(data, list):
                raise CodecError(f"expected a list for {tp}, got {type(data).__name__}")
            return tuple([v if type(v) in kept else item(v) for v in data])

        return var_tuple
    items = [(_decoder(a), _kept(a)) for a in args]

    def fixed_tuple(data: Any) -> Any:
        if not isinstance(data, list):
            raise CodecError(f"expected a list for {tp}, got {type(data).__name__}")
        if len(items) != len(data):
            raise CodecError(f"expected {len(items)} items for {tp}, got {len(data)}")
        return tuple([v if type(v) in kept else d(v) for (d, kept), v in zip(items, data, strict=True)])

    return fixed_tuple


def _dataclass_decoder(cls: type[T]) -> Decoder:
    # name, decoder, the data it keeps as is, required; filled on first use, because a dataclass
    # may refer to itself (or to one that refers back to it)
    fields: list[tuple[str, Decoder, frozenset[type], bool]] = []

    def dataclass_(data: Any) -> T:
        if not isinstance(data, dict):
            raise CodecError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
        if not fields:
            hints = _hints(typing.cast(type, cls))
            fields.extend(
                (
                    f.name,
                    _decoder(hints[f.name]),
                    _kept(hints[f.name]),
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                )
                for f in _stored_fields(cls)
            )
        kwargs = {}
        for name, field_decoder, kept, required in fields:
            if name in data:
                v = data[name]
                kwargs[name] = v if type(v) in kept else field_decoder(v)
            elif required:
                raise CodecError(f"{cls.__name__}.{name} is missing")
        return cls(**kwargs)

    return dataclass_


def _scalar_decoder(tp: Any) -> Decoder:
    if tp is float:

        def float_(data: Any) -> Any:
            # JSON writes 3.0 as 3.0, but data from elsewhere may carry an int for a float field.
            if isinstance(data, bool) or not isinstance(data, int | float):
                raise CodecError(f"{data!r} is not a number")
            return float(data)

        return float_
    if tp is int:

        def int_(data: Any) -> Any:
            if isinstance(data, bool) or not isinstance(data, int):
                raise CodecError(f"{data!r} is not an integer")
            return data

        return int_
    if tp in (str, bool):

        def plain(data: Any) -> Any:
            if not isinstance(data, tp):
                raise CodecError(f"{data!r} is not a {tp.__name__}")
            return data

        return plain
    if tp is type(None):

        def none(data: Any) -> Any:
            if data is not None:
                raise CodecError(f"{data!r} is not null")
            return None

        return none

    def unknown(data: Any) -> Any:
        raise CodecError(f"the codec cannot decode type {tp!r}")

    return unknown


def dumps(value: Any) -> str:
    """Compact JSON of ``value`` (dataclasses included); stable key order, non-ASCII kept."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(tp: type[T], text: str) -> T:
    """The ``tp`` value encoded in ``text`` by :func:`dumps`."""
    return decode(tp, json.loads(text))


# --------------------------------------------------------------------------- JSON from outside

#: The deepest nesting of lists and objects accepted in JSON input. A news record is 2-4 levels
#: deep (an object, its metadata, a list of tags); Python's parser gives up with RecursionError
#: near 1,000 levels (fewer when called deep in a stack), and every later recursive step (the
#: metadata encoder, the codec) would need the same headroom. 64 leaves any real feed room.
MAX_JSON_DEPTH = 64
#: A JSON string (escapes included) or one bracket: what the depth scan needs to see.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
#: The same, with the commas that separate the items of a list.
_JSON_ITEM_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.S)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONDepthError(ValueError):
    """JSON nested deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested too deeply (more than {limit} levels of lists and objects)")
        self.limit = limit


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` nests lists and objects deeper than ``limit`` (strings skipped; no recursion)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # cannot be deeper than the number of brackets it opens
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        c = token.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > limit:
                return True
        elif c == "]" or c == "}":
            depth -= 1
    return False


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """JSON data from ``text``, refusing nesting deeper than ``max_depth`` with :class:`JSONDepthError`.

    Malformed JSON raises ``json.JSONDecodeError`` as usual. Strings may hold lone surrogates
    (valid JSON, invalid Unicode): see :func:`repair_surrogates`.
    """
    if json_depth_exceeds(text, max_depth):
        raise JSONDepthError(max_depth)
    try:
        return json.loads(text)
    except RecursionError as exc:  # the scan and the parser disagree only on malformed input
        raise JSONDepthError(max_depth) from exc


def json_list_items(text: str) -> list[str]:
    """The text of each item of the JSON list ``text`` (its outer brackets stripped), split at the
    commas between items, so each can be read, or refused, on its own."""
    body = text.strip()
    if not body.startswith("["):
        raise ValueError("not a JSON list")
    items: list[str] = []
    depth = 0
    start = 1
    for token in _JSON_ITEM_TOKEN.finditer(body):
        c = token.group()
        if c == "[" or c == "{":
            depth += 1
        elif c == "]" or c == "}":
            depth -= 1
            if depth == 0:  # the list's own closing bracket
                items.append(body[start : token.start()])
                break
        elif c == "," and depth == 1:
            items.append(body[start : token.start()])
            start = token.end()
    return [item for item in items if item.strip()]


def repair_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD, and how many.

    JSON's ``\\ud800`` escapes decode to surrogates that no UTF encoding can write, so the text
    could be neither hashed nor stored. Depth is bounded by :data:`MAX_JSON_DEPTH` (the loader's).
    """
    if isinstance(value, str):
        repaired, count = _LONE_SURROGATE.subn("\ufffd", value)
        return repaired, count
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            fixed, n = repair_surrogates(item)
            items.append(fixed)
            total += n
        return (items, total) if total else (value, 0)
    if isinstance(value, dict):
        total = 0
        pairs = {}
        for key, item in value.items():
            fixed_key, n = repair_surrogates(key)
            fixed, m = repair_surrogates(item)
            pairs[fixed_key] = fixed
            total += n + m
        return (pairs, total) if total else (value, 0)
    return value, 0
