"""YAML an editor wrote (sidecars, seeds/_people.yml, a note's front matter), read as text.

The file is composed into YAML's node tree and never constructed into Python values, so:

- `yes`, `1.0`, `2025-03-14` and a 5,000-digit number stay the text that was written (no
  booleans, floats, dates, and no integer conversion that raises on huge numbers);
- an alias is the node it names, not a copy: a 400-byte "alias bomb" stays 400 bytes, and an
  error quotes a bounded excerpt of the value's source text, never its expansion;
- a key given twice is an error (YAML itself silently keeps the last);
- every error names the file, the line and the fix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import yaml

from build_tools import patterns
from build_tools.errors import SidecarError, excerpt
from build_tools.textutil import slugify

UNPRINTABLE = (
    (patterns.CONTROL_CHARS, "the control character"),
    (patterns.C1_CONTROL_CHARS, "the control character"),
    (patterns.NONCHARACTERS, "the noncharacter"),
    (patterns.SURROGATES, "the lone surrogate"),
)
# A name gets a page (a person, a topic): the longest real names run to about 60 characters. A
# 300-character "name" is a pasted sentence, and its page address would not fit a file name.
MAX_NAME_CHARS = 120


def line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def fail(path: str, node: yaml.Node, problem: str, fix: str) -> SidecarError:
    return SidecarError(path, problem, fix, line=line(node))


def compose(text: str, path: str) -> yaml.Node | None:
    """The YAML node tree (nothing constructed: `yes` stays the text "yes"), or an error with its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:  # a character YAML refuses (NUL, other controls)
        raise SidecarError(
            path,
            f"contains the character U+{error.character:04X}, which is not text",
            "delete it, and save the file as UTF-8 text",
            line=text.count("\n", 0, error.position) + 1,
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SidecarError(
            path,
            f"not valid YAML ({excerpt(str(getattr(error, 'problem', None) or error))})",
            "check the indentation, and put values that contain `: ` or start with a quote in quotes",
            line=mark.line + 1 if mark else None,
        ) from None


def text(path: str, key: str, node: yaml.Node, *, fold: bool = False) -> str:
    """One line of text, NFC. `fold` joins the lines of a multi-line note instead of refusing them."""
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise fail(path, node, f"`{key}` must be a single line of text", f"write `{key}: some text`")
    value = unicodedata.normalize("NFC", str(node.value)).strip()
    checked(path, key, value, node)
    if fold:
        return patterns.ANY_SPACE.sub(" ", value)
    if patterns.ANY_LINE_BREAK.search(value):
        raise fail(
            path,
            node,
            f"`{key}` runs over more than one line",
            f"put `{key}` on one line; only `notes` may span lines",
        )
    return value


def checked(path: str, key: str, value: str, node: yaml.Node) -> str:
    """Refuse control characters, noncharacters and lone surrogates, by byte or by YAML escape."""
    bad = next(((m, what) for p, what in UNPRINTABLE if (m := p.search(value))), None)
    if bad:
        raise fail(
            path,
            node,
            f"`{key}` contains {bad[1]} U+{ord(bad[0][0]):04X}",
            "delete it; YAML escapes such as `\\x02` or `\\ud800` are not text",
        )
    return value


def name(path: str, key: str, node: yaml.Node) -> str:
    """A name that gets a page (a person, a tag): letters or digits for its address, and not too long."""
    value = text(path, key, node)
    if not slugify(value):
        raise fail(
            path,
            node,
            f"`{key}: {excerpt(value)}` has no letters or digits, so it cannot have a page",
            "write the name in words",
        )
    if len(value) > MAX_NAME_CHARS:
        raise fail(
            path,
            node,
            f"`{key}` is {len(value):,} characters long (`{excerpt(value)}`), more than a name's "
            f"{MAX_NAME_CHARS}",
            "write the name alone; a role or a description belongs elsewhere",
        )
    return value


def sequence(path: str, key: str, node: yaml.Node) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise fail(path, node, f"`{key}` must be a list", f"write one `- item` per line under `{key}:`")
    return list(node.value)


def names(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    """One name, or a list of names: `Full Name` or `[Full Name, Other]`."""
    items = [node] if isinstance(node, yaml.ScalarNode) else sequence(path, key, node)
    return tuple(name(path, key, item) for item in items)


def fields(
    path: str, key: str, node: yaml.Node, allowed: Sequence[str], *, prefix: str = "", fix: str = ""
) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping whose keys are fixed (a sidecar, `hide`, a `split` entry, a note's front matter):
    each key -> (its node, its value's node). A key it does not know is an error at that key's line,
    naming it (`prefix` + key: `hide.speakers`) and the keys it may have; `fix` adds where to read more."""
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for k, v in mapping(path, key, node):
        name = text(path, "key", k)
        if name not in allowed:
            more = f"; {fix}" if fix else ""
            raise fail(
                path, k, f"unknown key `{prefix}{excerpt(name)}`", f"use one of {', '.join(allowed)}{more}"
            )
        found[name] = (k, v)
    return found


def empty(node: yaml.Node) -> bool:
    """`key:` with nothing after it (YAML's null): an empty section or value."""
    return (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value in ("", "~", "null")
    )


def mapping(path: str, key: str, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    """The (key, value) nodes of a mapping; a key given twice is an error naming both lines."""
    if not isinstance(node, yaml.MappingNode):
        raise fail(path, node, f"`{key}` must be a mapping", f"write `name: value` lines under `{key}:`")
    seen: dict[str, int] = {}
    for k, _ in node.value:
        if not isinstance(k, yaml.ScalarNode):
            raise fail(path, k, f"a key under `{key}` is a list or a mapping", "write each key as plain text")
        if k.value in seen:  # YAML keeps the last silently; an editor means one of them
            raise fail(
                path,
                k,
                f"`{excerpt(k.value)}` is given twice under `{key}` (lines {seen[k.value]} and {line(k)})",
                "keep one of them",
            )
        seen[k.value] = line(k)
    return list(node.value)
