"""Command-line commands: ``flask --app app seed``, ``tokens create``, ``matching build``."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from extensions import db
from models import Profession
from services.accounts import create_api_token, find_user
from services.catalogue import CatalogueError
from services.seed import seed

tokens = AppGroup("tokens", help="API tokens.")
matching = AppGroup("matching", help="The recommendation model.")


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when professions are already loaded.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def seed_command(if_empty: bool, data_dir: Path | None) -> None:
    """Load the demo catalogue and demo accounts (idempotent)."""
    if not current_app.config.get("DEMO_DATA"):
        raise click.ClickException("demo data is disabled in this mode (set DEMO_DATA=1)")
    if if_empty and db.session.scalar(select(Profession.id).limit(1)) is not None:
        click.echo("The database already holds a catalogue; nothing to do.")
        return
    try:
        counts = seed(data_dir or current_app.config["DATA_DIR"])
    except CatalogueError as error:
        raise click.ClickException(f"bad catalogue data: {error}") from None
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@tokens.command("create")
@click.argument("email")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 730))
def create_token(email: str, days: int) -> None:
    """Print a new API token for the account with EMAIL, valid DAYS."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    click.echo(create_api_token(user, days))


@matching.command("build")
def build_matching() -> None:
    """(Re)build the matching model from the database and save it."""
    from services.recommendations import build_and_save, build_from_database

    path = current_app.config.get("MATCHING_ARTIFACT")
    started = time.perf_counter()
    model = build_and_save(Path(path)) if path else build_from_database()
    took = time.perf_counter() - started
    where = f" -> {path}" if path else " (not saved: MATCHING_ARTIFACT is unset)"
    click.echo(f"matching model {model.version}: {len(model)} professions in {took:.1f} s{where}")


def register_cli(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(seed_command)
    app.cli.add_command(tokens)
    app.cli.add_command(matching)
