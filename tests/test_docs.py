"""The documentation stays honest: every picture a user guide shows is one a browser test
takes (`make screenshots` writes them to var/screenshots/; they are not in the repository),
and every relative link in docs/ and the README opens a file that exists.

Which names the browser tests write is read from their source, not from var/screenshots/
(which may be stale or absent): every `page.screenshot(path=SCREENSHOTS / <name>.png)` is
followed back through the helpers that build its name (`shot(page, name)`, a module's
`_shot`, the director journey's numbered `j.shot(step)`), each f-string part becoming the
values passed for that parameter. Only a zero-padded counter (`{self.n:02d}`) or a loop
variable is left as a wildcard.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDES = DOCS / "guide"
E2E = ROOT / "tests" / "e2e"
PICTURE = re.compile(r"!\[([^\]]*)\]\(\.\./\.\./var/screenshots/([^)\s]+)\.png\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
ANY = r"[A-Za-z0-9_.-]+"


# -- the screenshot names the browser tests write ---------------------------------------------


@dataclass
class _Function:
    params: list[str]  # positional parameters, without self
    node: ast.FunctionDef


@dataclass
class _Module:
    functions: dict[str, _Function] = field(default_factory=dict)  # module level
    methods: dict[str, _Function] = field(default_factory=dict)  # of its classes
    calls: list[tuple[ast.Call, ast.FunctionDef | None]] = field(default_factory=list)


def _function(node: ast.FunctionDef) -> _Function:
    params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
    return _Function([p for p in params if p not in ("self", "cls")], node)


def _read(path: Path) -> _Module:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _Module()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            module.functions[node.name] = _function(node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    module.methods[item.name] = _function(item)

    def walk(node: ast.AST, inside: ast.FunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                module.calls.append((child, inside))
            walk(child, child if isinstance(child, ast.FunctionDef) else inside)

    walk(tree, None)
    return module


class _Names:
    """Regular expressions for the names the e2e tests give their screenshots."""

    def __init__(self, only: set[Path] | None = None) -> None:
        """`only`: the test modules whose screenshots count (default: every one)."""
        self.modules = {p: _read(p) for p in sorted(E2E.glob("*.py"))}
        self.conftest = self.modules[E2E / "conftest.py"]
        self.only = set(self.modules) if only is None else only | {E2E / "conftest.py"}

    def _callee(self, module: _Module, call: ast.Call) -> _Function | None:
        if isinstance(call.func, ast.Name):
            name = call.func.id
            return module.functions.get(name) or self.conftest.functions.get(name)
        if isinstance(call.func, ast.Attribute):
            return module.methods.get(call.func.attr)
        return None

    def _values(self, module: _Module, function: ast.FunctionDef, param: str, depth: int) -> str:
        """The values passed for `param` of `function` by the calls in its module (or in
        every module for a conftest helper), as one alternation."""
        options: set[str] = set()
        if module is self.conftest:
            modules = [m for path, m in self.modules.items() if path in self.only]
        else:
            modules = [module]
        for caller in modules:
            for call, inside in caller.calls:
                callee = self._callee(caller, call)
                if callee is None or callee.node is not function:
                    continue
                arg: ast.expr | None = None
                index = callee.params.index(param)
                if index < len(call.args):
                    arg = call.args[index]
                for keyword in call.keywords:
                    if keyword.arg == param:
                        arg = keyword.value
                if arg is not None:
                    options.add(self._pattern(caller, arg, inside, depth + 1))
        return "(?:" + "|".join(sorted(options)) + ")" if options else ANY

    def _pattern(
        self, module: _Module, expr: ast.expr, inside: ast.FunctionDef | None, depth: int = 0
    ) -> str:
        if depth > 8:
            return ANY
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return re.escape(expr.value)
        if isinstance(expr, ast.JoinedStr):
            return "".join(self._pattern(module, part, inside, depth) for part in expr.values)
        if isinstance(expr, ast.FormattedValue):
            spec = expr.format_spec
            if isinstance(spec, ast.JoinedStr) and ast.unparse(spec) == "f'02d'":
                return r"\d{2}"
            if isinstance(expr.value, ast.Name) and inside is not None:
                params = _function(inside).params
                if expr.value.id in params:
                    return self._values(module, inside, expr.value.id, depth)
            return ANY
        if (
            isinstance(expr, ast.Name)
            and inside is not None
            and expr.id in _function(inside).params
        ):
            return self._values(module, inside, expr.id, depth)
        return ANY

    def patterns(self) -> Iterator[re.Pattern[str]]:
        """One per `page.screenshot(path=...)`: the file name the path ends with."""
        for path, module in self.modules.items():
            if path not in self.only:
                continue
            for call, inside in module.calls:
                if not (isinstance(call.func, ast.Attribute) and call.func.attr == "screenshot"):
                    continue
                path = next((k.value for k in call.keywords if k.arg == "path"), None)
                while isinstance(path, ast.Call) and path.args:  # str(SCREENSHOTS / ...)
                    path = path.args[0]
                if isinstance(path, ast.BinOp) and isinstance(path.op, ast.Div):
                    pattern = self._pattern(module, path.right, inside)
                    if pattern.endswith(re.escape(".png")):
                        yield re.compile(pattern[: -len(re.escape(".png"))])


def _written_by_tests(only: set[Path] | None = None) -> list[re.Pattern[str]]:
    return list(_Names(only).patterns())


def _screenshot_tests() -> set[Path]:
    """The test modules `make screenshots` runs (SCREENSHOT_TESTS in the Makefile)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^SCREENSHOT_TESTS\s*:?=(.*)$", makefile, re.M)
    assert found, "the Makefile lists the tests of `make screenshots` in SCREENSHOT_TESTS"
    paths = {ROOT / word for word in found.group(1).split()}
    assert all(path.is_file() for path in paths), paths
    return paths


def _pictures() -> list[tuple[str, str, str]]:
    """(guide, alt text, screenshot name) for every picture of the user guides."""
    return [
        (guide.name, alt, name)
        for guide in sorted(GUIDES.glob("*.md"))
        for alt, name in PICTURE.findall(guide.read_text(encoding="utf-8"))
    ]


def test_the_name_patterns_are_read_from_the_tests():
    patterns = _written_by_tests()
    written = lambda name: any(p.fullmatch(name) for p in patterns)  # noqa: E731
    # a literal name, a numbered step of the director's journey, a module's prefixed _shot
    assert written("journey-rep-05-statement")
    assert written("journey-director-03-get-started")
    assert written("journey-director-05-team-check")  # _import(step="team") + f"{step}-check"
    assert written("direction-04-rep-line-of-sight")
    # and nothing else
    assert not written("journey-director-03-get-finished")
    assert not written("journey-rep-99-statement")
    assert not written("direction-04-rep-line-of-sight-vi")
    # `make screenshots` runs the journeys; a module it leaves out does not count
    journeys = _written_by_tests({E2E / "test_journey_rep.py"})
    assert any(p.fullmatch("journey-rep-05-statement") for p in journeys)
    assert not any(p.fullmatch("journey-manager-03-signals") for p in journeys)


def test_every_guide_picture_is_one_make_screenshots_takes():
    patterns = _written_by_tests(_screenshot_tests())
    pictures = _pictures()
    assert len({guide for guide, _, _ in pictures}) == len(list(GUIDES.glob("*.md"))), (
        "every user guide shows at least one real screen"
    )
    unknown = [
        f"{guide}: {name}.png"
        for guide, _, name in pictures
        if not any(p.fullmatch(name) for p in patterns)
    ]
    assert unknown == [], "no browser test of `make screenshots` writes these (tests/e2e/)"
    blank = [f"{guide}: {name}.png" for guide, alt, name in pictures if len(alt.split()) < 2]
    assert blank == [], "say what the picture shows in its alt text"


def test_every_guide_says_how_its_pictures_are_made():
    for guide in sorted(GUIDES.glob("*.md")):
        head = guide.read_text(encoding="utf-8")[:1500]
        assert "make screenshots" in head, f"{guide.name}: say the pictures come from it"


def test_every_relative_link_in_the_docs_opens_a_file():
    files = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]
    broken = []
    for doc in files:
        text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a web address, a mail link, an anchor on the same page
            path = target.split("#", 1)[0]
            if not (doc.parent / path).exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []
    assert files and len(files) > 5
