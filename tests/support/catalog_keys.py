"""Every catalog key the code hands to the translator, found by reading the code (ast), never by running it.

The translator is reached through a `Messages` (`ctx.t(…)`, `t(…)`, `translator.for_language(l)(…)`) or through
`Translator.t(language, key)`. From each such call the key argument is traced back to string literals:
through conditional expressions, local and module-level names (tuple unpacking included), dict tables (`[…]`,
`.get(…, default)`), the returns of the project's functions, parameters (to every call of that function:
`ctx.reply(key)` reaches `Context.reply`'s `self.t(key)`), attributes of the project's classes (`c.help_key` to
every `Command(…, help_key)` and its default, `problem.key` to every `Wrong(key)`), items appended to an
attribute list (`parsed.problems[0]`), and f-strings expanded over the values they range over (`ranges`).

A key expression that cannot be traced is reported, never skipped: the catalog test fails on it, so a new way of
passing keys around is taught to this module instead of silently escaping the check.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

MESSAGES = "Messages"  # the annotation of a bound translator (domain.i18n.Messages)
TRANSLATOR_MODULE = "domain/i18n.py"  # the translator itself: its own calls pass keys through, they name none


@dataclass(frozen=True)
class Use:
    """One call handing a key to the translator: where, which keys, and the placeholders given (None: `**`)."""

    where: str
    keys: frozenset[str]
    given: frozenset[str] | None


@dataclass
class Found:
    uses: list[Use] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # "file:line: expression — why"

    @property
    def keys(self) -> set[str]:
        return {k for u in self.uses for k in u.keys}


class Unresolved(Exception):
    pass


@dataclass
class Module:
    path: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST]

    def enclosing(self, node: ast.AST, kinds=(ast.FunctionDef, ast.AsyncFunctionDef)) -> ast.AST | None:
        node = self.parents.get(node)
        while node is not None and not isinstance(node, kinds):
            node = self.parents.get(node)
        return node


def project_modules(root: Path, skip: Iterable[str] = ("tests",)) -> list[Path]:
    """Every .py file of every top-level package of the project (a directory holding __init__.py)."""
    packages = sorted(p.parent for p in root.glob("*/__init__.py") if p.parent.name not in set(skip))
    return [py for package in packages for py in sorted(package.rglob("*.py"))]


def collect(files: Iterable[Path], root: Path, ranges: dict[str, Callable[["Index"], Iterable[str]]]) -> Found:
    index = Index([_load(f, root) for f in files], ranges)
    found = Found()
    for module in index.modules:
        if module.path == TRANSLATOR_MODULE:
            continue
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call):
                continue
            key = index.key_argument(module, node)
            if key is None:
                continue
            for where, keys, given in index.uses(module, node, key):
                if isinstance(keys, Unresolved):
                    found.unresolved.append(f"{where}: {ast.unparse(key)} — {keys}")
                else:
                    found.uses.append(Use(where, frozenset(keys), given))
    return found


def _load(path: Path, root: Path) -> Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    return Module(path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix(), tree, parents)


def _name_of(annotation: ast.AST | None) -> str | None:
    """The class an annotation names: `Messages`, `"Messages"`, `domain.i18n.Messages`."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    return None


def _params(fn: ast.AST) -> list[ast.arg]:
    a = fn.args
    return [*a.posonlyargs, *a.args, *a.kwonlyargs]


class Index:
    def __init__(self, modules: list[Module], ranges: dict[str, Callable[["Index"], Iterable[str]]]) -> None:
        self.modules = modules
        self.ranges = ranges
        self.functions: dict[str, list[tuple[Module, ast.AST, ast.ClassDef | None]]] = {}
        self._tracing: set[ast.AST] = set()  # the functions whose returns are being traced: no endless recursion
        self.classes: dict[str, list[tuple[Module, ast.ClassDef]]] = {}
        for m in modules:
            for node in ast.walk(m.tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    owner = m.parents.get(node)
                    self.functions.setdefault(node.name, []).append(
                        (m, node, owner if isinstance(owner, ast.ClassDef) else None))
                elif isinstance(node, ast.ClassDef):
                    self.classes.setdefault(node.name, []).append((m, node))
        # Functions and properties that give a Messages: calling what they return is calling the translator.
        self.giving_messages = {name for name, defs in self.functions.items()
                                if any(_name_of(fn.returns) == MESSAGES for _, fn, _ in defs)}
        self._busy: set[tuple] = set()

    # ---- where keys enter the translator ------------------------------------------------------------------
    def key_argument(self, m: Module, call: ast.Call) -> ast.AST | None:
        """The argument of `call` that is a catalog key, if `call` reaches the translator directly."""
        f = call.func
        if isinstance(f, ast.Attribute) and f.attr == "t" and len(call.args) == 2:
            return call.args[1]  # Translator.t(language, key)
        if call.args and self._is_messages(m, f, call):
            return call.args[0]
        return None

    def _is_messages(self, m: Module, f: ast.AST, call: ast.AST) -> bool:
        if isinstance(f, ast.Call):  # translator.for_language(language)("key")
            return self._callee_name(f.func) in self.giving_messages
        if isinstance(f, ast.Attribute):  # ctx.t("key"): a property giving a Messages
            return f.attr in self.giving_messages and self._is_property(f.attr)
        if isinstance(f, ast.Name):  # t("key"), t a parameter or a local bound to a Messages
            fn = m.enclosing(call)
            while fn is not None:
                if any(p.arg == f.id and _name_of(p.annotation) == MESSAGES for p in _params(fn)):
                    return True
                for value in self._assigned(fn, f.id):
                    if isinstance(value, ast.Call) and self._callee_name(value.func) in self.giving_messages:
                        return True
                    if isinstance(value, ast.Attribute) and value.attr in self.giving_messages:
                        return True
                fn = m.enclosing(fn)
        return False

    def _is_property(self, name: str) -> bool:
        return any(any(_name_of(d) == "property" for d in fn.decorator_list) for _, fn, _ in self.functions[name])

    @staticmethod
    def _callee_name(f: ast.AST) -> str | None:
        return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None

    # ---- tracing an expression back to its strings ---------------------------------------------------------
    def resolve(self, m: Module, e: ast.AST) -> set[str]:
        if isinstance(e, ast.Constant):
            if isinstance(e.value, str):
                return {e.value}
            if e.value is None:
                return set()  # "no problem": not a key
            raise Unresolved(f"a {type(e.value).__name__} is no key")
        if isinstance(e, ast.JoinedStr):
            return self._fstring(e)
        if isinstance(e, ast.IfExp):
            return self.resolve(m, e.body) | self.resolve(m, e.orelse)
        if isinstance(e, ast.BoolOp):
            return set().union(*(self.resolve(m, v) for v in e.values))
        if isinstance(e, ast.Name):
            return self._name(m, e)
        if isinstance(e, ast.Subscript):
            return self._table_values(m, e.value)
        if isinstance(e, ast.Call):
            return self._call(m, e)
        if isinstance(e, ast.Attribute):
            return self._attribute(m, e)
        raise Unresolved(f"cannot trace a {type(e).__name__}")

    def _fstring(self, e: ast.JoinedStr) -> set[str]:
        parts = [v.value if isinstance(v, ast.Constant) else None for v in e.values]
        holes = [i for i, p in enumerate(parts) if p is None]
        if len(holes) != 1:
            raise Unresolved("an f-string key with more than one placeholder")
        prefix, suffix = "".join(parts[:holes[0]]), "".join(parts[holes[0] + 1:])
        if prefix not in self.ranges:
            raise Unresolved(f"no range for f-string keys starting {prefix!r}: add one to the catalog test")
        return {f"{prefix}{v}{suffix}" for v in self.ranges[prefix](self)}

    def _name(self, m: Module, e: ast.Name) -> set[str]:
        fn = m.enclosing(e)
        while fn is not None:
            if any(p.arg == e.id for p in _params(fn)):
                return self._parameter(m, fn, e.id)
            values = self._assigned(fn, e.id, element=True)
            if values:
                return self._union(m, values)
            fn = m.enclosing(fn)
        values = self._assigned(m.tree, e.id, element=True)
        if values:
            return self._union(m, values)
        raise Unresolved(f"no assignment to {e.id!r} found")

    def _union(self, m: Module, values: list) -> set[str]:
        out: set[str] = set()
        for value, element in values:
            out |= self.resolve(m, value) if element is None else self._element(m, value, element)
        return out

    def _assigned(self, scope: ast.AST, name: str, element: bool = False) -> list:
        """What `name` is assigned in `scope` (not in functions nested in it): the values, or with `element`
        (value, index in a tuple unpacked, or None) pairs."""
        out = []
        for node in _walk_own(scope):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                    if isinstance(target, ast.Name) and target.id == name:
                        out.append((node.value, None))
                    elif isinstance(target, ast.Tuple):
                        for i, t in enumerate(target.elts):
                            if isinstance(t, ast.Name) and t.id == name:
                                out.append((node.value, i))
        return out if element else [v for v, i in out if i is None]

    def _element(self, m: Module, value: ast.AST, i: int) -> set[str]:
        """Item `i` of what `value` unpacks to."""
        if isinstance(value, ast.Tuple):
            return self.resolve(m, value.elts[i])
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute):
            return self._appended(value.value.attr, i)  # parsed.problems[0]: an item of that list attribute
        raise Unresolved(f"cannot unpack {ast.unparse(value)}")

    def _appended(self, attr: str, i: int) -> set[str]:
        """Item `i` of everything appended to a list attribute `attr` (`result.problems.append((key, …))`)."""
        out: set[str] = set()
        found = False
        for m in self.modules:
            for node in ast.walk(m.tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                        and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == attr):
                    found = True
                    out |= self._element(m, node.args[0], i)
        if not found:
            raise Unresolved(f"nothing is appended to .{attr}")
        return out

    def _table_values(self, m: Module, table: ast.AST) -> set[str]:
        if isinstance(table, ast.Dict):
            return set().union(*(self.resolve(m, v) for v in table.values))
        if isinstance(table, ast.Name):
            values = self._assigned(m.enclosing(table) or m.tree, table.id) or self._assigned(m.tree, table.id)
            if values:
                return set().union(*(self._table_values(m, v) for v in values))
        raise Unresolved(f"not a table of keys: {ast.unparse(table)}")

    def _call(self, m: Module, e: ast.Call) -> set[str]:
        f = e.func
        if isinstance(f, ast.Attribute) and f.attr == "get" and len(e.args) == 2:  # TABLE.get(x, default)
            return self._table_values(m, f.value) | self.resolve(m, e.args[1])
        name = self._callee_name(f)
        defs = self.functions.get(name, [])
        if not defs:
            raise Unresolved(f"{name}() is not the project's")
        out: set[str] = set()
        for dm, fn, _ in defs:
            if fn in self._tracing:
                raise Unresolved(f"{name}() returns what it is called with: cannot trace")
            self._tracing.add(fn)
            try:
                for node in _walk_own(fn):
                    if isinstance(node, ast.Return) and node.value is not None:
                        out |= self.resolve(dm, node.value)
            finally:
                self._tracing.discard(fn)
        return out

    def uses(self, m: Module, call: ast.Call, key: ast.AST):
        """(where, keys or Unresolved, placeholders given or None) for a call handing `key` to the translator. A
        key passed in as a parameter is a use at each call of that function: `ctx.reply("k", name=…)` is checked
        with its own placeholders, which Context.reply forwards with its `**values`."""
        explicit = frozenset(k.arg for k in call.keywords if k.arg is not None)
        spread = [k.value for k in call.keywords if k.arg is None]
        fn = m.enclosing(call)
        if isinstance(key, ast.Name) and fn is not None and any(p.arg == key.id for p in _params(fn)):
            forwarded = fn.args.kwarg.arg if fn.args.kwarg is not None else None
            forwards = bool(spread) and all(isinstance(v, ast.Name) and v.id == forwarded for v in spread)
            own = {p.arg for p in _params(fn)}
            try:
                passed = list(self.arguments(m, fn, key.id))
            except Unresolved as why:
                yield f"{m.path}:{call.lineno}", why, None
                return
            for cm, outer, value in passed:
                where = f"{cm.path}:{outer.lineno}"
                if forwards:
                    given = None if any(k.arg is None for k in outer.keywords) else \
                        frozenset(k.arg for k in outer.keywords if k.arg not in own)
                else:
                    given = None if spread else explicit
                try:
                    yield where, self.resolve(cm, value), given
                except Unresolved as why:
                    yield where, why, None
            return
        try:
            yield f"{m.path}:{call.lineno}", self.resolve(m, key), None if spread else explicit
        except Unresolved as why:
            yield f"{m.path}:{call.lineno}", why, None

    def arguments(self, m: Module, fn: ast.AST, name: str):
        """(module, call, the expression passed for `name`) at each call of `fn` in the project; its default
        where a call leaves it out."""
        positional = [p.arg for p in (*fn.args.posonlyargs, *fn.args.args)]
        owner = m.parents.get(fn)
        method = isinstance(owner, ast.ClassDef)
        if method and positional and positional[0] in ("self", "cls"):
            positional = positional[1:]
        default = _default(fn, name)
        # A constructor's parameters are passed where the class is called.
        callee, by_attribute = (owner.name, False) if method and fn.name == "__init__" else (fn.name, method)
        calls = 0
        for cm, call in self._calls(callee, by_attribute):
            calls += 1
            passed = [k.value for k in call.keywords if k.arg == name]
            if not passed and name in positional and positional.index(name) < len(call.args):
                arg = call.args[positional.index(name)]
                if isinstance(arg, ast.Starred):
                    raise Unresolved(f"{fn.name}() is called with *{ast.unparse(arg.value)}")
                passed = [arg]
            if passed:
                yield cm, call, passed[0]
            elif default is not None:
                yield m, call, default
        if not calls:
            raise Unresolved(f"{fn.name}() takes the key {name!r} but is never called")

    def _parameter(self, m: Module, fn: ast.AST, name: str) -> set[str]:
        """Every value passed for parameter `name` of `fn`, at each call of it in the project."""
        mark = ("param", m.path, fn.lineno, name)
        if mark in self._busy:
            return set()
        self._busy.add(mark)
        try:
            return set().union(*(self.resolve(cm, value) for cm, _, value in self.arguments(m, fn, name)))
        finally:
            self._busy.discard(mark)

    def _calls(self, name: str, method: bool):
        for m in self.modules:
            for node in ast.walk(m.tree):
                if isinstance(node, ast.Call):
                    f = node.func
                    if (isinstance(f, ast.Name) and f.id == name and not method) or \
                            (isinstance(f, ast.Attribute) and f.attr == name):
                        yield m, node

    def _attribute(self, m: Module, e: ast.Attribute) -> set[str]:
        """`x.attr`: every value the project gives `attr` on the class of `x` (its annotation, or the one class
        that has such an attribute)."""
        owners = self._owners(m, e)
        mark = ("attr", e.attr, tuple(c.name for _, c in owners))
        if mark in self._busy:
            return set()
        self._busy.add(mark)
        try:
            out: set[str] = set()
            for cm, cls in owners:
                out |= self._class_attribute(cm, cls, e.attr)
            return out
        finally:
            self._busy.discard(mark)

    def _owners(self, m: Module, e: ast.Attribute) -> list[tuple[Module, ast.ClassDef]]:
        if isinstance(e.value, ast.Name):
            fn = m.enclosing(e)
            for p in _params(fn) if fn is not None else ():
                if p.arg == e.value.id and (cls := _name_of(p.annotation)) in self.classes:
                    return self.classes[cls]
        having = [(cm, c) for defs in self.classes.values() for cm, c in defs if e.attr in _attributes(c)]
        if len({c.name for _, c in having}) != 1:
            raise Unresolved(f"which class's .{e.attr}? ({', '.join(sorted({c.name for _, c in having})) or 'none'}):"
                             " annotate the variable")
        return having

    def _class_attribute(self, m: Module, cls: ast.ClassDef, attr: str) -> set[str]:
        out: set[str] = set()
        fields = _fields(cls)
        for stmt in cls.body:  # the field's default
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr \
                    and stmt.value is not None:
                out |= self.resolve(m, stmt.value)
        for node in ast.walk(cls):  # self.attr = … in its methods
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == attr and
                                                    isinstance(t.value, ast.Name) and t.value.id == "self"
                                                    for t in node.targets):
                out |= self.resolve(m, node.value)
        if attr in fields:  # Class(…, attr) and Class(attr=…); not where a stored one is read back (from_dict)
            for cm, call in self._calls(cls.name, method=False):
                if (fn := cm.enclosing(call)) is not None and fn.name in RESTORING:
                    continue
                passed = [k.value for k in call.keywords if k.arg == attr]
                if not passed and fields.index(attr) < len(call.args):
                    passed = [call.args[fields.index(attr)]]
                for value in passed:
                    out |= self.resolve(cm, value)
        return out


# Methods that rebuild a value from what was stored: its keys were traced where it was first made.
RESTORING = {"from_dict", "from_json", "decode", "_question_from"}


def _walk_own(scope: ast.AST):
    """The nodes of a function or module, without descending into the functions and classes defined in it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _default(fn: ast.AST, name: str) -> ast.AST | None:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    for p, d in zip(positional[len(positional) - len(a.defaults):], a.defaults):
        if p.arg == name:
            return d
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        if p.arg == name:
            return d
    return None


def _fields(cls: ast.ClassDef) -> list[str]:
    """The class's constructor parameters in order: its __init__'s, else its annotated fields (a dataclass)."""
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
            return [p.arg for p in (*stmt.args.posonlyargs, *stmt.args.args)][1:]
    return [s.target.id for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            and "ClassVar" not in ast.unparse(s.annotation)]


def _attributes(cls: ast.ClassDef) -> set[str]:
    names = set(_fields(cls))
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" \
                and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def returned(index: Index, function: str, item: int) -> set[str]:
    """Item `item` of the tuples a project function returns (the bases `domain.plans.split` gives)."""
    out: set[str] = set()
    for m, fn, _ in index.functions[function]:
        for node in _walk_own(fn):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                out |= index.resolve(m, node.value.elts[item])
    return out
