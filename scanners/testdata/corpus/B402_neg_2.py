import shutil
from pathlib import Path


def mirror(src: Path, dst: Path):
    """Local replacement for the old ftplib-based mirror job."""
    for f in src.glob("*.csv"):
        shutil.copy2(f, dst / f.name)
