"""The project's import graph, read from the code, and the rules it must keep.

    python scripts/architecture.py check    # fails (exit 1) naming every broken rule
    python scripts/architecture.py graph    # prints the graph between packages (Mermaid)
    python scripts/architecture.py graph --write    # ... into docs/architecture.md

Only imports run when a module is loaded count: those at module level (an `if` or `try` at
module level included), not those inside functions nor under `if TYPE_CHECKING:`. The rules
are the ones docs/architecture.md states:
- between apps, `kolhub <- creators <- campaigns <- tracking <- api`: an app imports only apps to
  its left (kolhub.urls and kolhub.settings, which name every app, aside);
- inside tracking, `ingest` and `sales` never import `results`; `models` imports no room;
- `tracking.results.scoring` is pure: it imports nothing of Django or of the project's
  other modules but the pure ones of PURE_SHARED (no Django either), which hold a rule the
  apps to the left need too (exchange rates: the campaign plan converts as the results do);
- no cycle between modules at import time, nor one hidden by an import inside a function;
- no Python file over MAX_LINES lines, migrations and tests aside;
- the picture in docs/architecture.md is the graph of the code as it is.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["kolhub", "creators", "campaigns", "tracking", "api"]  # each may import those before it
ROOMS = ["tracking.ingest", "tracking.sales", "tracking.results"]
MAX_LINES = 600
COMPOSITION_ROOTS = {"kolhub.urls", "kolhub.settings"}
# Pure modules (no Django) that scoring may import: rules the apps to its left share.
PURE_SHARED = {"kolhub.fx"}

Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def load_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is loaded."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            yield from load_time_imports(node.body)
            yield from load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from load_time_imports(block)
            for handler in node.handlers:
                yield from load_time_imports(handler.body)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]):
    """The project's modules an import statement loads: `from package import module` names
    the module, `from module import name` the module."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        source = _absolute(node, module, is_package)
        submodules = [f"{source}.{alias.name}" for alias in node.names]
        names = [name for name in submodules if name in known]
        if len(names) < len(submodules):
            names.append(source)
    for name in names:
        if name in known:
            yield name


def import_graph(*, deferred: bool = False) -> Graph:
    """Module -> the project's modules it imports at load time (or, with `deferred`, inside
    its functions, where an import runs only when called)."""
    files = {module_name(path): path for path in source_files()}
    known = set(files)
    graph: Graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        nodes = deferred_imports(tree) if deferred else load_time_imports(tree.body)
        graph[module] = {
            target
            for node in nodes
            for target in targets(node, module, is_package, known)
            if target != module
        }
    return graph


def deferred_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements inside functions."""
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node


def reaches(graph: Graph, start: str, goal: str) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        for target in graph.get(frontier.pop(), ()):
            if target == goal:
                return True
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return False


def hidden_cycles(graph: Graph) -> list[str]:
    """Imports moved into a function only because at load time they would close a cycle."""
    return [
        f"{module} imports {target} inside a function to hide a cycle ({target} imports "
        f"{module} back): move what both need, or send the task by its name"
        for module, imported in sorted(import_graph(deferred=True).items())
        for target in sorted(imported)
        if reaches(graph, target, module)
    ]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def app_of(module: str) -> str:
    return module.split(".")[0]


def broken_rules(graph: Graph) -> list[str]:
    problems = []
    for module, imported in sorted(graph.items()):
        for target in sorted(imported):
            problems += [f"{module} imports {target}: {why}" for why in _why_not(module, target)]
    return problems


def _why_not(module: str, target: str) -> Iterator[str]:
    if module not in COMPOSITION_ROOTS and APPS.index(app_of(target)) > APPS.index(app_of(module)):
        yield f"{app_of(module)} may import only {', '.join(APPS[: APPS.index(app_of(module))])}"
    results = "tracking.results"
    if any(within(module, room) for room in ROOMS if room != results) and within(target, results):
        yield "ingest and sales never import results (they mark figures stale: tracking.marks)"
    if within(module, "tracking.models") and any(within(target, room) for room in ROOMS):
        yield "the models import no room"
    if within(module, "tracking.results.scoring") and not (
        within(target, "tracking.results.scoring") or target in PURE_SHARED
    ):
        yield "scoring is pure: no Django, no other module of the project"


def _django_in_scoring() -> list[str]:
    problems = []
    shared = [ROOT / (name.replace(".", "/") + ".py") for name in sorted(PURE_SHARED)]
    for path in [*sorted((ROOT / "tracking/results/scoring").rglob("*.py")), *shared]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                if any(name.split(".")[0] == "django" for name in names):
                    problems.append(f"{module_name(path)} imports Django: scoring is pure")
    return problems


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def long_files() -> list[str]:
    problems = []
    for path in source_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(
                f"{path.relative_to(ROOT)} has {lines} lines (over {MAX_LINES}: split it)"
            )
    return problems


def check() -> int:
    graph = import_graph()
    problems = broken_rules(graph) + hidden_cycles(graph) + _django_in_scoring() + long_files()
    problems += ["import cycle: " + " <-> ".join(c) for c in cycles(graph)]
    if documented_graph() != graph_text():
        problems.append(
            "docs/architecture.md shows another graph: `python scripts/architecture.py graph "
            "--write` updates it (and say in the text what changed and why)"
        )
    for problem in problems:
        print(problem)
    edges = sum(len(targets) for targets in graph.values())
    print(f"{len(graph)} modules, {edges} imports at load time, {len(problems)} problems")
    return 1 if problems else 0


def group(module: str) -> str:
    """The box a module is drawn in: a part of tracking, or its app."""
    for part in [*ROOMS, "tracking.models", "tracking.marks"]:
        if within(module, part):
            return part
    return "tracking" if app_of(module) == "tracking" else app_of(module)


def graph_text() -> str:
    """The graph between apps and tracking's parts, as a Mermaid flowchart."""
    edges = {
        (group(module), group(target))
        for module, imported in import_graph().items()
        for target in imported
        if group(module) != group(target)
    }
    ids = {name: name.replace(".", "_") for pair in edges for name in pair}
    lines = ["flowchart RL"]
    lines += [f'    {ids[name]}["{LABELS.get(name, name)}"]' for name in sorted(ids)]
    lines += [f"    {ids[a]} --> {ids[b]}" for a, b in sorted(edges)]
    return "\n".join(lines)


LABELS = {"tracking": "tracking: tasks, urls, admin, demo seeder, commands"}
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "```mermaid\n", "\n```"


def documented_graph() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    return text[start : text.index(END, start)]


def write_graph() -> None:
    text = DOC.read_text(encoding="utf-8")
    old = documented_graph()
    DOC.write_text(text.replace(BEGIN + old + END, BEGIN + graph_text() + END), encoding="utf-8")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "graph":
        write_graph() if "--write" in sys.argv else print(graph_text())
        sys.exit(0)
    sys.exit(check())
