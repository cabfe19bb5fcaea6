"""Putting generated sites in place, and the Builder: the process a small rebuild forks first thing.

A build generates a site's pages (pages.py) and hands them over as an Order; put() builds the
pages that changed with mkdocs and puts the site in place. A rebuild of a few sites forks a
Builder before it loads anything else: the Builder works out the base fingerprint, brings
the Git history of talks up to HEAD, loads mkdocs and builds a one-page site to load the
theme, all while the build imports the models and reads the repository; then it puts each
order in a fork of its own. Nothing here imports the models (pydantic), so the Builder
starts at once and never pays for them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import DevtalksError
from ..parallel import Worker
from ..state import state_dir
from . import publish, reuse
from .spec import SiteSpec

STATE = ".devtalks"
SITE_CODE = Path(__file__).parent  # the engine, page templates and theme overlay: a change rebuilds every site


@dataclass
class Place:
    """Where sites are put: the repository (its mkdocs.yml and site_overrides/), the output folder, whether every
    page is built afresh, and the base fingerprint. A build's Job has the same four fields and serves as one."""

    repo: Path
    out: Path
    force: bool = False
    base: str = ""


@dataclass
class Order:
    """A site whose pages were generated, to be built into place where mkdocs is loaded (put)."""

    key: str
    spec: SiteSpec
    digests: dict[str, str]  # reuse.page_digests
    recorded: bool           # its pages are taken over from the site in place and remembered for the next build

    def row(self) -> list:
        s = self.spec
        return [self.key, [s.key, s.title, s.language, s.pages, s.nav, s.description], self.digests, self.recorded]

    @classmethod
    def from_row(cls, key: str, spec: list, digests: dict[str, str], recorded: bool) -> Order:
        return cls(key, SiteSpec(*spec), digests, recorded)


@dataclass
class Result:
    key: str
    status: str          # built | unchanged | failed
    seconds: float
    error: str = ""

    def row(self) -> list:
        """Plain JSON-able fields, in order: Result(*row) gives it back (a forked worker's answer)."""
        return [self.key, self.status, self.seconds, self.error]


def base_fingerprint(repo: Path) -> str:
    """What every site is made of besides its pages: tools, configuration, overrides, devtalks' own site code."""
    from importlib import metadata  # here: a build with a builder leaves this to it

    h = hashlib.blake2b(digest_size=20)
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "icalendar", "babel"):
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none\0".encode())
    h.update(__version__.encode())
    config = repo / "mkdocs.yml"
    for theirs in (config, repo / "site_overrides"):
        if os.path.lexists(theirs):
            publish.refuse_links_out(repo, theirs)  # before reading: a link to /dev/zero would never end
    h.update(config.read_bytes() if config.is_file() else b"")
    for tree in (repo / "site_overrides", SITE_CODE):
        for path in sorted(tree.rglob("*")) if tree.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(b"\0" + path.relative_to(tree).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


_WORKER: tuple | None = None


def _worker(place: Place) -> tuple:
    """This process's engine and asset store, kept from site to site while repository, output and base stay."""
    global _WORKER
    key = (place.repo, place.out, place.base)
    if _WORKER is None or _WORKER[0] != key:
        from .engine import Engine
        engine = Engine(place.repo, state_dir(place.repo, "site"), theme_stamp=place.base)
        _WORKER = key, engine, publish.AssetStore(place.out / STATE / "assets")
    return _WORKER[1:]


def attempt(key: str, work: Callable[[], str]) -> Result:
    """The Result of work() for site `key`: the status it returns, or "failed" with a DevtalksError's message."""
    start = time.perf_counter()
    try:
        return Result(key, work(), time.perf_counter() - start)
    except DevtalksError as e:
        return Result(key, "failed", time.perf_counter() - start, str(e))


def put(order: Order, place: Place) -> str:
    """Build an order's changed pages and put its site in place: "built"; or "unchanged" when its pages and files
    all come out as the ones in place (its inputs changed, but not in anything it shows: a summary on the HR site's
    behalf), and then it is left as it is."""
    key, spec, digests = order.key, order.spec, order.digests
    kept = reuse.reusable(place.out, key, digests) if order.recorded and not place.force else {}
    if len(kept) == len(digests) and kept and reuse.same_files(place.out / key, spec):
        return "unchanged"
    tmp = Path(tempfile.mkdtemp(prefix=key.replace("/", "-") + ".", dir=place.out / STATE / "tmp"))
    try:
        site = tmp / "site"
        engine, store = _worker(place)
        shared, pages = engine.build(spec, site, kept=kept)
        store.link(shared, site)
        publish.replace(site, place.out / key)
        if order.recorded:
            reuse.remember(place.out, key, digests, place.out / key, pages)
        else:
            reuse.forget(place.out, key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "built"


class Builder:
    """A forked process that loads mkdocs, its configuration and the theme's page templates while this one imports
    the models and reads, checks and fingerprints the repository, then builds the few sites whose pages this one
    generates, each in a fork of its own: a small rebuild does not wait for mkdocs to load, and its sites are built
    side by side.

    It hands the build the base fingerprint it works out first, through a pipe of its own. Through another go, as
    JSON lines, the sites' language (expect), once the build has checked and locked the output folder, and then
    the orders; it answers with the results (parallel.Worker).
    """

    def __init__(self, repo: Path, out: Path, force: bool, base: str = ""):
        """A builder started before the build knows the base fingerprint (`base`) works it out first, and then
        brings the Git history of talks up to date: the build's own look at it then finds nothing new to read."""
        orders, sending = os.pipe()
        base_end, telling = os.pipe()
        self._worker = Worker(partial(_serve, Place(repo, out, force, base), orders, sending, base_end, telling))
        os.close(orders)
        os.close(telling)
        self._orders = os.fdopen(sending, "wb")
        self._base = os.fdopen(base_end, "rb")
        self._open = True
        self._expected = False

    def base(self) -> str | None:
        """The base fingerprint the builder worked out first thing, so that this process need not work it out again
        (seven package versions looked up, every site code file read), once the builder has read the Git history;
        None when it could not, and base_fingerprint here then says why."""
        with self._base:
            return self._base.read().decode() or None

    def expect(self, language: str) -> None:
        """Tell the builder the language of the sites to come, once, and that it may write to the output folder: it
        builds a site in that language meanwhile, loading everything a site's build loads (theme templates, search),
        and stores the shared theme files, before the first order comes."""
        if not self._expected:
            self._expected = True
            self._line(language)

    def send(self, order: Order) -> None:
        self._line(order.row())

    def _line(self, value: object) -> None:
        try:
            self._orders.write(json.dumps(value).encode() + b"\n")
            self._orders.flush()
        except BrokenPipeError:
            pass  # the builder failed: results() says how

    def results(self) -> list[Result]:
        """The results of every order sent, once the builder has built them all."""
        self._last_order()
        return self._worker.results(Result)

    def close(self) -> None:
        """Stop the builder, unless its results were asked for."""
        if self._open:
            self._worker.cancel()
            self._last_order()
        self._base.close()

    def _last_order(self) -> None:
        self._open = False
        try:
            self._orders.close()  # the builder reads to the end of the orders
        except BrokenPipeError:
            pass

    def __enter__(self) -> Builder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(place: Place, orders: int, sending: int, base_end: int, telling: int) -> list[Result]:
    """The builder's work: load what every build loads, then build each order in a fork as it arrives."""
    os.close(sending)  # open here too, the orders would never end
    os.close(base_end)
    failed = ""
    workers, results = [], []
    with os.fdopen(orders, "rb") as lines:
        try:
            with os.fdopen(telling, "wb") as tell:
                if not place.base:
                    place.base = base_fingerprint(place.repo)
                    tell.write(place.base.encode())
                    _read_history(place.repo)
        except DevtalksError as e:
            failed = str(e)  # every order fails with it, as make() would
        from .engine import Engine  # noqa: F401  (mkdocs loads while the build reads the repository)

        language = json.loads(lines.readline() or "null")  # Builder.expect; none when the build ended first
        try:
            if language and not failed:
                engine, store = _worker(place)  # its asset store is in the output folder, which the build now holds
                store.check(engine.warm(language))
        except DevtalksError as e:
            failed = str(e)
        for line in lines:
            order = Order.from_row(*json.loads(line))
            if failed:
                results.append(Result(order.key, "failed", 0.0, failed))
            else:
                workers.append(Worker(partial(_put_one, order, place)))
    return results + [r for worker in workers for r in worker.results(Result)]


def _read_history(repo: Path) -> None:
    """Bring the cache of the Git history of talks up to HEAD, as the build's first look at it would."""
    from ..gitflow.history import GitFailed, history

    try:
        history(repo)
    except (GitFailed, DevtalksError):
        pass  # the build looks again, and says what fails


def _put_one(order: Order, place: Place) -> list[Result]:
    return [attempt(order.key, partial(put, order, place))]
