"""The one reading path for every user file: bytes, text, YAML, JSON, Parquet, CSV.

Every file a user hands to indopacsim (a scenario, an experiment, a landscape case, a
manifest, a run or sweep table) is read here, with limits, so that any input ends in a
correct result or one :class:`~indopacsim.errors.InputError` naming the file and, where
there is one, the field; never a traceback, a hang or a memory blow-up:

- only regular files (a FIFO, a device or a directory is refused without opening it
  for blocking reads), at most :data:`MAX_TEXT_BYTES` for text files;
- text is UTF-8 (the error gives the line and column of the first bad byte);
- YAML is read with the safe loader only (no Python objects), nesting at most
  :data:`MAX_DEPTH` levels, at most :data:`MAX_ALIASES` aliases and
  :data:`MAX_NODES` nodes once aliases are expanded (alias bombs and recursive
  anchors are refused before anything walks the document);
- numbers are finite (``.inf``, ``.nan``, ``1e999`` are refused, naming the field);
- JSON documents: the same limits; Parquet tables: readable, with the columns asked for.

It is also the one translator of a pydantic ``ValidationError`` into the one-line
:class:`InputError` (:func:`validation_error`). This package sits at the bottom of
indopacsim: it imports only :mod:`indopacsim.errors` and third-party libraries. Its
modules: ``files`` (limits, bytes, text, output directories), ``documents`` (YAML, JSON),
``tables`` (Parquet, CSV), ``translate`` (pydantic errors); every name is importable from
``indopacsim.safeio``.
"""

from indopacsim.safeio.documents import (
    check_finite,
    load_yaml_mapping,
    parse_yaml,
    read_json_mapping,
)
from indopacsim.safeio.files import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_QUOTE,
    MAX_TEXT_BYTES,
    PathLike,
    check_output_dir,
    decode,
    quote,
    read_bytes,
    read_text,
)
from indopacsim.safeio.tables import read_csv, read_parquet, read_parquet_frame
from indopacsim.safeio.translate import error_field, validation_error

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_QUOTE",
    "MAX_TEXT_BYTES",
    "PathLike",
    "check_finite",
    "check_output_dir",
    "decode",
    "error_field",
    "load_yaml_mapping",
    "parse_yaml",
    "quote",
    "read_bytes",
    "read_csv",
    "read_json_mapping",
    "read_parquet",
    "read_parquet_frame",
    "read_text",
    "validation_error",
]
