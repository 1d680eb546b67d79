"""How many classes of what size, and how many teachers of which speciality the school needs."""

import random
from dataclasses import dataclass

from demo.catalog import SUBJECTS, SubjectSpec
from demo.options import CLASS_LETTERS, DemoOptions

# Below this size a class is not split into subgroups (the demo's small test schools still are).
MIN_SPLIT_SIZE = 8


@dataclass(frozen=True)
class ClassPlan:
    parallel: int
    letter: str
    size: int


@dataclass(frozen=True)
class StaffPlan:
    primary_teachers: int
    # One entry per subject teacher: the subject families they teach.
    specialities: tuple[tuple[str, ...], ...]


def plan_classes(options: DemoOptions, rng: random.Random) -> list[ClassPlan]:
    plans = []
    for parallel in range(1, options.parallels + 1):
        for letter in CLASS_LETTERS[: options.classes_per_parallel]:
            size = round(options.students_per_class * rng.uniform(0.85, 1.15))
            plans.append(ClassPlan(parallel, letter, max(1, size)))
    return plans


def may_split(spec: SubjectSpec, plan: ClassPlan) -> bool:
    return spec.splits(plan.parallel) and plan.size >= MIN_SPLIT_SIZE


def family_demand(classes: list[ClassPlan]) -> dict[str, int]:
    """Weekly hours subject teachers must give, per family, counting both subgroups of a split."""
    demand: dict[str, int] = {}
    for plan in classes:
        for spec in SUBJECTS:
            hours = spec.hours_in(plan.parallel)
            if hours == 0 or spec.taught_by_class_teacher(plan.parallel):
                continue
            if spec.taught_by_psychologist:
                continue
            parts = 2 if may_split(spec, plan) else 1
            demand[spec.family] = demand.get(spec.family, 0) + hours * parts
    return demand


def plan_staff(classes: list[ClassPlan], teachers: int) -> StaffPlan:
    primary_classes = sum(1 for plan in classes if plan.parallel <= 4)
    demand = family_demand(classes)
    groups: list[tuple[tuple[str, ...], int]] = sorted(
        (((family,), hours) for family, hours in demand.items()), key=lambda g: (-g[1], g[0])
    )
    primary = primary_classes
    if teachers - primary < len(groups):
        primary = max(1, min(primary_classes, teachers - len(groups)))
    specialists = teachers - primary
    if not groups:
        return StaffPlan(teachers, ())
    # Too few teachers for every speciality: the two smallest are taught by the same people.
    while len(groups) > specialists:
        groups.sort(key=lambda g: (-g[1], g[0]))
        (a, ha), (b, hb) = groups[-2], groups[-1]
        groups[-2:] = [(a + b, ha + hb)]
    total = sum(hours for _, hours in groups)
    counts = [max(1, int(hours * specialists / total)) for _, hours in groups]
    remainders = sorted(
        range(len(groups)),
        key=lambda i: (
            -(groups[i][1] * specialists / total - int(groups[i][1] * specialists / total)),
            i,
        ),
    )
    position = 0
    while sum(counts) < specialists:
        counts[remainders[position % len(groups)]] += 1
        position += 1
    while sum(counts) > specialists:
        largest = max(range(len(groups)), key=lambda i: (counts[i], -i))
        counts[largest] -= 1
    specialities = tuple(
        families for (families, _), count in zip(groups, counts, strict=True) for _ in range(count)
    )
    return StaffPlan(primary, specialities)
