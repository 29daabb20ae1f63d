#!/usr/bin/env python3
"""Generates Loom's PyTorch parity fixtures.

Usage (PyTorch from PyPI in a virtual environment outside the repository):
    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch safetensors numpy scikit-learn
    /tmp/torchvenv/bin/python scripts/make_fixtures.py [name ...]

Each module in scripts/fixtures/ defines `generate(root)` and writes its files below `root`
(the repository). Fixture format: JSON `{"tensor name": {"shape": [...], "data": [...]}, ...}`
(float64 values, row-major), read by `LoomTestSupport.Fixture`. Tests never need PyTorch.
"""
import importlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def main(names):
    mods = sorted(p.stem for p in (ROOT / "scripts" / "fixtures").glob("*.py") if p.stem not in ("common", "__init__"))
    for name in names or mods:
        mod = importlib.import_module(f"fixtures.{name}")
        mod.generate(ROOT)
        print(f"generated fixtures: {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
