"""The ``demo-erp`` command line."""

from __future__ import annotations


def test_cli_seed_and_info(tmp_path, capsys):
    from demo_erp.__main__ import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["seed", "--url", url, "--scale", "0.2", "--dirty-share", "0.1", "--seed", "5"]) == 0
    seeded = capsys.readouterr().out
    assert "vendor" in seeded and "dirty rows by kind" in seeded and "missing_name" in seeded
    assert main(["info", "--url", url]) == 0
    info = capsys.readouterr().out
    assert "seed 5, scale 0.2" in info
    table_lines = lambda text: [ln for ln in text.splitlines() if ln.startswith(("vendor ", "payment "))]  # noqa: E731
    assert table_lines(info) == table_lines(seeded)
