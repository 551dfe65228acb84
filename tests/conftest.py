"""Shared fixtures. Each area adds its own below; keep them small and real (real files, real SQLite)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seed_path() -> Path:
    return next(SEEDS.glob("*.txt"))


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")
