"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies."""

import ast
import re
import tomllib

import yaml
from conftest import ROOT

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"python-duckdb": "duckdb"}
NOT_PACKAGES = {"python", "pip"}


def _name_spec(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m[1].lower().replace("_", "-"), m[2].replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pip_deps = dict(_name_spec(r) for r in project["dependencies"])
    pip_deps |= dict(_name_spec(r) for r in project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for p in dep["pip"]:
                if not p.startswith("-e"):
                    conda.update([_name_spec(p)])
        else:
            name, spec = _name_spec(dep)
            if name not in NOT_PACKAGES:
                conda[CONDA_TO_PYPI.get(name, name)] = spec
    assert conda == pip_deps


def test_every_imported_third_party_module_is_declared():
    import sys

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {_name_spec(r)[0] for r in project["dependencies"]}
    module_to_dist = {
        "yaml": "pyyaml",
        "vadersentiment": "vadersentiment",
        "ipython": "ipython",
        "sklearn": "scikit-learn",
    }
    found = set()
    for path in (ROOT / "kpi_notebook_lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    stdlib = set(sys.stdlib_module_names) | {"kpi_notebook_lib", "__future__"}
    third = {module_to_dist.get(n.lower(), n.lower().replace("_", "-")) for n in found - stdlib}
    assert third <= declared, f"imported but not declared: {third - declared}"
