"""A workspace: the folder holding seeds/, locales/, templates/ and dist/."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .locales import check_locale, check_slug
from .manifest import load_memorial
from .memorial import Memorial
from .paths import refuse_outside_links

TEMPLATE_DOMAIN = "memorial-kit"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def at(cls, root: str | os.PathLike | None = None) -> "Workspace":
        """The workspace at ``root``; without one, the folder holding the current one
        (itself or the nearest folder above it with a seeds/ folder)."""
        if root is None:
            here = Path(os.getcwd()).resolve()
            found = next((p for p in (here, *here.parents) if (p / "seeds").is_dir()), None)
            if found is None:
                raise UsageError(f"{here} is not inside a memorial-kit workspace (neither it nor "
                                 f"a folder above it has a seeds/ folder)",
                                 hint="run the command in the project folder or pass --root DIR")
            return cls(found)
        root = Path(root).resolve()
        if not (root / "seeds").is_dir():
            raise UsageError(f"{root} is not a memorial-kit workspace (it has no seeds/ folder)",
                             hint="run the command in the project folder or pass --root DIR")
        refuse_outside_links(root)
        return cls(root)

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def state(self) -> Path:
        """Locks and build records; never shipped."""
        return self.root / ".memorial-kit"

    def relative(self, path: str | os.PathLike) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def memorial_slugs(self) -> list[str]:
        return sorted(p.name for p in self.seeds.iterdir()
                      if p.is_dir() and (p / "memorial.toml").exists())

    def memorial(self, slug: str) -> Memorial:
        check_slug(slug)
        folder = self.seeds / slug
        if not folder.is_dir():
            known = ", ".join(self.memorial_slugs()) or "none"
            raise UsageError(f"no memorial {slug!r} in {self.relative(self.seeds)}",
                             hint=f"memorials here: {known}")
        return load_memorial(folder, self.root)

    def memorials(self, only: str | None = None) -> list[Memorial]:
        slugs = [only] if only else self.memorial_slugs()
        return [self.memorial(slug) for slug in slugs]

    def pot_path(self, domain: str) -> Path:
        return self.locales / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        check_locale(locale)
        return self.locales / locale / "LC_MESSAGES" / f"{domain}.po"

    def mo_path(self, locale: str, domain: str) -> Path:
        return self.po_path(locale, domain).with_suffix(".mo")
