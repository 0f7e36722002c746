"""Setu's own import-linter contract: apps meet only at each other's services and selectors.

The built-in contract types cannot say "any app may import another app's `services` and
`selectors`, and nothing else of it" without one contract per app, which would silently miss
the next app added. This one reads the rule once and applies it to every sub-package.
Configured in `pyproject.toml` (`[tool.importlinter]`); documented in docs/architecture.md.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


def _package_of(module: str, depth: int) -> str | None:
    """The app a module belongs to: its first `depth` name parts, if it is that deep."""
    parts = module.split(".")
    return ".".join(parts[:depth]) if len(parts) >= depth else None


class AppApiContract(Contract):
    """Apps (children of `containers`) import another app only through its public modules.

    Options:
        containers: packages whose children are the apps (e.g. `setu`).
        public_modules: the child-module names that make an app's interface (`services`,
            `selectors`); an import of the app package itself is allowed too.
        open_modules: module expressions any app may import whole (the shared kernel,
            libraries, the access policy), e.g. `setu.core.**`.
        ignore_imports: documented exceptions, as import expressions.
    """

    type_name = "app_api"

    containers = fields.ListField(subfield=fields.ModuleField())
    public_modules = fields.ListField(subfield=fields.StringField())
    open_modules = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        open_modules: set[str] = set()
        for expression in self.open_modules or []:  # type: ignore[attr-defined]
            open_modules |= graph.find_matching_modules(expression.expression)
        public: set[str] = set(self.public_modules)  # type: ignore[arg-type]
        illegal = []
        for container in self.containers:  # type: ignore[attr-defined]
            depth = container.name.count(".") + 2
            # Top-level modules (settings, urls, cli) wire the apps together: they are no app.
            apps = {
                child for child in graph.find_children(container.name) if graph.find_children(child)
            }
            for importer in sorted(graph.find_descendants(container.name)):
                importer_app = _package_of(importer, depth)
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    imported_app = _package_of(imported, depth)
                    if (
                        imported_app not in apps
                        or importer_app not in apps
                        or importer_app == imported_app
                        or imported in open_modules
                        or imported == imported_app
                        or imported.split(".")[depth] in public
                    ):
                        continue
                    lines = tuple(
                        detail["line_number"]
                        for detail in graph.get_import_details(importer=importer, imported=imported)
                    )
                    illegal.append((importer, imported, lines))
        return ContractCheck(
            kept=not illegal,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"illegal": illegal},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            "Imports of another app's internals (use its services or selectors):", bold=False
        )
        output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(
                f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False
            )
        output.new_line()


class StandaloneContract(Contract):
    """Each listed package imports nothing of its root package outside itself."""

    type_name = "standalone"

    packages = fields.ListField(subfield=fields.ModuleField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        illegal = []
        for package in self.packages:  # type: ignore[attr-defined]
            inside = {package.name} | graph.find_descendants(package.name)
            root = package.name.split(".")[0]
            for importer in sorted(inside):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if imported.split(".")[0] == root and imported not in inside:
                        lines = tuple(
                            detail["line_number"]
                            for detail in graph.get_import_details(
                                importer=importer, imported=imported
                            )
                        )
                        illegal.append((importer, imported, lines))
        return ContractCheck(
            kept=not illegal,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"illegal": illegal},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of the rest of the project:", bold=False)
        output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(
                f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False
            )
        output.new_line()
