"""Safe parsing and vectorised evaluation of catalog formulas.

A formula is a Python-syntax arithmetic expression over base-measure names, numbers and three
post-level functions (``ratio``, ``mean_ratio``, ``mean``). It is parsed with :mod:`ast` and only
those node types are accepted: no attribute access, no calls to anything else, nothing is ever
executed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .exceptions import CatalogError

__all__ = ["Formula", "evaluate", "parse_formula"]

POST_FUNCTIONS = ("ratio", "mean_ratio", "mean")


@dataclass(frozen=True)
class Formula:
    """A parsed catalog formula.

    Attributes
    ----------
    text : str
        The formula as written in the catalog.
    names : frozenset of str
        Base measures it reads directly.
    calls : frozenset of tuple
        Post-level function calls, e.g. ``("ratio", "interactions", "reach")``.
    """

    text: str
    tree: ast.Expression
    names: frozenset[str]
    calls: frozenset[tuple[str, ...]]

    @property
    def columns(self) -> set[str]:
        """Measure columns the evaluation needs."""
        cols = set(self.names)
        for call in self.calls:
            cols.update(call_columns(call))
        return cols


def call_columns(call: tuple[str, ...]) -> list[str]:
    """Measure columns holding the parts of a post-level function call."""
    fn, *args = call
    if fn == "ratio":
        a, b = args
        return [f"{a}@{b}", f"{b}@{a}"]
    return [f"{fn}({','.join(args)})"]


_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def parse_formula(text: str, *, measures: set[str], post_columns: set[str]) -> Formula:
    """Parse and check a formula.

    Parameters
    ----------
    text : str
        The formula.
    measures : set of str
        Known base measures.
    post_columns : set of str
        Post-level columns allowed as arguments of ``ratio``, ``mean_ratio`` and ``mean``.

    Raises
    ------
    CatalogError
        When the formula uses anything else than the allowed names, numbers and operators.
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise CatalogError(f"The formula {text!r} is not a valid expression: {err.msg}.") from None
    names: set[str] = set()
    calls: set[tuple[str, ...]] = set()

    def check(node: ast.AST) -> None:
        if isinstance(node, ast.Expression):
            check(node.body)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, _ALLOWED_BINOPS):
            check(node.left)
            check(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            check(node.operand)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            pass
        elif isinstance(node, ast.Name):
            if node.id not in measures:
                raise CatalogError(
                    f"The formula {text!r} uses {node.id!r}, which is not a base measure. "
                    f"Base measures are: {', '.join(sorted(measures))}."
                )
            names.add(node.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = node.func.id
            arity = 2 if fn in ("ratio", "mean_ratio") else 1
            if fn not in POST_FUNCTIONS or len(node.args) != arity or node.keywords:
                raise CatalogError(
                    f"The formula {text!r} calls {fn}() wrongly: allowed are ratio(a, b), "
                    "mean_ratio(a, b) and mean(a) over post columns."
                )
            args = []
            for a in node.args:
                if not isinstance(a, ast.Name) or a.id not in post_columns:
                    raise CatalogError(
                        f"The formula {text!r}: {fn}() takes post columns "
                        f"({', '.join(sorted(post_columns))}), not {ast.unparse(a)!r}."
                    )
                args.append(a.id)
            calls.add((fn, *args))
        else:
            raise CatalogError(
                f"The formula {text!r} uses {ast.unparse(node)!r}: only + - * /, numbers, "
                "base measures and ratio()/mean_ratio()/mean() are allowed."
            )

    check(tree)
    return Formula(text, tree, frozenset(names), frozenset(calls))


def evaluate(formula: Formula, measures: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate a formula row-wise on a frame of base measures.

    Returns
    -------
    values : numpy.ndarray of float
        NaN where the value is not available; never ``inf``.
    notes : numpy.ndarray of object
        Why a value is NA (``""`` where it is not): the first missing measure, or the
        denominator that is zero.
    """
    n = len(measures)

    def col(name: str) -> tuple[np.ndarray, np.ndarray]:
        if name in measures:
            v = pd.to_numeric(measures[name], errors="coerce").astype("Float64")
            arr = v.to_numpy(dtype=float, na_value=np.nan)
        else:
            arr = np.full(n, np.nan)
        notes = np.where(np.isnan(arr), f"{_label(name)} not available", "").astype(object)
        return arr, notes

    def ev(node: ast.AST) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return np.full(n, float(node.value)), np.full(n, "", dtype=object)
        if isinstance(node, ast.Name):
            return col(node.id)
        if isinstance(node, ast.UnaryOp):
            v, note = ev(node.operand)
            return -v, note
        if isinstance(node, ast.Call):
            fn = node.func.id  # type: ignore[attr-defined]
            args = tuple(a.id for a in node.args)  # type: ignore[attr-defined]
            if fn == "ratio":
                num, _ = col(f"{args[0]}@{args[1]}")
                den, _ = col(f"{args[1]}@{args[0]}")
                both = f"no post reports both {args[0]} and {args[1]}"
                missing = np.where(np.isnan(num) | np.isnan(den), both, "").astype(object)
                return _divide(num, missing, den, missing, args[1])
            v, _ = col(f"{fn}({','.join(args)})")
            what = (
                f"no post reports {args[0]}"
                if fn == "mean"
                else (f"no post reports both {args[0]} and {args[1]} (with {args[1]} > 0)")
            )
            return v, np.where(np.isnan(v), what, "").astype(object)
        if isinstance(node, ast.BinOp):
            a, an = ev(node.left)
            b, bn = ev(node.right)
            if isinstance(node.op, ast.Div):
                return _divide(a, an, b, bn, ast.unparse(node.right))
            with np.errstate(invalid="ignore", over="ignore"):
                if isinstance(node.op, ast.Add):
                    v = a + b
                elif isinstance(node.op, ast.Sub):
                    v = a - b
                else:
                    v = a * b
            return v, np.where(an != "", an, bn)
        raise CatalogError(f"Cannot evaluate {ast.unparse(node)!r}.")  # pragma: no cover

    values, notes = ev(formula.tree)
    values = np.where(np.isfinite(values), values, np.nan)
    notes = np.where(np.isnan(values), notes, "")
    return values, notes


def _divide(a, an, b, bn, den_text: str):
    zero = b == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(zero | np.isnan(b), np.nan, a / np.where(zero, 1.0, b))
    note = np.where(an != "", an, np.where(bn != "", bn, ""))
    note = np.where((note == "") & zero, f"division by zero: {_label(den_text)} is 0", note)
    return v, note.astype(object)


def _label(name: str) -> str:
    if "@" in name:
        return name.split("@")[0]
    return name
