"""The layers of README's "Where things are", read from the code's imports: an app imports only
from the floors below it (never from one above, never from a neighbour on its own floor), and no
module imports, even from inside a function, one that imports it back."""

import ast
from pathlib import Path

from django.conf import settings

# Bottom first; apps on one floor do not import each other.
FLOORS = [
    {"portal_lib"},
    {"focalpoints"},
    {"actionplan"},
    {"meetings"},
    {"consultations", "labelling", "ideas_lab"},
    {"digests", "stocktaking", "api"},
    {"rabat_portal"},
]
FLOOR = {app: number for number, apps in enumerate(FLOORS) for app in apps}
ROOT = Path(settings.BASE_DIR)


def modules():
    """``{module name: path}`` of every module of the portal's apps."""
    found = {}
    for app in FLOOR:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(name, path, known):
    """The modules ``path`` imports, anywhere in it, resolved to module names where they are
    modules of the portal (``known``; ``from app import module`` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                )
                base = base.strip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {module for module in found if module.split(".")[0] in FLOOR}


def graph():
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_every_app_of_the_portal_has_a_floor():
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    portal_apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert portal_apps <= apps
    assert portal_apps == set(FLOOR)


def test_no_app_imports_from_a_floor_above_it_or_beside_it():
    wrong = sorted(
        f"{module} imports {imported}"
        for module, imported_modules in graph().items()
        for imported in imported_modules
        if (app := module.split(".")[0]) != (other := imported.split(".")[0])
        and FLOOR[other] >= FLOOR[app]
    )
    assert wrong == []


def test_no_module_imports_one_that_imports_it_back():
    edges = graph()
    # Tarjan's strongly connected components: any with two modules or more is a circle.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges.get(module, ()):
            if other not in edges:
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert circles == []


def test_coverage_measures_every_app_of_the_portal():
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as project:
        measured = tomllib.load(project)["tool"]["coverage"]["run"]["source"]
    assert set(measured) == set(FLOOR)
