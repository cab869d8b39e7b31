"""Turn editors' photos into small published variants: resized, re-encoded, stripped, cached.

Input: `ImageRef`s (where each photo is used) and the site root. Output: an `ImageSet` with the
processed variants of each photo and the files to publish. Originals are never published: a phone
photo carries GPS coordinates that would tell readers where a poor household lives.

Variants are cached in `.cache/images/<key>/`, the key being a hash of the original's bytes and of
every setting that changes the output, so an unchanged photo is never decoded twice.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import PIL
from PIL import ExifTags, Image, ImageCms, ImageOps

from generator.core.errors import Diagnostics, Location
from generator.core.outputs import OutputFile
from generator.core.slugs import slug

CACHE_DIR = ".cache/images"
# `check` decodes each photo at this size at most: enough to find a broken file, a fraction of the work.
THUMBNAIL_CHECK = 64
CONTENT_DIR = "content"
# What Pillow reads from a phone or camera and every browser shows; HEIC and RAW need converting first.
INPUT_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
INPUT_SUFFIXES = tuple(s for suffixes in INPUT_FORMATS.values() for s in suffixes)
PIPELINE_VERSION = 1          # bump when the processing code changes what it writes
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """Everything that changes the published bytes; all of it goes into the cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    og_width: int = 1200          # Facebook and Zalo previews want about 1200 px wide
    webp_quality: int = 75
    jpeg_quality: int = 78
    # Phone photos are 4-8 MB; beyond this the original is bloating the repository for nothing.
    max_original_bytes: int = 10 * 1024 * 1024

    def fingerprint(self) -> str:
        fields = {k: v for k, v in asdict(self).items() if k != "max_original_bytes"}
        return json.dumps([fields, PIL.__version__, PIPELINE_VERSION], sort_keys=True)


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One use of a photo: its path as the editor wrote it (under content/) and where."""

    src: str
    location: Location
    hero: bool = False            # the first photo of a model page: also gets the og:image variant


@dataclass(frozen=True, slots=True)
class Variant:
    path: str                     # relative to the site root, content-hashed so it can be cached forever
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """The published variants of one photo, ascending by width, for `<picture>` and og:image."""

    src: str
    webp: tuple[Variant, ...]
    jpeg: tuple[Variant, ...]
    og: Variant | None

    @property
    def width(self) -> int:
        return self.jpeg[-1].width

    @property
    def height(self) -> int:
        return self.jpeg[-1].height

    @property
    def fallback(self) -> Variant:
        """The JPEG for browsers without srcset: the middle width, a fair compromise."""
        return self.jpeg[len(self.jpeg) // 2]


@dataclass(frozen=True, slots=True)
class ImageSet:
    images: Mapping[str, ProcessedImage]     # src -> processed photo
    files: tuple[OutputFile, ...]            # every variant to publish, sorted by path
    processed: int                           # photos decoded in this run (not served from the cache)


class ImageProblem(Exception):
    """A photo that cannot be published; `code` names the message in messages.py."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True, slots=True)
class _Job:
    src: str
    path: Path
    key: str
    og: bool


# A cached or fresh result: (format, width, height, bytes) per variant, og last when present.
_Encoded = tuple[tuple[str, int, int, bytes], ...]


def process_images(refs: Iterable[ImageRef], root: Path, diag: Diagnostics, *,
                   settings: ImageSettings = ImageSettings(), progress: Progress | None = None,
                   workers: int | None = None) -> ImageSet:
    """Check and process every referenced photo; report problems at each place a photo is used."""
    by_src: dict[str, list[ImageRef]] = {}
    for ref in refs:
        by_src.setdefault(ref.src, []).append(ref)
    jobs: list[_Job] = []
    for src, uses in sorted(by_src.items()):
        try:
            path = _check_original(root, src, settings, diag, uses)
        except ImageProblem as problem:
            _report(diag, uses, problem)
            continue
        og = any(u.hero for u in uses)
        with path.open("rb") as handle:   # hashed in chunks: originals are not all held in memory
            content = hashlib.file_digest(handle, "sha256").digest()
        key = hashlib.sha256(content + settings.fingerprint().encode() + (b"og" if og else b"")).hexdigest()
        jobs.append(_Job(src, path, key[:20], og))

    cache = root / CACHE_DIR
    encoded: dict[str, _Encoded] = {}
    fresh = [job for job in jobs if not _read_cache(cache / job.key, encoded, job.src)]
    note = progress or (lambda stage, done, total: None)
    # Pillow releases the GIL while decoding, resizing and encoding, so threads use every core
    # without the start-up cost and fork hazards of a process pool.
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        results = pool.map(_encode_safely, fresh, [settings] * len(fresh))
        for done, (job, result) in enumerate(zip(fresh, results), 1):
            note("images", done, len(fresh))
            if isinstance(result, ImageProblem):
                _report(diag, by_src[job.src], result)
                continue
            _write_cache(cache, job.key, result)
            encoded[job.src] = result
    if not diag.errors:  # keep the cache of photos in files that failed validation this time
        _prune_cache(cache, {job.key for job in jobs})
    return _assemble(jobs, encoded, len(fresh))


def check_images(refs: Iterable[ImageRef], root: Path, diag: Diagnostics, *,
                 settings: ImageSettings = ImageSettings()) -> None:
    """What `process_images` reports, without encoding anything or writing the cache (`showcase check`)."""
    by_src: dict[str, list[ImageRef]] = {}
    for ref in refs:
        by_src.setdefault(ref.src, []).append(ref)
    for src, uses in sorted(by_src.items()):
        try:
            path = _check_original(root, src, settings, diag, uses)
            _decode(path.read_bytes(), THUMBNAIL_CHECK)
        except ImageProblem as problem:
            problem.params.setdefault("src", src)
            _report(diag, uses, problem)


def _check_original(root: Path, src: str, settings: ImageSettings, diag: Diagnostics,
                    uses: list[ImageRef]) -> Path:
    path = root / CONTENT_DIR / src
    suffix = PurePosixPath(src).suffix.lower()
    if not path.is_file():
        raise ImageProblem("image_missing", src=src, path=f"{CONTENT_DIR}/{src}")
    if suffix not in INPUT_SUFFIXES:
        raise ImageProblem("image_format", src=src, format=suffix.lstrip(".").upper() or "?")
    size = path.stat().st_size
    if size > settings.max_original_bytes:
        for use in uses:
            diag.warning(use.location, "image_too_large", src=src, size=_megabytes(size),
                         max=_megabytes(settings.max_original_bytes))
    return path


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _report(diag: Diagnostics, uses: list[ImageRef], problem: ImageProblem) -> None:
    for use in uses:
        diag.error(use.location, problem.code, **problem.params)


def _encode_safely(job: _Job, settings: ImageSettings) -> _Encoded | ImageProblem:
    try:
        return encode_photo(job.path.read_bytes(), settings, og=job.og)
    except ImageProblem as problem:
        problem.params.setdefault("src", job.src)
        return problem


def encode_photo(data: bytes, settings: ImageSettings, *, og: bool) -> _Encoded:
    """Decode one original, upright it, convert it to sRGB and encode every variant without metadata."""
    photo = _decode(data, max(settings.widths + (settings.og_width,)))
    width, height = photo.size
    variants: list[tuple[str, int, int, bytes]] = []
    targets = sorted({min(w, width) for w in settings.widths}, reverse=True)
    largest = source = _resized(photo, targets[0], width, height)
    # Largest first, each from the one before: far cheaper than resampling the original every time.
    for target in targets:
        source = _resized(source, target, width, height)
        variants.append(("webp", *source.size, _save(source, "WEBP", quality=settings.webp_quality)))
        variants.append(("jpeg", *source.size, _save(_opaque(source), "JPEG", quality=settings.jpeg_quality,
                                                      optimize=True, progressive=True)))
    if og:
        shared = _resized(largest, min(settings.og_width, largest.width), width, height)
        variants.append(("og", *shared.size, _save(_opaque(shared), "JPEG", quality=settings.jpeg_quality,
                                                   optimize=True)))
    return tuple(sorted(variants, key=lambda v: (v[0] == "og", v[0], v[1])))


def _decode(data: bytes, largest: int) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in INPUT_FORMATS:
            raise ImageProblem("image_format", format=image.format or "?")
        if image.format == "JPEG":
            # Let libjpeg decode at 1/2, 1/4 … scale when that still leaves the largest width needed.
            sideways = image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
            scale = largest / image.size[1 if sideways else 0]
            if scale < 1:
                image.draft(image.mode, (math.ceil(image.size[0] * scale), math.ceil(image.size[1] * scale)))
        image.load()
        return _to_srgb(ImageOps.exif_transpose(image))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # Pillow's ways of saying "truncated or corrupt"; the editor can only copy the original again.
        raise ImageProblem("image_unreadable") from None


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert to 8-bit RGB(A) in sRGB, so dropping the colour profile does not shift colours."""
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, ValueError):
            converted = None  # an unusable profile: treat the pixels as sRGB, as browsers do
        if converted is not None:
            return converted
    return image.convert(mode)


def _resized(image: Image.Image, target: int, width: int, height: int) -> Image.Image:
    size = (target, max(1, round(height * target / width)))
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _opaque(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    # Nothing from the original travels with the pixels: no EXIF, GPS, XMP, ICC or comments.
    image.info = {}
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


_SUFFIX = {"webp": ".webp", "jpeg": ".jpg", "og": ".jpg"}


def _assemble(jobs: list[_Job], encoded: Mapping[str, _Encoded], processed: int) -> ImageSet:
    images: dict[str, ProcessedImage] = {}
    files: dict[str, bytes] = {}
    for job in jobs:
        if job.src not in encoded:
            continue
        src = PurePosixPath(job.src)
        stem = (src.parent / slug(src.stem)).as_posix()
        variants: dict[str, list[Variant]] = {"webp": [], "jpeg": [], "og": []}
        for fmt, width, height, data in encoded[job.src]:
            label = "og" if fmt == "og" else str(width)
            path = f"{stem}-{label}.{job.key[:10]}{_SUFFIX[fmt]}"
            files[path] = data
            variants[fmt].append(Variant(path, width, height))
        images[job.src] = ProcessedImage(job.src, tuple(variants["webp"]), tuple(variants["jpeg"]),
                                         variants["og"][0] if variants["og"] else None)
    return ImageSet(MappingProxyType(images), tuple(OutputFile(p, d) for p, d in sorted(files.items())),
                    processed)


def _read_cache(folder: Path, encoded: dict[str, _Encoded], src: str) -> bool:
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        encoded[src] = tuple((fmt, w, h, (folder / name).read_bytes()) for fmt, w, h, name in meta)
    except (OSError, ValueError):  # absent or damaged: process the photo again
        return False
    return True


def _write_cache(cache: Path, key: str, result: _Encoded) -> None:
    """Write into a temporary folder and rename it, so a cache entry is complete or absent."""
    tmp = cache / f".{key}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    meta = []
    for index, (fmt, width, height, data) in enumerate(result):
        name = f"{index}-{fmt}-{width}{_SUFFIX[fmt]}"
        (tmp / name).write_bytes(data)
        meta.append((fmt, width, height, name))
    (tmp / "meta.json").write_text(json.dumps(meta), "utf-8")
    try:
        tmp.rename(cache / key)
    except OSError:  # another build wrote the same entry meanwhile: same key, same bytes
        shutil.rmtree(tmp, ignore_errors=True)


def _prune_cache(cache: Path, keep: set[str]) -> None:
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.is_dir() and entry.name not in keep and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)
