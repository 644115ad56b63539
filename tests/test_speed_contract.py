"""newsroom_speed's contract with Pelican, Jinja2 and Python-Markdown (contract.py) holds: every
private it declares still exists, every copied function is unchanged upstream, nothing outside
the contract patches or reads a private, class patches end with the build, and outside the
supported versions the plugin stays off with the site still built."""

from __future__ import annotations

import ast
import logging
import re
import tomllib
from pathlib import Path

import pytest
from jinja2.runtime import Macro
from pelican import Pelican, readers
from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

from newsroom_speed import contract

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ROOT / "plugins"
PLUGIN = ROOT / "plugins" / "newsroom_speed"
UPSTREAM = ("pelican", "jinja2", "markdown", "multiprocessing", "newsroom_cleaner", "newsroom_theme", "blinker")


@pytest.mark.parametrize("target", [reach.target for reach in contract.PRIVATES], ids=str)
def test_each_declared_private_exists_upstream(target: str):
    assert contract.private_present(target), f"{target} is gone: newsroom_speed must be adapted (contract.py)"


@pytest.mark.parametrize("target", [reach.target for reach in contract.PATCHES + contract.SWAPS], ids=str)
def test_each_declared_patch_has_its_target_upstream(target: str):
    assert contract.private_present(target), f"{target} is gone: newsroom_speed must be adapted (contract.py)"


@pytest.mark.parametrize("copy", contract.COPIES, ids=lambda copy: copy.upstream)
def test_each_copied_function_is_as_upstream_had_it(copy: contract.Copy):
    assert contract.source_digest(copy.upstream) == copy.digest, (
        f"{copy.upstream} changed since {copy.version}: check {copy.where}, then update its digest")


def test_the_installed_libraries_are_the_supported_ones_and_pyproject_pins_them():
    assert contract.unsupported() == []
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for name, (low, high) in contract.SUPPORTED.items():
        assert any(re.fullmatch(rf"{name}(\[\w+\])?>={re.escape(low)},<{re.escape(high)}", pin.split()[0])
                   for pin in pins), (name, pins)


def _own_names(trees: dict[str, ast.Module]) -> set[str]:
    """Every private name newsroom_speed defines itself (functions, classes, variables, fields)."""
    found = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and \
                    isinstance(node.value, ast.Name) and node.value.id == "self":
                found.add(node.attr)
    return {name for name in found if name.startswith("_")}


def _upstream_bindings(tree: ast.Module) -> set[str]:
    """Names a module binds to upstream modules and classes by importing them."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith(UPSTREAM)}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(UPSTREAM):
            bound |= {a.asname or a.name for a in node.names}
    return bound


def _violations() -> list[str]:
    sources = {p.stem: p for p in sorted(PLUGIN.glob("*.py")) if p.stem != "contract"}
    trees = {name: ast.parse(path.read_text(), str(path)) for name, path in sources.items()}
    declared = {reach.target.rsplit(".", 1)[-1].split(":")[-1]: reach
                for reach in contract.PRIVATES + contract.PATCHES}
    forbidden = {name for name in declared if name.startswith("_") and not name.startswith("__")} | {"__class__"}
    own = (_own_names(trees) - forbidden) | {"_exit"}  # os._exit: public, documented
    found = []
    for module, tree in trees.items():
        upstream = _upstream_bindings(tree)
        for node in ast.walk(tree):
            where = f"{module}.py:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and node.attr not in own:
                found.append(f"{where} reads {node.attr}")
            elif isinstance(node, ast.Attribute) and node.attr == "__class__" and isinstance(node.ctx, ast.Store):
                found.append(f"{where} swaps a class")
            elif isinstance(node, ast.Constant) and node.value in forbidden:
                found.append(f"{where} names {node.value}")
            elif isinstance(node, ast.FunctionDef) and node.name in forbidden and \
                    module not in declared[node.name].where:
                found.append(f"{where} overrides {node.name}")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(UPSTREAM) and \
                    any(a.name.startswith("_") for a in node.names):
                found.append(f"{where} imports a private of {node.module}")
            elif isinstance(node, (ast.Assign, ast.AugAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name) and \
                                part.value.id in upstream:
                            found.append(f"{where} assigns {part.value.id}.{part.attr}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                found.append(f"{where} calls setattr")
    return found


def test_nothing_outside_the_contract_patches_upstream_or_reads_its_privates():
    assert _violations() == []


def write_site(content: Path) -> None:
    for i in range(6):
        (content / f"story-{i}.md").write_text(
            f"Title: Story {i}\nDate: 2024-01-1{i} 10:00\nCategory: World\nTags: rain, port\n\nBody {i}.\n")


def build(content: Path, output: Path, plugins: list[str]) -> dict[str, bytes]:
    settings = read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")], "PLUGINS": plugins, "CACHE_CONTENT": False,
        "NEWSROOM_SPEED_WORKERS": 1,
    })
    Pelican(settings).run()
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def test_outside_the_supported_versions_the_plugin_is_off_in_one_line_and_the_site_built(tmp_path, monkeypatch,
                                                                                         caplog):
    content = tmp_path / "content"
    content.mkdir()
    write_site(content)
    stock = build(content, tmp_path / "stock", [])
    real = contract.installed_version
    monkeypatch.setattr(contract, "installed_version", lambda name: "4.13.0" if name == "pelican" else real(name))
    with caplog.at_level(logging.WARNING):
        off = build(content, tmp_path / "off", ["newsroom_speed"])
    notes = [r.getMessage() for r in caplog.records if "newsroom_speed" in r.getMessage()]
    assert notes == ["newsroom_speed: off, building as stock Pelican: pelican 4.13.0 (written for 4.12 to below 4.13)"]
    assert not (tmp_path / "off-cache" / "newsroom_speed").exists()  # it did nothing
    assert off == stock


def test_class_patches_end_with_the_build(tmp_path):
    before = {(owner, name): owner.__dict__[name] for owner, name in [
        (ArticlesGenerator, "generate_tags"), (ArticlesGenerator, "generate_articles"),
        (ArticlesGenerator, contract.PERIOD_ARCHIVES), (Content, "get_url_setting"),
        (Content, "get_relative_source_path"), (Content, contract.UPDATE_CONTENT),
        (Macro, contract.MACRO_INVOKE), (readers, "get_date")]}
    content = tmp_path / "content"
    content.mkdir()
    write_site(content)
    build(content, tmp_path / "site", ["newsroom_speed"])
    assert {key: key[0].__dict__[key[1]] for key in before} == before
    assert not any(contract.replaced(owner, name) for owner, name in before)


def test_an_undeclared_patch_is_refused():
    with pytest.raises(LookupError, match="does not declare"):
        contract.replace(Content, "get_content", lambda self: "")


@pytest.mark.parametrize("copy", contract.COPIES, ids=lambda copy: copy.upstream)
def test_each_copy_names_where_newsroom_speed_does_the_same(copy: contract.Copy):
    module, _, name = copy.where.partition(".")
    assert contract.resolve(f"newsroom_speed.{module}:{name}")


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def test_no_module_over_400_lines_and_no_function_over_60():
    too_long = []
    for path in sorted(PLUGIN.glob("*.py")):
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.name}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


def test_the_other_plugins_use_only_the_declared_interface_and_all_of_it():
    """The theme and the cleaner reach newsroom_speed by name only (plugins load one by one and
    do not import each other): every signal name and marker attribute they use is one that
    newsroom_speed/interface.py declares, and each declared one is used."""
    from newsroom_speed import interface

    declared = {interface.output_expires.name, interface.outputs_current.name,
                interface.CACHEABLE, interface.READS_HOOKS}
    others = [path for name in ("newsroom_theme", "newsroom_cleaner", "newsroom_tasks")
              for path in (PLUGINS / name).rglob("*.py")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in others)
    used = set(re.findall(r"""signal\(["'](newsroom_[a-z_]+)["']\)""", text))
    used |= set(re.findall(r"\.(newsroom_speed_[a-z_]+)\b", text))
    used |= {interface.READS_HOOKS} & set(re.findall(r"\b(reads_hooks)\b", text))
    assert used == declared
