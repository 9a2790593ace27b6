"""The house's layering, read from the imports: dependencies point inward and no module imports
itself in a circle, however the import is written (at the top, inside a function, or only for
the type checker)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Inner first: a package may import its own modules and those of the packages before it.
LAYERS = ("domain", "adapters", "readmodels", "projections", "bootstrap", "api", "cli")
# The domain is the model: it knows no HTTP, no SQL driver, no web framework, no server.
DOMAIN_MAY_NOT_IMPORT = (
    "falcon", "psycopg", "psycopg_pool", "sqlite3", "jinja2", "granian",
    # Nor a PDF library or a QR code: documents are plain data it hands to an adapter.
    "reportlab", "fpdf", "weasyprint", "segno",
)  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, name: str) -> Iterator[str]:
    """Every module the file imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            for alias in node.names:  # ``from package import module``
                yield f"{base}.{alias.name}"


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        edges[name] = {target for target in imports(path, name) if target in known} - {name}
    return edges


def layer(module: str) -> int:
    return LAYERS.index(module.split(".", maxsplit=1)[0])


def test_each_package_imports_only_itself_and_the_packages_inside_it() -> None:
    """domain < adapters < readmodels < projections < bootstrap < api < cli."""
    upward = sorted(
        f"{source} imports {target}"
        for source, targets in graph().items()
        for target in targets
        if layer(target) > layer(source)
    )
    assert upward == []


def test_the_domain_knows_no_http_sql_driver_or_server() -> None:
    """The model imports the event-sourcing library and plain Python, nothing of the outside."""
    found = sorted(
        f"{name} imports {target}"
        for name, path in modules().items()
        if name.startswith("domain")
        for target in imports(path, name)
        if target.split(".")[0] in DOMAIN_MAY_NOT_IMPORT
    )
    assert found == []


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    """No circle of imports, not even one held apart by an import inside a function."""
    assert circles(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles_and_only_circles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    """The check itself can fail: a two- and a three-module circle are found, a chain is not."""
    assert circles(edges) == expected


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    """An import inside a function of a domain module, of the api, is an upward import."""
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from api.http import json\n    return json\n")
    targets = set(imports(module, "domain.late"))
    assert "api.http" in targets
    assert layer("api.http") > layer("domain.late")
