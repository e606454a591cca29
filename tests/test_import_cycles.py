"""No import cycle anywhere in the project: between packages, between modules of one package, or through a
package's `__init__`. Every top-level package of the checkout is checked, new ones included."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def project_packages() -> list[str]:
    """Every top-level package in the checkout (a directory with an `__init__.py`), the tests' own included."""
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if not p.parent.name.startswith("."))


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The import graph's strongly connected components with more than one module (Tarjan's algorithm, iterative:
    a deep chain must not hit the recursion limit), each as one cycle through its modules, shortest first."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    found = []
    for component in components:
        first = component[0]
        # A shortest way back to the first module from one it imports, inside the component: one real cycle.
        back = min((graph.find_shortest_chain(importer=nxt, imported=first) or () for nxt in edges[first]
                    if nxt in component), key=lambda chain: len(chain) or 10**9)
        found.append([first, *back])
    return sorted(found, key=len)


def describe(cycle: list[str], graph: grimp.ImportGraph) -> str:
    """One cycle, each step with the line that makes it."""
    steps = []
    for importer, imported in zip(cycle, cycle[1:]):
        where = graph.get_import_details(importer=importer, imported=imported)
        line = f" (line {where[0]['line_number']}: {where[0]['line_contents']})" if where else ""
        steps.append(f"  {importer} -> {imported}{line}")
    return "\n".join(steps)


def _graph(*packages: str) -> grimp.ImportGraph:
    # Imports under `if TYPE_CHECKING:` run only for a type checker: they make no cycle at run time.
    return grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)


def test_the_project_has_no_import_cycle():
    packages = project_packages()
    assert {"domain", "handlers", "scheduler", "storage", "bot", "tests"} <= set(packages)
    for package in packages:  # this checkout's code, not an installed copy of it
        assert Path(importlib.util.find_spec(package).origin).is_relative_to(ROOT), package
    graph = _graph(*packages)
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n\n".join(describe(c, graph) for c in found)


def test_the_check_finds_a_cycle_inside_a_package(tmp_path, monkeypatch):
    """The check itself: a cycle between two modules of one package, as storage had (store.py importing a module
    that imports store.py), is found; the same package without it passes."""
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "store.py").write_text("class Tx: ...\n\n\nimport cyclic.extra  # noqa: E402\n")
    (package / "extra.py").write_text("from cyclic.store import Tx\n")
    (package / "leaf.py").write_text("import cyclic.extra\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles(_graph("cyclic")) == [["cyclic.extra", "cyclic.store", "cyclic.extra"]]
    (package / "store.py").write_text("class Tx: ...\n")
    assert cycles(_graph("cyclic")) == []
