"""The type stubs (_parkett.pyi) describe the module as built: every public name of the C++
core has a stub, every stub a name, and each class's stubbed members exist."""
import ast
import pathlib

import parkett
from parkett import _parkett

STUBS = pathlib.Path(parkett.__file__).with_name("_parkett.pyi")


def stubbed():
    tree = ast.parse(STUBS.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = None
        elif isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign):
                    members.add(item.target.id)
            out[node.name] = members
    return out


def test_every_public_name_is_stubbed_and_exists():
    public = {n for n in dir(_parkett) if not n.startswith("_")}
    stubs = {n for n in stubbed() if not n.startswith("_")}
    assert public == stubs


def test_stubbed_members_exist():
    for name, members in stubbed().items():
        if not members:
            continue
        cls = getattr(_parkett, name)
        missing = [m for m in members if not m.startswith("__") and not hasattr(cls, m)
                   and m not in ("kind", "message", "file", "row_group", "column", "page_offset")]
        assert not missing, f"{name}: {missing}"


def test_the_package_is_typed():
    assert STUBS.with_name("py.typed").exists()
