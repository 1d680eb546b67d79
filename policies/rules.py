"""Reading the policy CSVs: `p` rules and `g` role inclusions, with where each line came from."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

POLICY_DIR = Path(__file__).parent
POLICY_CONF = POLICY_DIR.parent / "policy.conf"


@dataclass(frozen=True)
class Rule:
    role: str
    domain: str
    resource: str
    action: str
    condition: str  # condition names joined by "&"
    source: str

    @property
    def conditions(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.condition.split("&"))


@dataclass(frozen=True)
class Inclusion:
    role: str
    included: str
    source: str


class PolicySyntaxError(ValueError):
    pass


def parse(text: str, source: str) -> tuple[list[Rule], list[Inclusion]]:
    rules: list[Rule] = []
    inclusions: list[Inclusion] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader(io.StringIO(line)))]
        where = f"{source}:{number}"
        if cells[0] == "p" and len(cells) == 6:
            role, domain, resource, action, condition = cells[1:]
            rules.append(Rule(role, domain, resource, action, condition, source=where))
        elif cells[0] == "g" and len(cells) == 3:
            inclusions.append(Inclusion(cells[1], cells[2], source=where))
        else:
            raise PolicySyntaxError(
                f"{where}: expected `p, role, domain, resource, action, "
                f"condition` or `g, role, included role`, got {line!r}"
            )
    return rules, inclusions


def policy_files() -> list[tuple[str, str]]:
    return [(path.name, path.read_text()) for path in sorted(POLICY_DIR.glob("*.csv"))]
