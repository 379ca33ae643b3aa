"""What one photo upload costs the worker that reads it: peak memory and time of photos.clean.

    .venv/bin/python bench/photos.py                      # this tree's buurtwacht/notes/photos.py
    git show REV:buurtwacht/notes/photos.py > /tmp/before.py
    .venv/bin/python bench/photos.py --code /tmp/before.py   # another version, for a before/after

Each case runs in a fresh process, so that its peak resident memory (VmHWM, reset just before
the image is read, less what the process held then) is its own. The baseline, measured in the same run, is
plain Pillow opening the normal phone photo and making it a 2048 px thumbnail: the figures are
also shown as ratios of it, which hold from one machine to the next better than seconds do.

Cases: the attack (a 6300x6300 PNG of about 150 kB), a normal phone photo (4032x3024 JPEG), a
recent iPhone's default (5712x4284 JPEG), the largest PNG that passes (25 MP, 5000x5000) and the
costliest JPEG that passes (5712x4284, progressive, no chroma subsampling).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CASES = ("baseline", "attack_png", "phone_jpeg", "iphone_jpeg", "largest_png", "worst_jpeg")


def phone_like(size: tuple[int, int]) -> Image.Image:
    """Smooth light and shade with sensor noise: compresses about as a photo does (a few MB at 4032x3024)."""
    noise = Image.effect_noise(size, 24)
    shade = Image.linear_gradient("L").resize(size)
    red = Image.blend(shade, noise, 0.35)
    green = Image.blend(shade.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.35)
    blue = Image.blend(shade.transpose(Image.Transpose.ROTATE_180), noise, 0.35)
    return Image.merge("RGB", (red, green, blue))


def make_input(case: str) -> bytes:
    out = io.BytesIO()
    if case == "attack_png":
        Image.new("RGB", (6300, 6300), (128, 128, 128)).save(out, "PNG", optimize=True)
    elif case in ("baseline", "phone_jpeg"):
        phone_like((4032, 3024)).save(out, "JPEG", quality=90)
    elif case == "iphone_jpeg":
        phone_like((5712, 4284)).save(out, "JPEG", quality=90)
    elif case == "largest_png":
        Image.new("RGB", (5000, 5000), (90, 140, 60)).save(out, "PNG")
    elif case == "worst_jpeg":  # libjpeg keeps a progressive JPEG's coefficients whole, at full scale
        phone_like((5712, 4284)).save(out, "JPEG", quality=90, progressive=True, subsampling=0)
    return out.getvalue()


def status_kb(field: str) -> int:
    """VmRSS (resident now) or VmHWM (its high-water mark) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def run_case(case: str, code: Path) -> dict[str, Any]:
    """In this process: make the input, then time and measure one reading of it."""
    import gc

    raw = make_input(case)
    if case == "baseline":
        work: Any = None
    else:
        spec = importlib.util.spec_from_file_location("photos_under_test", code)
        assert spec is not None and spec.loader is not None
        photos = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = photos  # dataclasses look their module up there
        spec.loader.exec_module(photos)
        work = photos
    gc.collect()
    # Making the input peaked higher than what is held now: the high-water mark starts again from here.
    Path("/proc/self/clear_refs").write_text("5")
    before = status_kb("VmRSS")
    started = time.perf_counter()
    outcome = "stored"
    if work is None:
        with Image.open(io.BytesIO(raw)) as image:
            image.thumbnail((2048, 2048))
    else:
        try:
            work.clean(raw)
        except work.BadImage as exc:
            outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    return {
        "case": case,
        "bytes": len(raw),
        "seconds": seconds,
        "peak_mb": max(peak - before, 0) / 1024,
        "outcome": outcome,
    }


def measure(case: str, code: Path, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        child = subprocess.run(  # noqa: S603 - this very script, in a fresh interpreter
            [sys.executable, __file__, "--one", case, "--code", str(code)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        runs.append(json.loads(child.stdout))
    return {
        **runs[0],
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=ROOT / "buurtwacht" / "notes" / "photos.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one, args.code)))
        return
    print(f"photos.clean from {args.code}; median of {args.repeat} fresh processes, peak memory above the start")
    base = measure("baseline", args.code, args.repeat)
    print(f"{'case':<12} {'input':>9} {'time':>9} {'x base':>7} {'peak':>9} {'x base':>7}  outcome")
    for case in CASES:
        r = base if case == "baseline" else measure(case, args.code, args.repeat)
        print(
            f"{case:<12} {r['bytes'] / 1024:>7.0f}kB {r['seconds'] * 1000:>7.0f}ms {r['seconds'] / base['seconds']:>7.2f}"
            f" {r['peak_mb']:>7.1f}MB {r['peak_mb'] / max(base['peak_mb'], 0.1):>7.2f}  {r['outcome'][:70]}"
        )


if __name__ == "__main__":
    main()
