"""Bring the database schema up to date: Django's migrations, or one step for a new SQLite file.

Replaying every migration on an empty SQLite database renders the project's model state once per
migration and rebuilds tables for each added field: about a second, most of a first import's
set-up. An empty database has nothing to migrate, so it gets the tables of the current models in
one transaction, with every migration recorded as applied and the same ``post_migrate`` work
(content types, permissions). ``tests/test_schema.py`` keeps the two ways identical, table by
table, and keeps the migrations complete (``makemigrations --check``). A database that holds
anything, and every PostgreSQL database, is migrated the ordinary way.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(*, verbose: bool = False, replay: bool = False) -> None:
    """Create or migrate the schema. *replay*: run every migration even on an empty database.
    Then stored standings computed under other rules or facts are marked stale, and every
    stale season's standings and tallies are computed again."""
    from pitboard.records.services.versions import follow_scoring

    if replay or connection.vendor != "sqlite" or not _create_if_empty(verbose):
        call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    if follow_scoring() and verbose:
        print("  The rules or facts changed since the standings were stored: they are stale.")
    # Stale seasons (after an upgrade, or a writer stopped before it refreshed them) are
    # computed here, by the command, so that no page view ever has to write.
    from pitboard.records.services.standings import refresh_stale

    refreshed = refresh_stale()
    if refreshed and verbose:
        print(f"  Standings and tallies computed again for {len(refreshed)} seasons.")


def _create_if_empty(verbose: bool) -> bool:
    """Create the whole schema if the database has no table yet; False if it has one."""
    verbosity = 1 if verbose else 0
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    # The schema editor's transaction begins IMMEDIATE on SQLite: the write lock is held from
    # the check to the commit, so two processes creating one new file cannot both find it empty.
    with connection.schema_editor() as editor:
        if connection.introspection.table_names():
            return False
        emit_pre_migrate_signal(verbosity, False, connection.alias, apps=apps, plan=plan)
        for model in apps.get_models():
            if model._meta.can_migrate(connection):
                editor.create_model(model)
        executor.recorder.ensure_schema()
        for migration, _backwards in plan:
            executor.recorder.record_applied(migration.app_label, migration.name)
    emit_post_migrate_signal(verbosity, False, connection.alias, apps=apps, plan=plan)
    if verbose:
        print(f"  Created the schema of {len(plan)} migrations in one step (empty database).")
    return True
