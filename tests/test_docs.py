"""The README documents every command, and CI runs the README's test command."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from typer.testing import CliRunner

from claimcheck.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"claimcheck {command}" in README
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output) > 100


def test_readme_opens_with_two_setup_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.DOTALL)
    assert len(blocks) >= 2
    install_and_run, test = blocks[0].strip(), blocks[1].strip()
    assert install_and_run.count("pip install torch==2.13.0") == 1
    assert "claimcheck build" in install_and_run and "claimcheck query" in install_and_run
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci
