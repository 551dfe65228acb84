"""Write quotes/lexicons/female_first_names.txt and male_first_names.txt from nomquamgender.

The engine tells "she" from "he" by a first name where the article gives no title or
pronoun ("Patrick Bardos ... she said" is not him). nomquamgender (Van Buskirk et al., MIT
licence, https://github.com/ianvanbuskirk/nomquamgender) holds 720k names with the share of
women among their bearers across 36 sources; loading all of it costs 2 s and 150 MB a
process, so we keep only the names that are common and nearly always one gender.

    python -m venv /tmp/nqg && /tmp/nqg/bin/pip install nomquamgender==0.1.4
    /tmp/nqg/bin/python tools/make_first_names.py
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

MIN_SOURCES = 5  # seen in at least this many of its sources
MIN_COUNT = 300  # bearers counted across them
FEMALE_AT = 0.95  # p(gf) at or above: female; at or below 1 - FEMALE_AT: male

HEADER = """# {what} first names, one a line, lower-case: names borne nearly always by {who}.
# Made by tools/make_first_names.py from nomquamgender 0.1.4 (Copyright (c) 2022 Ian Van
# Buskirk, MIT licence: NOTICE-nomquamgender.txt beside this file): the names in at least
# {sources} of its sources, with {count} bearers or more, whose share of women is {cut} or
# more ({cutm} or less for men).
"""


def main() -> None:
    spec = importlib.util.find_spec("nomquamgender")
    assert spec and spec.submodule_search_locations, "pip install nomquamgender==0.1.4 first"
    data = json.loads((Path(spec.submodule_search_locations[0]) / "name_data.json").read_text())
    female, male = [], []
    for name, (sources, count, share, *_rest) in sorted(data.items()):
        if not re.fullmatch(r"[a-zà-öø-ÿ][a-zà-öø-ÿ-]+", name) or sources < MIN_SOURCES or count < MIN_COUNT:
            continue
        if share >= FEMALE_AT:
            female.append(name)
        elif share <= 1 - FEMALE_AT:
            male.append(name)
    out = Path(__file__).resolve().parent.parent / "quotes" / "lexicons"
    for what, who, names in (("Female", "women", female), ("Male", "men", male)):
        header = HEADER.format(what=what, who=who, sources=MIN_SOURCES, count=MIN_COUNT,
                               cut=FEMALE_AT, cutm=round(1 - FEMALE_AT, 2))
        (out / f"{what.lower()}_first_names.txt").write_text(header + "\n".join(names) + "\n", encoding="utf-8")
        print(f"{what.lower()}_first_names.txt: {len(names)} names")


if __name__ == "__main__":
    main()
